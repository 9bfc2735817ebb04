"""Admin: the shop's changelists render, and refund / cancel go through the services."""

import pytest

from shop.models import Order, Variant
from tests.factories import UserFactory
from tests.shop.conftest import paid_order, place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_pages_render(staff_client, user, variant):
    order = place_order(user, variant)
    for url in (
        "/admin/shop/product/",
        f"/admin/shop/product/{variant.product_id}/change/",
        "/admin/shop/order/",
        f"/admin/shop/order/{order.pk}/change/",
        "/admin/shop/order/?status__exact=pending_payment",
        f"/admin/shop/order/?brand__id__exact={variant.product.brand_id}",
    ):
        assert staff_client.get(url).status_code == 200, url


def test_admin_refund_and_cancel_actions_restore_stock(staff_client, user, variant):
    paid = paid_order(user, variant, 2, key="a")
    pending = place_order(user, variant, 3, key="b")
    staff_client.post("/admin/shop/order/", {"action": "refund_orders", "_selected_action": [paid.pk]})
    staff_client.post("/admin/shop/order/", {"action": "cancel_orders", "_selected_action": [pending.pk]})
    assert dict(Order.objects.values_list("pk", "status")) == {paid.pk: "refunded", pending.pk: "cancelled"}
    variant = Variant.objects.get(pk=variant.pk)
    assert (variant.stock, variant.reserved) == (10, 0)
