"""Rollups: refunds reverse, duplicates count once, brands see only theirs, creators see no buyers."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from analytics import events, receivers
from analytics.models import DailyStat, Event, Kind, Scope
from analytics.rollups import events_prune, rollup_mismatches, rollups_refresh
from redbook.redis import get_redis
from shop import orders
from tests.analytics.conftest import add_to_cart, brand_figures, buy, click, creator_figures
from tests.conftest import client_for
from tests.factories import BrandFactory, UserFactory
from tests.shop.conftest import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def sale(shop_brand, product, note, buyer):
    client = client_for(buyer)
    click(client, product, note)
    add_to_cart(client, product, quantity=3)
    return buy(buyer)


def test_a_refund_takes_the_sale_back(shop_brand, creator, sale):
    assert brand_figures(shop_brand)["totals"]["revenue"] == "300.00"
    orders.order_refund(order_id=sale.pk, actor=shop_brand)
    figures = brand_figures(shop_brand)
    assert (figures["totals"]["orders"], figures["totals"]["units"], figures["totals"]["revenue"]) == (0, 0, "0.00")
    assert figures["top_notes"][0]["revenue"] == "0.00"
    assert creator_figures(creator)["totals"]["orders"] == 0
    assert rollup_mismatches() == []


def test_cancelling_a_paid_order_reverses_it_too(shop_brand, buyer, sale):
    orders.order_cancel(order_id=sale.pk, actor=buyer)
    assert brand_figures(shop_brand)["totals"]["revenue"] == "0.00"


def test_duplicates_and_retries_count_once(shop_brand, product, note, buyer, sale):
    client = client_for(buyer)
    click(client, product, note)  # the same click again today
    client.get(f"/api/v1/products/{product.pk}/")
    client.get(f"/api/v1/products/{product.pk}/")  # a reload
    batch = get_redis().lrange(events.BUFFER_KEY, 0, -1)
    events.events_flush()
    get_redis().rpush(events.BUFFER_KEY, *batch)  # as if the trim after the commit never happened
    receivers.on_order_paid(sender=None, order=sale)  # a signal delivered twice
    figures = brand_figures(shop_brand)
    assert figures["totals"]["note_clicks"] == 1
    assert figures["totals"]["product_views"] == 1
    assert figures["totals"]["orders"] == 1
    assert figures["totals"]["revenue"] == "300.00"
    assert events.pending_count() == 0


def test_a_brand_reads_only_its_own_figures(shop_brand, sale):
    rival = BrandFactory()
    rival_product = make_product(rival, name="Rival cream")
    assert brand_figures(rival)["totals"]["revenue"] == "0.00"
    assert brand_figures(rival)["top_products"] == []
    assert all(row["product"]["id"] != rival_product.pk for row in brand_figures(shop_brand)["top_products"])
    shopper = client_for(UserFactory())
    response = shopper.get("/api/v1/brand/analytics/")
    assert response.status_code == 403 and response.json()["code"] == "not_a_brand"
    assert shopper.get("/api/v1/brand/analytics/export.csv").status_code == 403
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/brand/analytics/").status_code in (401, 403)


def test_a_creator_sees_aggregates_and_no_buyer(creator, buyer, sale):
    figures = creator_figures(creator)
    assert figures["totals"]["orders"] == 1
    text = json.dumps(figures)
    assert buyer.username not in text
    assert str(buyer.display_name) not in text


def test_creator_engagement_is_counted(creator, note, buyer):
    client = client_for(buyer)
    client.post(f"/api/v1/notes/{note.pk}/like/")
    client.post(f"/api/v1/users/{creator.username}/follow/")
    client.post(f"/api/v1/notes/{note.pk}/comments/", {"body": "nice"}, format="json")
    figures = creator_figures(creator)
    assert figures["totals"]["likes"] == 1
    assert figures["totals"]["new_followers"] == 1
    assert figures["totals"]["comments"] == 1
    assert figures["top_notes"][0]["note"]["id"] == note.pk


def test_the_range_and_deltas(shop_brand, sale):
    today = timezone.localdate()
    figures = brand_figures(shop_brand, **{"from": (today - timedelta(days=6)).isoformat(), "to": today.isoformat()})
    assert len(figures["daily"]) == 7
    assert figures["daily"][-1]["date"] == today.isoformat()
    assert figures["daily"][-1]["revenue"] == "300.00"
    assert figures["deltas"]["revenue"] is None  # nothing the week before
    assert [step["step"] for step in figures["funnel"]] == ["note_clicks", "product_views", "add_to_cart", "orders"]
    earlier = brand_figures(
        shop_brand, **{"from": (today - timedelta(days=13)).isoformat(), "to": (today - timedelta(days=7)).isoformat()}
    )
    assert earlier["totals"]["revenue"] == "0.00"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"from": "yesterday"}, "invalid_date"),
        ({"from": "2026-02-30"}, "invalid_date"),
        ({"from": "２０２６-01-01"}, "invalid_date"),
        ({"from": "2026-03-02", "to": "2026-03-01"}, "invalid_range"),
        ({"from": "2024-01-01", "to": "2026-01-01"}, "range_too_long"),
    ],
)
def test_bad_ranges_are_400(shop_brand, params, code):
    response = client_for(shop_brand).get("/api/v1/brand/analytics/", params)
    assert response.status_code == 400
    assert response.json()["code"] == code


def test_csv_export_has_a_row_per_day(shop_brand, sale):
    rollups_refresh()
    today = timezone.localdate()
    start = today - timedelta(days=2)
    response = client_for(shop_brand).get(
        "/api/v1/brand/analytics/export.csv", {"from": start.isoformat(), "to": today.isoformat()}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0] == "date,product_views,note_clicks,add_to_cart,orders,units,revenue,currency"
    assert len(lines) == 4
    assert lines[-1].startswith(today.isoformat()) and ",300.00," in lines[-1]


def test_the_dashboard_reads_a_bounded_number_of_queries(
    shop_brand, product, creator, buyer, django_assert_max_num_queries
):
    from tests.analytics.conftest import note_about

    notes = [note_about(creator, product, title=f"n{i}") for i in range(12)]
    client = client_for(buyer)
    for note in notes:
        click(client, product, note)
    rollups_refresh()
    brand_client = client_for(shop_brand)
    with django_assert_max_num_queries(12):
        response = brand_client.get("/api/v1/brand/analytics/", {"from": "2026-01-01"})
    assert len(response.json()["top_notes"]) == 10


def test_rollups_equal_the_events_and_the_check_says_when_not(shop_brand, sale):
    rollups_refresh()
    assert rollup_mismatches() == []
    call_command("check_consistency")
    DailyStat.objects.filter(scope=Scope.BRAND).update(orders=7)
    [problem] = rollup_mismatches()
    assert "brand" in problem
    rollups_refresh()  # today is rebuilt: back in line
    assert rollup_mismatches() == []


def test_old_days_are_rebuilt_when_a_late_event_lands(shop_brand, product):
    old_day = timezone.localdate() - timedelta(days=10)
    at = timezone.now() - timedelta(days=10)
    events.event_record(
        event_id="pv:late", kind=Kind.PRODUCT_VIEW, brand_id=shop_brand.pk, product_id=product.pk, at=at
    )
    rollups_refresh()
    assert DailyStat.objects.get(scope=Scope.BRAND, day=old_day).product_views == 1
    assert rollup_mismatches() == []


def test_raw_events_older_than_90_days_are_pruned_and_rollups_kept(shop_brand, product):
    at = timezone.now() - timedelta(days=95)
    events.event_record(event_id="pv:old", kind=Kind.PRODUCT_VIEW, brand_id=shop_brand.pk, product_id=product.pk, at=at)
    events.event_record(event_id="pv:new", kind=Kind.PRODUCT_VIEW, brand_id=shop_brand.pk, product_id=product.pk)
    rollups_refresh()
    assert events_prune() == (1, False)
    assert list(Event.objects.values_list("event_id", flat=True)) == ["pv:new"]
    assert DailyStat.objects.filter(scope=Scope.BRAND, day=timezone.localdate(at)).exists()
    assert rollup_mismatches() == []


def test_a_note_no_longer_public_is_listed_without_its_link(shop_brand, note, sale):
    note.is_hidden = True
    note.save(update_fields=["is_hidden"])
    [top] = brand_figures(shop_brand)["top_notes"]
    assert top["note"] is None
    assert top["revenue"] == "300.00"  # the sale happened


def test_the_brands_own_look_at_its_product_is_not_a_view(shop_brand, product):
    client_for(shop_brand).get(f"/api/v1/products/{product.pk}/")
    assert brand_figures(shop_brand)["totals"]["product_views"] == 0
    client_for(UserFactory()).get(f"/api/v1/products/{product.pk}/")
    assert brand_figures(shop_brand)["totals"]["product_views"] == 1
