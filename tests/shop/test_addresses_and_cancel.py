"""The address book (API and pages, checkout pre-filled from it), cancelling with a refund message, Buy now."""

import re

import pytest

from shop import addresses
from shop.models import Address, Order
from tests.conftest import client_for
from tests.shop.conftest import ADDRESS, paid_order, place_order, put_in_cart

pytestmark = pytest.mark.django_db

HOME = {**ADDRESS, "name": "Li Wei", "line1": "88 Nanjing Road"}
WORK = {**ADDRESS, "name": "Li Wei", "line1": "1 Century Avenue", "city": "Pudong", "postal_code": "200120"}


def test_address_api_create_list_default_and_delete(user):
    client = client_for(user)
    home = client.post("/api/v1/me/addresses/", HOME, format="json")
    assert home.status_code == 201 and home.json()["is_default"] is True  # the first one
    work = client.post("/api/v1/me/addresses/", {**WORK, "is_default": True}, format="json").json()
    listed = client.get("/api/v1/me/addresses/").json()["results"]
    assert [(a["line1"], a["is_default"]) for a in listed] == [("1 Century Avenue", True), ("88 Nanjing Road", False)]
    patched = client.patch(f"/api/v1/me/addresses/{home.json()['id']}/", {"is_default": True, "phone": "139 1111 2222"})
    assert patched.status_code == 200 and patched.json()["phone"] == "139 1111 2222"
    assert Address.objects.get(is_default=True).pk == home.json()["id"]
    assert client.delete(f"/api/v1/me/addresses/{home.json()['id']}/").status_code == 204
    assert Address.objects.get().pk == work["id"] and Address.objects.get().is_default  # the default moved


def test_addresses_are_private_and_bad_ones_are_400(user, other_user, anon_client):
    mine = addresses.address_create(user=user, data=HOME)
    stranger = client_for(other_user)
    assert stranger.patch(f"/api/v1/me/addresses/{mine.pk}/", {"city": "X"}, format="json").status_code == 404
    assert stranger.delete(f"/api/v1/me/addresses/{mine.pk}/").status_code == 404
    assert stranger.get("/api/v1/me/addresses/").json()["results"] == []
    assert anon_client.get("/api/v1/me/addresses/").status_code in (401, 403)
    client = client_for(user)
    bad = client.post("/api/v1/me/addresses/", {**HOME, "phone": "call me", "city": ""}, format="json")
    assert bad.status_code == 400 and {"phone", "city"} <= set(bad.json())
    assert client.patch(f"/api/v1/me/addresses/{mine.pk}/", {"line1": ""}, format="json").status_code == 400
    assert client.patch("/api/v1/me/addresses/abc/", {}, format="json").status_code == 404
    mine.refresh_from_db()
    assert mine.line1 == "88 Nanjing Road" and Address.objects.count() == 1


def test_address_book_is_capped(user):
    for i in range(addresses.MAX_ADDRESSES):
        addresses.address_create(user=user, data={**HOME, "line1": f"{i} Road"})
    response = client_for(user).post("/api/v1/me/addresses/", WORK, format="json")
    assert response.status_code == 400 and response.json()["code"] == "too_many_addresses"


def test_api_checkout_with_a_saved_address(user, other_user, variant):
    saved = addresses.address_create(user=user, data=WORK)
    put_in_cart(user, variant)
    client = client_for(user)
    response = client.post("/api/v1/checkout/", {"address_id": saved.pk}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 201 and response.json()["shipping_address"]["line1"] == "1 Century Avenue"
    put_in_cart(other_user, variant)
    theirs = client_for(other_user).post(
        "/api/v1/checkout/", {"address_id": saved.pk}, format="json", HTTP_IDEMPOTENCY_KEY="k2"
    )
    assert theirs.status_code == 404 and Order.objects.count() == 1


def _checkout_form(page) -> dict:
    key = re.search(rb'name="idempotency_key" value="([0-9a-f]+)"', page.content).group(1).decode()
    return {"idempotency_key": key}


def test_checkout_prefills_the_default_and_saves_a_new_address(client, user, variant):
    put_in_cart(user, variant)
    client.force_login(user)
    page = client.get("/checkout/")
    assert re.search(rb'<input type="checkbox" name="save_address"[^>]* checked', page.content)  # no book yet
    client.post("/checkout/", {**_checkout_form(page), **HOME, "save_address": "on"})
    assert Address.objects.get(user=user).line1 == "88 Nanjing Road"

    # Next time the form is filled in from the book, and the same address is not saved twice.
    put_in_cart(user, variant)
    page = client.get("/checkout/")
    html = page.content.decode()
    assert 'value="88 Nanjing Road"' in html and "data-address-fields=" in html
    client.post("/checkout/", {**_checkout_form(page), **HOME, "save_address": "on"})
    assert Address.objects.filter(user=user).count() == 1 and Order.objects.count() == 2


def test_address_book_page_adds_makes_default_and_deletes(client, user):
    client.force_login(user)
    assert client.post("/addresses/", {**HOME, "phone": "nope"}).status_code == 400
    client.post("/addresses/", HOME)
    client.post("/addresses/", WORK)
    home, work = Address.objects.order_by("id")
    assert home.is_default and not work.is_default
    client.post(f"/addresses/{work.pk}/default/")
    work.refresh_from_db()
    assert work.is_default
    assert client.get("/addresses/").content.decode().count('class="address-item"') == 2
    client.post(f"/addresses/{work.pk}/delete/")
    home.refresh_from_db()
    assert home.is_default and Address.objects.count() == 1


def test_another_buyers_address_page_actions_are_404(client, user, other_user):
    theirs = addresses.address_create(user=other_user, data=HOME)
    client.force_login(user)
    assert client.post(f"/addresses/{theirs.pk}/delete/").status_code == 404
    assert client.post(f"/addresses/{theirs.pk}/default/").status_code == 404
    assert Address.objects.filter(pk=theirs.pk).exists()


def test_cancelling_a_paid_order_says_what_was_refunded(client, user, variant):
    order = paid_order(user, variant, quantity=2)
    client.force_login(user)
    page = client.get(f"/orders/{order.pk}/").content.decode()
    assert 'id="cancel-order"' in page and "¥258.00" in page  # the dialog names the refund
    done = client.post(f"/orders/{order.pk}/cancel/", follow=True).content.decode()
    assert "¥258.00 has been refunded to your card" in done
    assert "Refunded ¥258.00 to your card." in done
    assert Order.objects.get().status == "cancelled"


def test_cancelling_an_unpaid_order_says_nothing_was_charged(client, user, variant):
    order = place_order(user, variant)
    client.force_login(user)
    done = client.post(f"/orders/{order.pk}/cancel/", follow=True).content.decode()
    assert "Nothing was charged." in done and "refunded" not in done


def test_buy_now_adds_to_cart_and_goes_to_that_stores_checkout(client, user, product, variant):
    client.force_login(user)
    page = client.get(f"/shop/products/{product.pk}/").content.decode()
    assert 'class="buy-bar"' in page and 'name="buy_now"' in page
    response = client.post("/cart/add/", {"variant_id": variant.pk, "quantity": 1, "buy_now": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/checkout/?brand={product.brand.username}"
    assert user.cart.items.get().variant == variant
