"""Shop background work: small, idempotent tasks that call services."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from redbook.celery import RETRY_TRANSIENT
from shop import payment_flow
from shop.models import Cart
from shop.orders import orders_expire_unpaid
from shop.payments import HostedSandboxGateway, get_gateway, webhook_signature
from shop.reconcile import shop_reconcile

GUEST_CART_TTL = timedelta(days=30)


@shared_task(name="shop.expire_unpaid_orders", **RETRY_TRANSIENT)
def expire_unpaid_orders(batch_size: int = 200) -> int:
    """Beat, every minute: cancel unpaid orders past their hold, a bounded batch at a time."""
    expired, has_more = orders_expire_unpaid(batch_size=batch_size)
    if has_more:
        expire_unpaid_orders.delay(batch_size=batch_size)
    return expired


@shared_task(name="shop.reconcile", **RETRY_TRANSIENT)
def reconcile() -> dict:
    return shop_reconcile()


@shared_task(name="shop.purge_guest_carts", **RETRY_TRANSIENT)
def purge_guest_carts(batch_size: int = 1000) -> int:
    ids = list(
        Cart.objects.filter(user__isnull=True, updated_at__lt=timezone.now() - GUEST_CART_TTL).values_list(
            "pk", flat=True
        )[:batch_size]
    )
    Cart.objects.filter(pk__in=ids).delete()
    if len(ids) == batch_size:
        purge_guest_carts.delay(batch_size=batch_size)
    return len(ids)


@shared_task(name="shop.payments_sweep", **RETRY_TRANSIENT)
def payments_sweep(batch_size: int = 100) -> int:
    """Beat, every minute: settle payment attempts and refunds a crash left unfinished."""
    settled, has_more = payment_flow.payments_sweep(batch_size=batch_size)
    if has_more:
        payments_sweep.delay(batch_size=batch_size)
    return settled


@shared_task(name="shop.hosted_sandbox_deliver", **RETRY_TRANSIENT)
def hosted_sandbox_deliver(key: str) -> bool:
    """The hosted sandbox provider posting its signed event for the charge `key`.

    Delivered in process to the same receiver as `POST /api/v1/payments/webhook/hosted/`,
    signature check included; False when it was a replay.
    """
    body = get_gateway(HostedSandboxGateway.name).event_for(key)
    signature = webhook_signature(body=body, secret=settings.PAYMENT_WEBHOOK_SECRET)
    return payment_flow.payment_webhook_receive(gateway_name=HostedSandboxGateway.name, body=body, signature=signature)
