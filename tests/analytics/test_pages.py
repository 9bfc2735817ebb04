"""The dashboard pages: charts with their tables, the funnel, the range, who may open them."""

import pytest
from django.test import Client

from analytics.rollups import rollups_refresh
from tests.analytics.conftest import add_to_cart, buy, click
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def sold(shop_brand, product, note, buyer):
    client = client_for(buyer)
    click(client, product, note)
    client.get(f"/api/v1/products/{product.pk}/")
    add_to_cart(client, product)
    buy(buyer)
    rollups_refresh()


def test_the_brand_dashboard_shows_charts_tables_funnel_and_notes(
    shop_brand, note, creator, sold, django_assert_max_num_queries
):
    client = signed_in(shop_brand)
    with django_assert_max_num_queries(20):
        response = client.get("/shop/manage/analytics/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="chart-svg"') == 4
    assert html.count('<details class="chart-table">') == 4
    assert 'data-testid="funnel"' in html and "100.0%" in html
    assert f"/notes/{note.pk}/" in html and f"/u/{creator.username}/" in html
    assert "¥100.00" in html
    assert "export.csv?from=" in html


def test_an_empty_dashboard_says_so(shop_brand):
    html = signed_in(shop_brand).get("/shop/manage/analytics/").content.decode()
    assert "Nothing in this period yet." in html
    assert 'class="chart-svg"' not in html


def test_the_dashboard_in_chinese(shop_brand, sold):
    client = signed_in(shop_brand)
    client.cookies["django_language"] = "zh-hans"
    html = client.get("/shop/manage/analytics/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "转化漏斗" in html and "带货笔记" in html


def test_a_bad_range_is_a_message_not_an_error(shop_brand):
    response = signed_in(shop_brand).get("/shop/manage/analytics/?from=2026-13-01")
    assert response.status_code == 200
    assert "not a real date" in response.content.decode()


def test_only_brands_open_the_brand_dashboard(db):
    assert signed_in(UserFactory()).get("/shop/manage/analytics/").status_code == 403
    assert signed_in(UserFactory()).get("/shop/manage/analytics/export.csv").status_code == 403
    assert Client().get("/shop/manage/analytics/").status_code == 302


def test_the_csv_export_page(shop_brand, sold):
    response = signed_in(shop_brand).get("/shop/manage/analytics/export.csv?from=2026-01-01")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode().startswith("date,product_views")


def test_the_creator_dashboard(creator, buyer, sold):
    response = signed_in(creator).get("/me/analytics/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="chart-svg"') >= 1
    assert buyer.username not in html
    assert Client().get("/me/analytics/").status_code == 302


def test_note_pages_carry_the_click_link(note, product):
    html = Client().get(f"/notes/{note.pk}/").content.decode()
    assert f'data-rb-click="/api/v1/products/{product.pk}/click/"' in html
    assert f'data-rb-note="{note.pk}"' in html
    assert "js/analytics.js" in html
