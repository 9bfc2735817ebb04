"""API.md "Shop": products (brands only), cart, idempotent checkout, pay, cancel, ship."""

import threading
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from tests.conftest import client_for
from tests.contract.conftest import (
    ADDRESS,
    DECLINED_CARD,
    GOOD_CARD,
    ORDER_FIELDS,
    ORDER_ITEM_FIELDS,
    PRODUCT_FIELDS,
    VARIANT_FIELDS,
    api,
    assert_error,
    assert_fields,
    assert_iso_datetime,
    assert_list,
    assert_money,
    assert_note,
    assert_user,
    jpeg,
    post_note,
)
from tests.factories import BrandFactory, UserFactory

PRODUCT = {
    "name": "Hydra Cream",
    "description": "Rich winter cream",
    "category": None,
    "variants": [{"name": "50 ml", "price": "129.00", "stock": 3}, {"name": "100 ml", "price": "199.50", "stock": 2}],
}


def assert_product(obj: dict):
    assert_fields(obj, PRODUCT_FIELDS, "product")
    assert_user(obj["brand"])
    assert_money(obj["price_min"])
    assert_money(obj["price_max"])
    assert obj["currency"] == "CNY"
    assert isinstance(obj["images"], list) and isinstance(obj["notes_count"], int)
    for variant in obj["variants"]:
        assert_fields(variant, VARIANT_FIELDS, "variant")
        assert_money(variant["price"])
        assert isinstance(variant["in_stock"], bool)


def assert_order(obj: dict):
    assert_fields(obj, ORDER_FIELDS, "order")
    assert obj["status"] in {"pending_payment", "paid", "shipped", "delivered", "cancelled", "refunded"}
    assert isinstance(obj["number"], str) and obj["number"]
    for name in ("subtotal", "total"):
        assert_money(obj[name])
    assert obj["currency"] == "CNY"
    assert obj["items"]
    for item in obj["items"]:
        assert_fields(item, ORDER_ITEM_FIELDS, "order item")
        assert_money(item["unit_price"])
    assert_iso_datetime(obj["created_at"])
    assert set(obj["shipping_address"]) >= set(ADDRESS)


def make_product(client, **overrides) -> dict:
    response = client.post(api("products/"), {**PRODUCT, **overrides}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def checkout(client, key, address=ADDRESS):
    return client.post(api("checkout/"), {"shipping_address": address}, format="json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.django_db
def test_brand_creates_and_edits_its_products_others_get_403(acme_client, alice_client, carol):
    product = make_product(acme_client)
    assert_product(product)
    assert product["price_min"] == "129.00" and product["price_max"] == "199.50"
    assert product["brand"]["username"] == "acme"
    url = api(f"products/{product['id']}/")
    assert_error(alice_client.post(api("products/"), PRODUCT, format="json"), 403)
    assert_error(alice_client.patch(url, {"name": "mine now"}, format="json"), 403)
    assert_error(APIClient().post(api("products/"), PRODUCT, format="json"), 401)
    other_brand = client_for(BrandFactory())
    assert_error(other_brand.patch(url, {"name": "mine now"}, format="json"), 403, 404)

    patched = acme_client.patch(url, {"name": "Hydra Cream Plus"}, format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["name"] == "Hydra Cream Plus"

    multipart = acme_client.post(
        api("products/"),
        {
            "name": "Serum",
            "description": "",
            "variants": '[{"name": "30 ml", "price": "89.00", "stock": 4}]',
            "images": [jpeg("s.jpg", size=(300, 300))],
        },
        format="multipart",
    )
    assert multipart.status_code == 201, multipart.content
    assert len(multipart.json()["images"]) == 1


@pytest.mark.django_db
def test_product_list_and_detail_with_variants_and_notes(acme_client, alice_client):
    product = make_product(acme_client)
    make_product(acme_client, name="Lip Balm", variants=[{"name": "one", "price": "39.00", "stock": 9}])
    rows = assert_list(APIClient().get(api("products/")))
    assert {p["name"] for p in rows} >= {"Hydra Cream", "Lip Balm"}
    for row in rows:
        assert_product(row)
    assert [p["name"] for p in assert_list(APIClient().get(api("products/"), {"q": "balm"}))] == ["Lip Balm"]
    assert len(assert_list(APIClient().get(api("products/"), {"brand": "acme"}))) == 2
    assert assert_list(APIClient().get(api("products/"), {"brand": "nobody"})) == []
    cheap = assert_list(APIClient().get(api("products/"), {"ordering": "price"}))
    assert cheap and Decimal(cheap[0]["price_min"]) <= Decimal(cheap[-1]["price_min"])

    note = post_note(alice_client, title="my cream", product_ids=str(product["id"]))
    assert [p["id"] for p in note["products"]] == [product["id"]]
    detail = APIClient().get(api(f"products/{product['id']}/"))
    assert detail.status_code == 200
    body = detail.json()
    assert_product(body)
    assert len(body["variants"]) == 2
    assert [n["id"] for n in body["notes"]] == [note["id"]]
    assert_note(body["notes"][0])
    assert body["notes_count"] == 1
    assert_error(APIClient().get(api("products/999999999/")), 404)
    assert_error(APIClient().get(api("products/not-an-id/")), 404)


@pytest.mark.django_db
def test_cart_add_merge_update_delete(acme_client, alice_client):
    product = make_product(acme_client)
    variant = product["variants"][0]
    added = alice_client.post(api("cart/items/"), {"variant_id": variant["id"], "quantity": 1}, format="json")
    assert added.status_code == 201, added.content
    again = alice_client.post(api("cart/items/"), {"variant_id": variant["id"], "quantity": 1}, format="json")
    assert again.status_code == 201 and again.json()["id"] == added.json()["id"]
    cart = alice_client.get(api("cart/"))
    assert cart.status_code == 200
    body = cart.json()
    assert set(body) >= {"items", "subtotal", "currency"}
    assert len(body["items"]) == 1 and body["items"][0]["quantity"] == 2
    assert body["subtotal"] == "258.00" and body["currency"] == "CNY"

    item_url = api(f"cart/items/{added.json()['id']}/")
    patched = alice_client.patch(item_url, {"quantity": 3}, format="json")
    assert patched.status_code == 200 and patched.json()["quantity"] == 3
    assert_error(alice_client.patch(item_url, {"quantity": 4}, format="json"), 400, 409)  # only 3 in stock
    assert_error(alice_client.patch(item_url, {"quantity": 0}, format="json"), 400)
    assert_error(alice_client.patch(item_url, {"quantity": "many"}, format="json"), 400)
    assert_error(
        alice_client.post(api("cart/items/"), {"variant_id": 999999999, "quantity": 1}, format="json"), 400, 404
    )
    assert_error(
        alice_client.post(api("cart/items/"), {"variant_id": variant["id"], "quantity": -1}, format="json"), 400
    )
    assert alice_client.delete(item_url).status_code == 204
    assert alice_client.get(api("cart/")).json()["items"] == []
    assert_error(alice_client.delete(item_url), 404)


@pytest.mark.django_db
def test_checkout_idempotent_pay_decline_cancel_ship(acme_client, alice_client, bob_client):
    product = make_product(acme_client)
    variant = product["variants"][0]
    assert (
        alice_client.post(
            api("cart/items/"), {"variant_id": variant["id"], "quantity": 2, "price": "0.01"}, format="json"
        ).status_code
        == 201
    )
    assert_error(checkout(alice_client, ""), 400)
    first = checkout(alice_client, "order-key-1")
    assert first.status_code == 201, first.content
    order = first.json()
    assert_order(order)
    assert order["status"] == "pending_payment"
    assert order["subtotal"] == "258.00"  # server-side prices, the client's "price" ignored
    assert Decimal(order["total"]) >= Decimal(order["subtotal"])
    assert order["items"][0]["variant_id"] == variant["id"] and order["items"][0]["product_id"] == product["id"]
    assert order["items"][0]["quantity"] == 2 and order["items"][0]["unit_price"] == "129.00"

    replay = checkout(alice_client, "order-key-1")
    assert replay.status_code in (200, 201)
    assert replay.json()["id"] == order["id"]
    assert len(assert_list(alice_client.get(api("orders/")))) == 1

    stock = APIClient().get(api(f"products/{product['id']}/")).json()["variants"][0]
    assert stock.get("stock", 1) == 1  # 3 - 2 reserved

    order_url = api(f"orders/{order['id']}/")
    assert alice_client.get(order_url).status_code == 200
    assert_error(bob_client.get(order_url), 404)
    assert_error(APIClient().get(order_url), 401)
    assert_error(bob_client.post(order_url + "pay/", {"card_number": GOOD_CARD}, format="json"), 403, 404)

    declined = alice_client.post(order_url + "pay/", {"card_number": DECLINED_CARD}, format="json")
    assert_error(declined, 402)
    assert alice_client.get(order_url).json()["status"] == "pending_payment"
    paid = alice_client.post(order_url + "pay/", {"card_number": GOOD_CARD}, format="json")
    assert paid.status_code == 200, paid.content
    assert paid.json()["status"] == "paid"
    assert_order(paid.json())

    brand_orders = assert_list(acme_client.get(api("brand/orders/")))
    assert [o["id"] for o in brand_orders] == [order["id"]]
    assert_error(alice_client.get(api("brand/orders/")), 403)
    assert_error(
        alice_client.post(api(f"brand/orders/{order['id']}/ship/"), {"tracking_number": "X"}, format="json"), 403, 404
    )
    shipped = acme_client.post(api(f"brand/orders/{order['id']}/ship/"), {"tracking_number": "SF123456"}, format="json")
    assert shipped.status_code == 200, shipped.content
    assert shipped.json()["status"] == "shipped"
    assert_error(alice_client.post(order_url + "cancel/"), 400, 409)  # too late once shipped


@pytest.mark.django_db
def test_cancel_restores_stock(acme_client, alice_client):
    product = make_product(acme_client)
    variant = product["variants"][1]  # stock 2
    alice_client.post(api("cart/items/"), {"variant_id": variant["id"], "quantity": 2}, format="json")
    order = checkout(alice_client, "k-cancel").json()
    detail = APIClient().get(api(f"products/{product['id']}/")).json()
    assert detail["variants"][1]["in_stock"] is False
    cancelled = alice_client.post(api(f"orders/{order['id']}/cancel/"))
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["status"] == "cancelled"
    detail = APIClient().get(api(f"products/{product['id']}/")).json()
    assert detail["variants"][1]["in_stock"] is True
    assert detail["variants"][1].get("stock", 2) == 2
    assert_error(
        alice_client.post(api(f"orders/{order['id']}/pay/"), {"card_number": GOOD_CARD}, format="json"), 400, 409
    )


@pytest.mark.django_db
def test_checkout_beyond_stock_is_409(acme_client, alice_client, bob_client):
    product = make_product(acme_client)
    variant = product["variants"][1]  # stock 2
    alice_client.post(api("cart/items/"), {"variant_id": variant["id"], "quantity": 2}, format="json")
    bob_client.post(api("cart/items/"), {"variant_id": variant["id"], "quantity": 1}, format="json")
    assert checkout(alice_client, "a").status_code == 201
    assert_error(checkout(bob_client, "b"), 409)


@pytest.mark.django_db(transaction=True)
def test_many_buyers_racing_for_the_last_units(acme):
    product = make_product(client_for(acme), variants=[{"name": "last", "price": "10.00", "stock": 3}])
    variant_id = product["variants"][0]["id"]
    buyers = [client_for(UserFactory()) for _ in range(8)]
    for buyer in buyers:
        assert (
            buyer.post(api("cart/items/"), {"variant_id": variant_id, "quantity": 1}, format="json").status_code == 201
        )
    statuses, barrier = [], threading.Barrier(len(buyers))

    def run(client, i):
        from django.db import connection

        try:
            barrier.wait()
            statuses.append(checkout(client, f"race-{i}").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(b, i)) for i, b in enumerate(buyers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] * 3 + [409] * 5, statuses
    from shop.models import Variant

    assert Variant.objects.get(pk=variant_id).stock == 0


@pytest.mark.django_db
def test_bad_checkout_bodies(acme_client, alice_client):
    assert_error(checkout(alice_client, "empty-cart"), 400, 409)
    product = make_product(acme_client)
    alice_client.post(api("cart/items/"), {"variant_id": product["variants"][0]["id"], "quantity": 1}, format="json")
    assert_error(checkout(alice_client, "no-address", address=None), 400)
    assert_error(checkout(alice_client, "bad-address", address={"name": "x"}), 400)
    assert_error(checkout(alice_client, "str-address", address="Shanghai"), 400)
    assert_error(checkout(alice_client, "k" * 500), 400)
    assert_error(
        APIClient().post(api("checkout/"), {"shipping_address": ADDRESS}, format="json", HTTP_IDEMPOTENCY_KEY="anon"),
        401,
    )
    assert_error(alice_client.post(api("orders/999999999/pay/"), {"card_number": GOOD_CARD}, format="json"), 404)
    assert_error(alice_client.get(api("orders/abc/")), 404)


@pytest.mark.django_db(transaction=True)
def test_an_unpaid_order_releases_its_stock_through_the_worker(celery_worker, acme):
    from datetime import timedelta

    from django.utils import timezone

    from shop.models import Order
    from shop.tasks import expire_unpaid_orders
    from tests.contract.conftest import wait_for

    product = make_product(client_for(acme), variants=[{"name": "v", "price": "20.00", "stock": 4}])
    buyer = client_for(UserFactory())
    buyer.post(api("cart/items/"), {"variant_id": product["variants"][0]["id"], "quantity": 3}, format="json")
    order = checkout(buyer, "expire-me").json()
    assert order.get("expires_at"), "an unpaid order should say when its hold ends"
    Order.objects.filter(pk=order["id"]).update(expires_at=timezone.now() - timedelta(minutes=1))  # 30 min later
    expire_unpaid_orders.delay()
    assert wait_for(lambda: buyer.get(api(f"orders/{order['id']}/")).json()["status"] == "cancelled")
    variant = APIClient().get(api(f"products/{product['id']}/")).json()["variants"][0]
    assert variant["in_stock"] is True and variant.get("stock", 4) == 4


@pytest.mark.django_db
def test_order_authorization_and_state_rules(acme_client, alice_client, bob_client):
    product = make_product(acme_client)
    other_brand = client_for(BrandFactory())
    alice_client.post(api("cart/items/"), {"variant_id": product["variants"][0]["id"], "quantity": 1}, format="json")
    order = checkout(alice_client, "rules").json()
    url = api(f"orders/{order['id']}/")
    assert_error(bob_client.post(url + "cancel/"), 403, 404)
    assert_error(
        acme_client.post(api(f"brand/orders/{order['id']}/ship/"), {"tracking_number": "SF1"}, format="json"), 400, 409
    )  # not paid yet
    assert alice_client.post(url + "pay/", {"card_number": GOOD_CARD}, format="json").status_code == 200
    again = alice_client.post(url + "pay/", {"card_number": GOOD_CARD}, format="json")
    assert again.status_code == 200 and again.json()["status"] == "paid"  # payment is idempotent
    assert_error(
        other_brand.post(api(f"brand/orders/{order['id']}/ship/"), {"tracking_number": "SF1"}, format="json"), 403, 404
    )
    assert assert_list(other_brand.get(api("brand/orders/"))) == []
    assert_error(acme_client.post(api(f"brand/orders/{order['id']}/ship/"), {}, format="json"), 400)
    assert acme_client.get(url).status_code == 200  # the selling brand sees the order


@pytest.mark.django_db
def test_delisted_product_is_404_and_cannot_be_bought(acme_client, alice_client):
    from shop.models import Product

    product = make_product(acme_client)
    Product.objects.filter(pk=product["id"]).update(is_delisted=True)  # staff's "delist"
    assert_error(alice_client.get(api(f"products/{product['id']}/")), 404)
    assert product["id"] not in [p["id"] for p in assert_list(alice_client.get(api("products/")))]
    add = alice_client.post(
        api("cart/items/"), {"variant_id": product["variants"][0]["id"], "quantity": 1}, format="json"
    )
    assert_error(add, 400, 404, 409)
