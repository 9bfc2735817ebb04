"""Analytics fixtures: a brand's product, a creator's note showing it, a buyer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from analytics.models import Touch
from analytics.rollups import rollups_refresh
from shop import orders
from tests.conftest import client_for
from tests.contract.conftest import jpeg
from tests.factories import BrandFactory, UserFactory
from tests.shop.conftest import ADDRESS, make_product

CARD = "4242424242424242"


@pytest.fixture
def shop_brand(db):
    return BrandFactory()


@pytest.fixture
def product(shop_brand):
    return make_product(shop_brand, name="Hydra cream", variants=(("50 ml", "100.00", 50),))


@pytest.fixture
def creator(db):
    return UserFactory()


def note_about(author, *products, title="My routine"):
    from posts.services import note_create

    return note_create(
        author=author, title=title, body="love it", images=[jpeg()], product_ids=[p.pk for p in products]
    )


@pytest.fixture
def note(creator, product):
    return note_about(creator, product)


@pytest.fixture
def buyer(db):
    return UserFactory()


def click(client, product, note):
    return client.post(f"/api/v1/products/{product.pk}/click/", {"note_id": note.pk}, format="json")


def add_to_cart(client, product, quantity=1):
    variant = product.variants.first()
    return client.post("/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": quantity}, format="json")


def buy(user, *, key="k1"):
    """Check out the user's cart and pay; returns the paid order."""
    order, _created = orders.order_checkout(buyer=user, idempotency_key=key, shipping_address=ADDRESS)
    return orders.order_pay(order_id=order.pk, buyer=user, card_number=CARD)


def age_touches(days: float) -> None:
    Touch.objects.update(touched_at=timezone.now() - timedelta(days=days))


def brand_figures(brand, **params):
    rollups_refresh()
    response = client_for(brand).get("/api/v1/brand/analytics/", params)
    assert response.status_code == 200, response.content
    return response.json()


def creator_figures(user, **params):
    rollups_refresh()
    response = client_for(user).get("/api/v1/me/analytics/", params)
    assert response.status_code == 200, response.content
    return response.json()
