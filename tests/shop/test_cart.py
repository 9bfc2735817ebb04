"""Cart: lines merge, quantities are validated, visitors' carts join the user's at login."""

import pytest
from django.test import Client

from shop.models import Cart, CartItem
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.shop.conftest import make_product, put_in_cart

pytestmark = pytest.mark.django_db


def test_add_merges_lines_and_cart_totals_on_server(api_client, variant, django_assert_max_num_queries):
    first = api_client.post("/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 2}, format="json")
    assert first.status_code == 201, first.content
    again = api_client.post("/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 1, "price": "0.01"})
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again.json()["quantity"] == 3
    other = make_product(variant.product.brand, name="Toner", variants=(("a", "10.50", 5),)).variants.first()
    api_client.post("/api/v1/cart/items/", {"variant_id": other.pk, "quantity": 1}, format="json")
    with django_assert_max_num_queries(6):
        cart = api_client.get("/api/v1/cart/").json()
    assert cart["subtotal"] == "397.50" and cart["currency"] == "CNY"  # 3 x 129.00 + 10.50
    assert [(i["variant_id"], i["quantity"], i["unit_price"]) for i in cart["items"]] == [
        (variant.pk, 3, "129.00"),
        (other.pk, 1, "10.50"),
    ]


@pytest.mark.parametrize(("quantity", "status"), [(0, 400), (-1, 400), ("abc", 400), (100, 400), (11, 409), (2.5, 400)])
def test_bad_quantities_are_refused(api_client, variant, quantity, status):
    response = api_client.post("/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": quantity}, format="json")
    assert response.status_code == status, response.content
    assert not CartItem.objects.exists()


def test_merging_above_stock_is_409(api_client, variant):
    assert api_client.post("/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 9}).status_code == 201
    response = api_client.post("/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 2})
    assert response.status_code == 409
    # 10 in stock is not "low": the message does not tell the exact count.
    assert "in stock for 11" in response.json()["detail"] and "10" not in response.json()["detail"]
    assert CartItem.objects.get().quantity == 9


def test_unknown_variant_is_400(api_client):
    assert api_client.post("/api/v1/cart/items/", {"variant_id": 999999, "quantity": 1}).status_code == 400
    assert api_client.post("/api/v1/cart/items/", {"quantity": 1}).status_code == 400


def test_patch_and_delete_lines_only_in_own_cart(user, variant):
    item = put_in_cart(user, variant, 1)
    mine = client_for(user)
    stranger = client_for(UserFactory())
    assert stranger.patch(f"/api/v1/cart/items/{item.pk}/", {"quantity": 2}).status_code == 404
    assert stranger.delete(f"/api/v1/cart/items/{item.pk}/").status_code == 404
    response = mine.patch(f"/api/v1/cart/items/{item.pk}/", {"quantity": 4}, format="json")
    assert response.status_code == 200 and response.json()["quantity"] == 4
    assert mine.patch(f"/api/v1/cart/items/{item.pk}/", {"quantity": 0}).status_code == 400
    assert mine.patch(f"/api/v1/cart/items/{item.pk}/", {"quantity": 50}).status_code == 409
    assert mine.patch(f"/api/v1/cart/items/{item.pk}/", {}).status_code == 400
    assert mine.delete(f"/api/v1/cart/items/{item.pk}/").status_code == 204
    assert mine.delete(f"/api/v1/cart/items/{item.pk}/").status_code == 404
    assert mine.get("/api/v1/cart/").json() == {"items": [], "subtotal": "0.00", "currency": "CNY"}


def test_visitor_cart_lives_in_session_and_merges_at_login(variant):
    user = UserFactory()
    put_in_cart(user, variant, 8)
    browser = Client()
    assert browser.post("/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 5}).status_code == 201
    assert browser.get("/api/v1/cart/").json()["items"][0]["quantity"] == 5
    guest = Cart.objects.get(user__isnull=True)
    browser.login(username=user.username, password="correct-horse-9")
    # 8 + 5 is capped at the 10 in stock; the guest cart is gone.
    assert CartItem.objects.get(cart__user=user).quantity == 10
    assert not Cart.objects.filter(pk=guest.pk).exists()


def test_cart_page_post_forms(client, user, variant, django_assert_max_num_queries):
    client.force_login(user)
    response = client.post("/cart/add/", {"variant_id": variant.pk, "quantity": 2})
    assert response.status_code == 302 and response.url == "/cart/"
    item = CartItem.objects.get()
    with django_assert_max_num_queries(12):
        page = client.get("/cart/")
    assert page.status_code == 200 and b"258.00" in page.content
    client.post(f"/cart/items/{item.pk}/", {"quantity": 3})
    assert CartItem.objects.get().quantity == 3
    client.post(f"/cart/items/{item.pk}/", {"quantity": 500})
    assert CartItem.objects.get().quantity == 3
    client.post(f"/cart/items/{item.pk}/", {"remove": "1"})
    assert not CartItem.objects.exists()
