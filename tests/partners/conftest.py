"""Partner fixtures: a partner with its key, a product with a GTIN and community notes."""

import pytest

from partners import services
from posts.models import Note
from shop import services as shop_services
from tests.factories import BrandFactory, UserFactory
from tests.shop.conftest import make_product

ORIGIN = "https://shop.example"
OTHER_ORIGIN = "https://elsewhere.example"
EAN13 = "4006381333931"  # a real EAN-13 (check digit 1)
GTIN14 = "04006381333931"


@pytest.fixture
def partner_and_key(db):
    return services.partner_create(name="Shop Example", origins=[ORIGIN], public_id="shop-example")


@pytest.fixture
def partner(partner_and_key):
    return partner_and_key[0]


@pytest.fixture
def key(partner_and_key):
    return partner_and_key[1]


@pytest.fixture
def product(db):
    return make_product(BrandFactory(), name="Hydra cream", gtin=EAN13)


def tag_note(product, *, author=None, title="Love it", **fields) -> Note:
    note = Note.objects.create(author=author or UserFactory(), title=title, body="so good", **fields)
    note.products.add(product)
    shop_services.product_notes_count_refresh(product_ids=[product.pk])
    return note


def api_get(client, gtin, *, key=None, **headers):
    if key is not None:
        headers["HTTP_X_API_KEY"] = key
    return client.get(f"/api/v1/partner/products/{gtin}/notes/", **headers)
