"""Shop fixtures: products made through the service (so prices are denormalized right)."""

from decimal import Decimal

import pytest

from shop import orders, services
from shop.models import Cart, CartItem, Order, Variant
from tests.conftest import client_for
from tests.factories import BrandFactory

ADDRESS = {
    "name": "Li Wei",
    "phone": "+86 138 0000 0000",
    "line1": "88 Nanjing Road",
    "city": "Shanghai",
    "postal_code": "200001",
    "country": "CN",
}


def make_product(brand=None, *, name="Hydra cream", variants=(("50 ml", "129.00", 10),), **fields):
    brand = brand or BrandFactory()
    return services.product_create(
        brand=brand,
        name=name,
        variants=[{"name": n, "price": p, "stock": s} for n, p, s in variants],
        **fields,
    )


def put_in_cart(user, variant, quantity=1) -> CartItem:
    cart, _created = Cart.objects.get_or_create(user=user)
    return services.cart_item_add(cart=cart, variant_id=variant.pk, quantity=quantity)


def place_order(user, variant, quantity=1, key="key-1") -> Order:
    put_in_cart(user, variant, quantity)
    order, _created = orders.order_checkout(buyer=user, idempotency_key=key, shipping_address=ADDRESS)
    return order


def paid_order(user, variant, quantity=1, key="key-1") -> Order:
    order = place_order(user, variant, quantity, key)
    return orders.order_pay(order_id=order.pk, buyer=user, card_number="4242424242424242")


@pytest.fixture
def product(brand):
    return make_product(brand, variants=(("50 ml", "129.00", 10), ("100 ml", "199.00", 5)))


@pytest.fixture
def variant(product) -> Variant:
    return product.variants.order_by("position").first()


@pytest.fixture
def brand_client(brand):
    return client_for(brand)


def money(value) -> Decimal:
    return Decimal(value)
