"""A brand buying its own product is neither a verified buyer nor a sale."""

import pytest

from reliability import checks
from shop import orders
from shop.selectors import product_notes, verified_buyer_note_ids
from tests.factories import BrandFactory
from tests.shop.conftest import paid_order
from tests.shop.test_catalog import _note

pytestmark = pytest.mark.django_db


def _sold(product) -> int:
    product.refresh_from_db()
    return product.sold_count


def test_own_purchase_counts_no_sale_and_grants_no_badge(product, variant):
    brand = product.brand
    own = paid_order(brand, variant, 2)
    assert _sold(product) == 0
    own.__class__.objects.filter(pk=own.pk).update(status="delivered")
    note = _note(brand, product)
    assert verified_buyer_note_ids(notes=[note]) == set()
    assert list(product_notes(product=product, viewer=None, buyers_only=True)) == []
    assert checks.sold_counts() == []


def test_another_brands_purchase_is_a_sale_and_a_verified_buyer(product, variant):
    other = BrandFactory()
    order = paid_order(other, variant, 2)
    assert _sold(product) == 2
    order.__class__.objects.filter(pk=order.pk).update(status="delivered")
    note = _note(other, product)
    assert verified_buyer_note_ids(notes=[note]) == {note.pk}
    assert checks.sold_counts() == []


def test_cancelling_an_own_purchase_takes_no_sale_away(product, variant):
    paid_order(BrandFactory(), variant, 1, key="other")
    own = paid_order(product.brand, variant, 3, key="own")
    assert _sold(product) == 1
    orders.order_cancel(order_id=own.pk, actor=product.brand)
    assert _sold(product) == 1
    variant.refresh_from_db()
    assert variant.stock == 10 - 1
    assert checks.sold_counts() == []
