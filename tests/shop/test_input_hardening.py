"""Issue 13: prices, stock, quantities, card numbers and totals from bad input are 4xx;
an Idempotency-Key reused with another body is a 409 (and the same body still replays)."""

from decimal import Decimal

import pytest

from shop import services
from shop.models import Cart, Order, Product, Variant
from tests.conftest import client_for
from tests.factories import BrandFactory, UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = {
    "name": "Lin",
    "phone": "13800000000",
    "line1": "1 Road",
    "city": "Shanghai",
    "postal_code": "200000",
    "country": "CN",
}


def _arabic(number: int) -> str:
    return "".join("٠١٢٣٤٥٦٧٨٩"[int(d)] for d in str(number))


@pytest.fixture
def brand():
    return BrandFactory()


@pytest.fixture
def product(brand):
    return services.product_create(brand=brand, name="Cream", variants=[{"name": "50ml", "price": "10.00", "stock": 9}])


@pytest.mark.parametrize(
    "price", ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "1e400", "1e5", "٣", "²", "99999999999", 1e300, "0.001"]
)
def test_a_price_that_is_not_a_finite_amount_is_a_400(brand, price):
    response = client_for(brand).post(
        "/api/v1/products/", {"name": "x", "variants": [{"name": "a", "price": price, "stock": 1}]}, format="json"
    )
    assert response.status_code == 400, response.content
    assert not Product.objects.filter(name="x").exists()


@pytest.mark.parametrize("stock", ["٣", "²", "①", 10**30, "1e3", 1.5, True])
def test_a_stock_that_is_not_ascii_whole_number_is_a_400(brand, stock):
    response = client_for(brand).post(
        "/api/v1/products/", {"name": "x", "variants": [{"name": "a", "price": "1", "stock": stock}]}, format="json"
    )
    assert response.status_code == 400, response.content


def test_a_variant_or_cart_item_named_in_other_digits_is_not_found(product):
    user = UserFactory()
    client = client_for(user)
    variant = product.variants.get()
    added = client.post("/api/v1/cart/items/", {"variant_id": _arabic(variant.pk), "quantity": 1}, format="json")
    assert added.status_code == 400
    item = client.post("/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 1}, format="json").json()
    assert client.patch(f"/api/v1/cart/items/{_arabic(item['id'])}/", {"quantity": 2}, format="json").status_code == 404
    assert client.get(f"/api/v1/products/{_arabic(product.pk)}/").status_code == 404
    for quantity in ("٣", "²", 10**30, "3.0"):
        response = client.patch(f"/api/v1/cart/items/{item['id']}/", {"quantity": quantity}, format="json")
        assert response.status_code == 400, quantity
    assert Cart.objects.get(user=user).items.get().quantity == 1


@pytest.mark.parametrize("card", ["４２４２４２４２４２４２４２４２", "²²²²²²²²²²²²²²²²", "٤٢٤٢٤٢٤٢٤٢٤٢٤٢٤٢", "NaN"])
def test_a_card_number_in_other_digits_is_a_400(product, card):
    user = UserFactory()
    cart, _ = Cart.objects.get_or_create(user=user)
    services.cart_item_add(cart=cart, variant_id=product.variants.get().pk, quantity=1)
    client = client_for(user)
    order = client.post("/api/v1/checkout/", {"shipping_address": ADDRESS}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    response = client.post(f"/api/v1/orders/{order.json()['id']}/pay/", {"card_number": card}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_card"


def test_an_order_total_beyond_the_column_is_a_400_and_nothing_is_reserved(brand):
    top = "99999999.99"
    product = services.product_create(
        brand=brand,
        name="Gold",
        variants=[{"name": "a", "price": top, "stock": 99}, {"name": "b", "price": top, "stock": 99}],
    )
    user = UserFactory()
    cart, _ = Cart.objects.get_or_create(user=user)
    for variant in product.variants.all():
        services.cart_item_add(cart=cart, variant_id=variant.pk, quantity=99)

    response = client_for(user).post(
        "/api/v1/checkout/", {"shipping_address": ADDRESS}, format="json", HTTP_IDEMPOTENCY_KEY="big"
    )

    assert response.status_code == 400 and response.json()["code"] == "total_too_large"
    assert not Order.objects.filter(buyer=user).exists()
    assert list(Variant.objects.filter(product=product).values_list("reserved", flat=True)) == [0, 0]
    assert cart.items.count() == 2  # nothing lost: the cart is as it was


@pytest.fixture
def buyer_with_cart(product):
    user = UserFactory()
    cart, _ = Cart.objects.get_or_create(user=user)
    services.cart_item_add(cart=cart, variant_id=product.variants.get().pk, quantity=1)
    return user


def test_the_same_idempotency_key_with_the_same_body_replays_the_order(buyer_with_cart):
    client = client_for(buyer_with_cart)
    first = client.post("/api/v1/checkout/", {"shipping_address": ADDRESS}, format="json", HTTP_IDEMPOTENCY_KEY="same")
    reordered = dict(reversed(list(ADDRESS.items())))  # the same body, keys in another order
    again = client.post(
        "/api/v1/checkout/", {"shipping_address": reordered}, format="json", HTTP_IDEMPOTENCY_KEY="same"
    )
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]


@pytest.mark.parametrize(
    "other_body",
    [
        {"shipping_address": {**ADDRESS, "line1": "2 Other Road"}},
        {"shipping_address": {**ADDRESS, "line2": "Flat 3"}},
        {"shipping_address": ADDRESS, "brand": "someone-else"},
        {"shipping_address": "not an address"},
    ],
)
def test_the_same_idempotency_key_with_another_body_is_a_409(buyer_with_cart, other_body):
    client = client_for(buyer_with_cart)
    first = client.post("/api/v1/checkout/", {"shipping_address": ADDRESS}, format="json", HTTP_IDEMPOTENCY_KEY="key")

    response = client.post("/api/v1/checkout/", other_body, format="json", HTTP_IDEMPOTENCY_KEY="key")

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_mismatch" and response.json()["detail"]
    assert Order.objects.filter(buyer=buyer_with_cart).count() == 1
    assert Order.objects.get(pk=first.json()["id"]).shipping_address["line1"] == "1 Road"
    replay = client.post("/api/v1/checkout/", {"shipping_address": ADDRESS}, format="json", HTTP_IDEMPOTENCY_KEY="key")
    assert replay.status_code == 201 and replay.json()["id"] == first.json()["id"]


def test_an_order_placed_before_fingerprints_replays_as_before(buyer_with_cart):
    client = client_for(buyer_with_cart)
    first = client.post("/api/v1/checkout/", {"shipping_address": ADDRESS}, format="json", HTTP_IDEMPOTENCY_KEY="old")
    Order.objects.filter(pk=first.json()["id"]).update(request_fingerprint="")
    other = {"shipping_address": {**ADDRESS, "line1": "elsewhere"}}
    assert (
        client.post("/api/v1/checkout/", other, format="json", HTTP_IDEMPOTENCY_KEY="old").json()["id"]
        == first.json()["id"]
    )


def test_the_cart_page_form_refuses_other_digits_and_keeps_the_cart(client, product):
    user = UserFactory()
    client.force_login(user)
    variant = product.variants.get()
    client.post("/cart/add/", {"variant_id": variant.pk, "quantity": "1"})
    item = Cart.objects.get(user=user).items.get()

    for quantity in ("٣", "²", "1" + "0" * 30):
        response = client.post(f"/cart/items/{item.pk}/", {"quantity": quantity})
        assert response.status_code == 400, quantity
        assert "Choose a quantity from 1 to 99." in response.content.decode()  # the cart, with why
        added = client.post("/cart/add/", {"variant_id": variant.pk, "quantity": quantity})
        assert added.status_code in (302, 400), quantity
    assert client.post("/cart/add/", {"variant_id": _arabic(variant.pk), "quantity": "1"}).status_code in (302, 400)

    item.refresh_from_db()
    assert item.quantity == 1
    assert Decimal(client.get("/api/v1/cart/").json()["subtotal"]) == Decimal("10.00")
