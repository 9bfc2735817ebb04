"""Orders talk: the buyer hears when an order is paid, shipped or refunded, and the brand
when a new paid order arrives.

`order_status_notify_soon` is called by shop.orders at the one point where an order's
status changes (`_transition`); the notifications are made by a Celery task after
commit, idempotent by their dedupe key. The task lives here and is registered when
shop.orders is imported (shop.tasks imports it, so every worker has it).
"""

from celery import shared_task
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notifications_save
from notifications.system import system_notification
from outbox.services import enqueue_on_commit
from redbook.celery import RETRY_TRANSIENT
from shop.models import Order

S = Order.Status
NOTIFIED = {S.PAID, S.SHIPPED}  # refunded: once the gateway has refunded (order_refund_notify_soon)


def order_status_notify_soon(order: Order) -> None:
    """Enqueue the notifications the order's new status owes (none for most statuses)."""
    if order.status in NOTIFIED:
        enqueue_on_commit(notify_order_status, order_id=order.pk, status=order.status)


def order_refund_notify_soon(*, order_id: int) -> None:
    """Enqueue the buyer's "refunded" notice once the gateway has given the money back
    (a cancelled paid order keeps its status `cancelled`; its payment is what is refunded)."""
    enqueue_on_commit(notify_order_status, order_id=order_id, status=S.REFUNDED)


def _order_data(order: Order, url: str) -> dict:
    return {"number": order.number, "amount": str(order.total), "currency": order.currency, "url": url}


def order_status_notifications(order: Order, status: str) -> list[Notification]:
    """The notifications (unsaved) owed when `order` reached `status`."""
    buyer_url = reverse("shop:order-detail", args=[order.pk])
    key = f"order:{order.pk}:{status}"
    if status == S.PAID:
        buyer = system_notification(
            recipient_id=order.buyer_id,
            kind="order_paid",
            data=_order_data(order, buyer_url),
            dedupe_key=f"{key}:buyer",
        )
        brand_data = {**_order_data(order, reverse("shop:manage")), "buyer": order.buyer.username}
        brand = system_notification(
            recipient_id=order.brand_id, kind="order_received", data=brand_data, dedupe_key=f"{key}:brand"
        )
        return [buyer, brand]
    if status == S.SHIPPED:
        data = {**_order_data(order, buyer_url), "tracking": order.tracking_number}
        return [system_notification(recipient_id=order.buyer_id, kind="order_shipped", data=data, dedupe_key=key)]
    if status == S.REFUNDED:
        data = _order_data(order, buyer_url)
        return [system_notification(recipient_id=order.buyer_id, kind="order_refunded", data=data, dedupe_key=key)]
    return []


@shared_task(name="shop.notify_order_status", **RETRY_TRANSIENT)
def notify_order_status(*, order_id: int, status: str) -> int:
    """Make the notifications of one status change; safe to retry. Returns how many were due."""
    order = Order.objects.select_related("buyer").filter(pk=order_id).first()
    if order is None:
        return 0
    rows = order_status_notifications(order, status)
    notifications_save(rows)  # dedupe_key: once each
    return len(rows)
