"""Issue 20 item 8: orders talk. The buyer is told when an order is paid, shipped and
refunded (with the amount), the brand when a new paid order arrives."""

import time

import pytest

from notifications.models import Notification
from redbook.exceptions import PaymentDeclined
from shop import orders
from shop.order_notifications import notify_order_status, order_status_notifications
from tests.conftest import client_for, requires_redis
from tests.factories import BrandFactory, UserFactory
from tests.shop.conftest import make_product, paid_order, place_order

NOTIFICATIONS = "/api/v1/notifications/"


def wait_for(predicate, timeout=20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.2)
    return predicate()


def texts(user, **headers) -> dict[str, str]:
    results = client_for(user).get(NOTIFICATIONS, headers=headers).json()["results"]
    return {item["kind"]: item["text"] for item in results}


@requires_redis
@pytest.mark.django_db(transaction=True)
def test_paid_shipped_and_refunded_reach_the_buyer_and_the_brand(celery_worker):
    brand = BrandFactory(username="glowlab")
    buyer = UserFactory(username="mei")
    variant = make_product(brand, variants=(("Set", "107.90", 5),)).variants.get()
    order = paid_order(buyer, variant)

    assert wait_for(lambda: Notification.objects.filter(kind__in=["order_paid", "order_received"]).count() == 2)
    orders.order_ship(order_id=order.pk, actor=brand, tracking_number="SF123456789")
    assert wait_for(lambda: Notification.objects.filter(kind="order_shipped").exists())
    orders.order_refund(order_id=order.pk, actor=brand)
    assert wait_for(lambda: Notification.objects.filter(kind="order_refunded").exists())

    buyer_texts = texts(buyer)
    assert buyer_texts["order_paid"] == f"Payment received for order {order.number}: ¥107.90."
    assert buyer_texts["order_shipped"] == f"Order {order.number} has shipped (tracking number SF123456789)."
    assert buyer_texts["order_refunded"] == f"Order {order.number} was refunded: ¥107.90 is on its way back to you."
    assert texts(brand) == {"order_received": f"New paid order {order.number} from @mei: ¥107.90."}
    assert texts(buyer, **{"accept-language": "zh-hans"})["order_paid"] == f"订单 {order.number} 已付款：¥107.90。"
    urls = {n["kind"]: n["url"] for n in client_for(buyer).get(NOTIFICATIONS).json()["results"]}
    assert set(urls.values()) == {f"/orders/{order.pk}/"}
    assert client_for(brand).get(NOTIFICATIONS).json()["results"][0]["url"] == "/shop/manage/"


@pytest.mark.django_db
def test_a_declined_or_cancelled_order_owes_nothing(user, variant):
    order = place_order(user, variant)
    orders.order_cancel(order_id=order.pk, actor=user)

    assert order_status_notifications(order, "pending_payment") == []
    assert order_status_notifications(order, "cancelled") == []


@pytest.mark.django_db
def test_the_task_is_safe_to_run_twice(user, variant):
    order = paid_order(user, variant)

    first = notify_order_status(order_id=order.pk, status="paid")
    notify_order_status(order_id=order.pk, status="paid")

    assert first == 2
    assert Notification.objects.filter(kind="order_paid", recipient=user).count() == 1
    assert Notification.objects.filter(kind="order_received", recipient=order.brand).count() == 1


@pytest.mark.django_db
def test_a_missing_order_is_skipped_quietly():
    assert notify_order_status(order_id=987654321, status="paid") == 0


@pytest.mark.django_db
def test_the_status_change_enqueues_after_commit(user, variant, django_capture_on_commit_callbacks):
    order = place_order(user, variant)

    with django_capture_on_commit_callbacks() as callbacks:
        orders.order_pay(order_id=order.pk, buyer=user, card_number="4242424242424242")
    other = place_order(user, variant, key="key-2")  # adding to the cart enqueues its analytics event
    with django_capture_on_commit_callbacks() as declined_callbacks, pytest.raises(PaymentDeclined):
        orders.order_pay(order_id=other.pk, buyer=user, card_number="4000000000000002")

    # (the other callback drops the product's cached list summary: shop/product_cards.py)
    assert len([callback for callback in callbacks if "enqueue_on_commit" in callback.__qualname__]) == 1
    assert declined_callbacks == []
