"""Checkout: idempotent per key, server prices, address checks, all-or-nothing stock."""

import re

import pytest

from shop.models import CartItem, Order, Variant
from tests.conftest import client_for
from tests.factories import BrandFactory, UserFactory
from tests.shop.conftest import ADDRESS, make_product, put_in_cart

pytestmark = pytest.mark.django_db


def _checkout(client, key="k1", address=ADDRESS, **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post("/api/v1/checkout/", {"shipping_address": address, **extra}, format="json", **headers)


def test_checkout_creates_order_reserves_stock_and_empties_cart(user, api_client, variant):
    put_in_cart(user, variant, 2)
    response = _checkout(api_client)
    assert response.status_code == 201, response.content
    order = response.json()
    assert order["status"] == "pending_payment"
    assert re.fullmatch(r"RB\d{8}-[0-9A-HJKMNP-TV-Z]{5}", order["number"])
    assert order["items"] == [
        {
            "variant_id": variant.pk,
            "product_id": variant.product_id,
            "name": "Hydra cream · 50 ml",
            "unit_price": "129.00",
            "quantity": 2,
            "source_note_id": None,  # no note led to it (analytics attribution)
        }
    ]
    assert order["subtotal"] == order["total"] == "258.00" and order["currency"] == "CNY"
    assert order["shipping_address"]["city"] == "Shanghai" and order["expires_at"] and order["created_at"]
    variant.refresh_from_db()
    assert (variant.stock, variant.reserved) == (8, 2)
    assert not CartItem.objects.exists()


def test_same_key_returns_same_order_and_reserves_once(user, api_client, variant):
    put_in_cart(user, variant, 1)
    first = _checkout(api_client, key="same")
    put_in_cart(user, variant, 1)  # even with a new cart, the key names the first order
    again = _checkout(api_client, key="same")
    assert first.status_code == 201 and again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert Order.objects.count() == 1
    assert Variant.objects.get(pk=variant.pk).stock == 9


def test_same_key_from_another_user_is_another_order(user, api_client, variant):
    put_in_cart(user, variant, 1)
    other = UserFactory()
    put_in_cart(other, variant, 1)
    assert _checkout(api_client, key="k").status_code == 201
    assert _checkout(client_for(other), key="k").status_code == 201
    assert Order.objects.count() == 2


def test_key_is_required(user, api_client, variant):
    put_in_cart(user, variant, 1)
    response = _checkout(api_client, key=None)
    assert response.status_code == 400 and response.json()["code"] == "idempotency_key_required"
    assert not Order.objects.exists()


def test_anonymous_checkout_is_401(anon_client):
    assert _checkout(anon_client).status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"phone": ""}, "phone"),
        ({"phone": "call me"}, "phone"),
        ({"city": "x" * 101}, "city"),
        ({"name": None}, "name"),
    ],
)
def test_bad_address_is_400_per_field_and_nothing_saved(user, api_client, variant, change, field):
    put_in_cart(user, variant, 1)
    response = _checkout(api_client, address={**ADDRESS, **change})
    assert response.status_code == 400
    assert field in response.json()["shipping_address"]
    assert not Order.objects.exists() and CartItem.objects.count() == 1
    assert _checkout(api_client, address="Shanghai").status_code == 400


def test_empty_cart_is_400(api_client):
    response = _checkout(api_client)
    assert response.status_code == 400 and response.json()["code"] == "cart_empty"


def test_out_of_stock_is_409_and_nothing_half_written(user, api_client, product):
    small, big = product.variants.order_by("position")
    put_in_cart(user, small, 3)
    put_in_cart(user, big, 5)
    Variant.objects.filter(pk=big.pk).update(stock=4)  # someone bought one meanwhile
    response = _checkout(api_client)
    assert response.status_code == 409
    assert "Only 4 left" in response.json()["detail"]
    small.refresh_from_db()
    assert (small.stock, small.reserved) == (10, 0)  # the first line's units were given back
    assert not Order.objects.exists() and CartItem.objects.count() == 2


def test_price_is_the_servers_at_checkout_time(user, api_client, variant):
    put_in_cart(user, variant, 1)
    Variant.objects.filter(pk=variant.pk).update(price="99.90")
    order = _checkout(api_client, total="0.01").json()
    assert order["total"] == "99.90"


def test_several_stores_check_out_one_at_a_time(user, api_client, variant):
    elsewhere = make_product(BrandFactory(), name="Lip oil", variants=(("Pink", "59.00", 2),)).variants.first()
    put_in_cart(user, variant, 1)
    put_in_cart(user, elsewhere, 1)
    assert _checkout(api_client).json()["code"] == "several_stores"
    response = _checkout(api_client, brand=elsewhere.product.brand.username)
    assert response.status_code == 201 and response.json()["total"] == "59.00"
    assert list(CartItem.objects.values_list("variant_id", flat=True)) == [variant.pk]


def test_unlisted_product_cannot_be_bought(user, api_client, variant):
    put_in_cart(user, variant, 1)
    variant.product.is_listed = False
    variant.product.save()
    assert _checkout(api_client).status_code == 409


@pytest.mark.parametrize("address", [None, "Shanghai", ["a"], 42])
def test_address_that_is_not_an_object_is_400(user, api_client, variant, address):
    put_in_cart(user, variant, 1)
    response = _checkout(api_client, address=address)
    assert response.status_code == 400 and "shipping_address" in response.json()
    assert not Order.objects.exists()
