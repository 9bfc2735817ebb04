"""Attribution: a note click is remembered 7 days on the buyer, last touch wins, guests merge at login."""

import pytest
from django.test import Client

from analytics.models import Touch
from shop.models import CartItem, OrderItem
from tests.analytics.conftest import add_to_cart, age_touches, brand_figures, buy, click, creator_figures, note_about
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_click_from_a_note_follows_the_cart_line_to_the_order_and_the_figures(
    shop_brand, product, note, creator, buyer
):
    client = client_for(buyer)
    assert click(client, product, note).status_code == 204
    line = add_to_cart(client, product, quantity=2).json()
    assert line["source_note_id"] == note.pk
    order = buy(buyer)
    assert OrderItem.objects.get(order=order).source_note_id == note.pk
    assert client.get(f"/api/v1/orders/{order.pk}/").json()["items"][0]["source_note_id"] == note.pk

    figures = brand_figures(shop_brand)
    assert figures["totals"]["orders"] == 1
    assert figures["totals"]["units"] == 2
    assert figures["totals"]["revenue"] == "200.00"
    assert figures["totals"]["note_clicks"] == 1
    assert figures["currency"] == "CNY"
    [top] = figures["top_notes"]
    assert top["note"]["id"] == note.pk
    assert top["note"]["author"]["username"] == creator.username
    assert (top["clicks"], top["orders"], top["revenue"]) == (1, 1, "200.00")
    assert figures["top_products"][0]["product"]["id"] == product.pk
    mine = creator_figures(creator)
    assert mine["totals"]["product_clicks"] == 1
    assert mine["totals"]["orders"] == 1
    assert mine["top_notes"][0]["note"]["id"] == note.pk


@pytest.mark.parametrize(("days_ago", "attributed"), [(6, True), (8, False)])
def test_the_attribution_window_is_seven_days(product, note, buyer, days_ago, attributed):
    client = client_for(buyer)
    click(client, product, note)
    age_touches(days_ago)
    line = add_to_cart(client, product).json()
    assert (line["source_note_id"] == note.pk) is attributed
    assert line["source_note_id"] in (note.pk if attributed else None,)


def test_the_last_touch_wins(product, note, buyer):
    later = note_about(note.author, product, title="Second look")
    client = client_for(buyer)
    click(client, product, note)
    click(client, product, later)
    assert Touch.objects.get().note_id == later.pk
    assert add_to_cart(client, product).json()["source_note_id"] == later.pk


def test_a_click_on_another_product_does_not_attribute_this_one(product, note, buyer, shop_brand):
    from tests.shop.conftest import make_product

    other = make_product(shop_brand, name="Serum")
    client = client_for(buyer)
    click(client, product, note)
    assert add_to_cart(client, other).json()["source_note_id"] is None


def test_a_guests_click_is_the_accounts_after_login(product, note, buyer):
    guest = Client()
    response = guest.post(
        f"/api/v1/products/{product.pk}/click/", {"note_id": note.pk}, content_type="application/json"
    )
    assert response.status_code == 204
    [touch] = Touch.objects.all()
    assert touch.visitor.startswith("s:")
    guest.force_login(buyer)
    assert Touch.objects.get().visitor == f"u:{buyer.pk}"
    assert add_to_cart(client_for(buyer), product).json()["source_note_id"] == note.pk


def test_a_guest_cart_line_keeps_its_note_into_the_account(product, note, buyer):
    guest = Client()
    guest.post(f"/api/v1/products/{product.pk}/click/", {"note_id": note.pk}, content_type="application/json")
    variant = product.variants.first()
    response = guest.post(
        "/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 1}, content_type="application/json"
    )
    assert response.json()["source_note_id"] == note.pk
    guest.force_login(buyer)
    assert CartItem.objects.get(cart__user=buyer).source_note_id == note.pk


def test_the_accounts_later_touch_beats_an_older_guest_touch(product, note, buyer):
    later = note_about(note.author, product, title="Second look")
    guest = Client()
    guest.post(f"/api/v1/products/{product.pk}/click/", {"note_id": note.pk}, content_type="application/json")
    age_touches(1)
    click(client_for(buyer), product, later)
    guest.force_login(buyer)
    assert Touch.objects.get(visitor=f"u:{buyer.pk}").note_id == later.pk
    assert not Touch.objects.filter(visitor__startswith="s:").exists()


def test_clicks_need_a_note_showing_the_product(product, note, buyer, shop_brand):
    from tests.shop.conftest import make_product

    client = client_for(buyer)
    other = make_product(shop_brand, name="Serum")
    response = click(client, other, note)
    assert response.status_code == 400 and response.json()["code"] == "product_not_in_note"
    response = client.post(f"/api/v1/products/{product.pk}/click/", {}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "note_id_required"
    response = client.post(f"/api/v1/products/{product.pk}/click/", {"note_id": "x1"}, format="json")
    assert response.status_code == 400
    response = client.post("/api/v1/products/999999/click/", {"note_id": note.pk}, format="json")
    assert response.status_code == 404
    response = client.post(f"/api/v1/products/{product.pk}/click/", {"note_id": 99999999}, format="json")
    assert response.status_code == 404
    assert not Touch.objects.exists()


def test_a_hidden_note_earns_no_clicks(product, note, buyer):
    note.is_hidden = True
    note.save(update_fields=["is_hidden"])
    assert click(client_for(buyer), product, note).status_code == 404
