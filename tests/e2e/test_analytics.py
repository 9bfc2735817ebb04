"""In headless Chromium, phone and desktop: a shopper follows a note's product link (the click
is posted by static/js/analytics.js), buys, and the brand reads it on its dashboard: range,
charts, funnel, the note that sold, and the CSV export."""

import time
from pathlib import Path

import pytest
from django.test import Client

from analytics.models import Touch
from analytics.rollups import rollups_refresh
from posts.services import note_create
from tests.conftest import client_for
from tests.e2e.conftest import screenshot
from tests.e2e.test_shop import _photo
from tests.factories import BrandFactory, UserFactory
from tests.shop.conftest import make_product, paid_order

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    brand = BrandFactory(username="glowlab", display_name="Glow Lab")
    product = make_product(brand, name="Dew cream", variants=(("50 ml", "88.00", 40),))
    author = UserFactory(username="mia", display_name="Mia")
    note = note_create(
        author=author,
        title="My dewy routine",
        body="#skincare",
        images=[_photo("n.jpg", (250, 220, 210))],
        product_ids=[product.pk],
    )
    return {"brand": brand, "product": product, "author": author, "note": note}


def _sign_in(page, live_server, user, language="en"):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )


def _wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.mark.parametrize("width", [390, 1440])
def test_a_note_sells_and_the_brand_sees_it(page_at, live_server, world, width):
    shopper = UserFactory()
    page = page_at(width)
    _sign_in(page, live_server, shopper)
    page.goto(f"/notes/{world['note'].pk}/")
    page.locator(f"[data-testid=buy-{world['product'].pk}]").click()
    page.wait_for_url(f"**/shop/products/{world['product'].pk}/")
    _wait_for(lambda: Touch.objects.filter(visitor=f"u:{shopper.pk}", note=world["note"]).exists())
    # The rest of the purchase through the services (the shop's own tests drive its pages).
    client_for(shopper).post(
        "/api/v1/cart/items/", {"variant_id": world["product"].variants.get().pk, "quantity": 2}, format="json"
    )
    from shop import orders
    from tests.shop.conftest import ADDRESS

    order, _ = orders.order_checkout(buyer=shopper, idempotency_key="e2e", shipping_address=ADDRESS)
    orders.order_pay(order_id=order.pk, buyer=shopper, card_number="4242424242424242")
    paid_order(UserFactory(), world["product"].variants.get(), key="other")  # a sale no note made
    rollups_refresh()

    brand_page = page_at(width)
    _sign_in(brand_page, live_server, world["brand"])
    brand_page.goto("/shop/manage/")
    brand_page.locator("[data-testid=open-analytics]").click()
    brand_page.wait_for_url("**/shop/manage/analytics/")
    totals = brand_page.locator("[data-testid=totals]").inner_text()
    assert "¥264.00" in totals  # 2 x 88 from the note, 1 x 88 without
    assert brand_page.locator("[data-testid=chart-revenue] svg rect.chart-bar").count() == 1
    funnel = brand_page.locator("[data-testid=funnel]").inner_text()
    assert "Clicks from notes" in funnel and "Orders" in funnel
    top = brand_page.locator("[data-testid=top-notes]")
    assert "My dewy routine" in top.inner_text() and "@mia" in top.inner_text()
    assert "¥176.00" in top.inner_text()
    brand_page.locator("[data-testid=chart-revenue] summary").click()
    assert "¥264.00" in brand_page.locator("[data-testid=chart-revenue] table").inner_text()
    screenshot(brand_page, f"analytics-brand-{width}")

    brand_page.locator("[data-testid=range-7]").click()
    brand_page.wait_for_url("**/shop/manage/analytics/?from=*")
    assert brand_page.locator("[data-testid=range-7]").get_attribute("aria-current") == "true"
    assert brand_page.locator("[data-testid=chart-revenue] table tbody tr").count() == 7
    brand_page.fill("input[name=from]", "2026-01-01")
    brand_page.fill("input[name=to]", "2026-01-31")
    brand_page.get_by_role("button", name="Show").click()
    brand_page.wait_for_url("**from=2026-01-01*")
    assert "Nothing in this period yet." in brand_page.locator("[data-testid=chart-revenue]").inner_text()

    brand_page.go_back()
    brand_page.wait_for_url("**/shop/manage/analytics/?from=*")
    with brand_page.expect_download() as download:
        brand_page.locator("[data-testid=export-csv]").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").strip().splitlines()
    assert lines[0].startswith("date,product_views,note_clicks")
    assert len(lines) == 8 and any(",264.00," in line for line in lines)


@pytest.mark.parametrize("width", [390, 1440])
def test_the_dashboard_in_chinese(page_at, live_server, world, width):
    paid_order(UserFactory(), world["product"].variants.get())
    rollups_refresh()
    page = page_at(width)
    _sign_in(page, live_server, world["brand"], "zh-hans")
    page.goto("/shop/manage/analytics/")
    assert "转化漏斗" in page.locator("[data-testid=funnel]").inner_text()
    screenshot(page, f"analytics-brand-zh-{width}")
    creator = page_at(width)
    _sign_in(creator, live_server, world["author"], "zh-hans")
    creator.goto("/me/analytics/")
    assert "我的数据" in creator.locator("h1").inner_text()
    screenshot(creator, f"analytics-creator-zh-{width}")
