"""Money movements around the gateway, never inside a database transaction.

A charge is three steps, as real providers require (Saleor's complete_checkout):
1. `attempt_create`: a pending `Payment` with a fresh idempotency key, committed with
   the order's lock released;
2. `attempt_charge`: the gateway call, outside any transaction, with that key;
3. `attempt_record`: the answer applied in a new transaction (order paid, or declined).
A process that dies between 2 and 3 leaves a pending attempt: `payments_sweep` (beat)
asks the gateway for its status and records it. A success that can no longer pay its
order (cancelled or expired meanwhile, or already paid) is refunded, never kept.
A refund likewise: marked `refunding` with the order's change, then the gateway, then
`refunded`; the sweep finishes what a crash left.
"""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError

from redbook.exceptions import Invalid, NotFound
from redbook.parsers import json_loads_capped
from shop import stock
from shop.models import Order, Payment, WebhookEvent
from shop.order_notifications import order_refund_notify_soon, order_status_notify_soon
from shop.payments import (
    DECLINED,
    NOT_FOUND,
    PROCESSING,
    SUCCEEDED,
    GatewayResult,
    GatewayUnavailable,
    HostedSandboxGateway,
    get_gateway,
    webhook_signature_ok,
)
from shop.signals import order_paid

logger = logging.getLogger(__name__)
P = Payment.Status
PAYABLE = Order.Status.PENDING_PAYMENT
# What a gateway's final answer makes of a pending attempt.
FINAL_STATUS = {DECLINED: P.DECLINED, NOT_FOUND: P.FAILED}
WEBHOOK_GATEWAYS = {HostedSandboxGateway.name}  # the gateways that confirm by webhook


def refund_key(payment: Payment) -> str:
    return f"{payment.idempotency_key}-refund"


# --- Charge --------------------------------------------------------------------------


def attempt_in_flight(*, order: Order) -> bool:
    return order.payments.filter(status=P.PENDING).exists()


def attempt_create(*, order: Order, card_last4: str) -> Payment:
    """A pending attempt for `order` (call while holding its row lock)."""
    return Payment.objects.create(
        order=order,
        gateway=get_gateway().name,
        status=P.PENDING,
        idempotency_key=f"pay_{secrets.token_hex(16)}",
        amount=order.total,
        currency=order.currency,
        card_last4=card_last4,
    )


def attempt_charge(*, payment: Payment, card_number: str) -> GatewayResult | None:
    """Call the gateway; None when its answer is unknown (the sweep will ask)."""
    try:
        return get_gateway(payment.gateway).charge(
            key=payment.idempotency_key, amount=payment.amount, currency=payment.currency, card_number=card_number
        )
    except GatewayUnavailable as exc:
        logger.warning("payment %s: gateway unavailable (%s); the sweep will ask for its status", payment.pk, exc)
        return None


def attempt_settle(*, payment_id: int, result: GatewayResult) -> Payment:
    """Record the gateway's answer, then give back a charge the order could not keep."""
    payment = attempt_record(payment_id=payment_id, result=result)
    if payment.status == P.REFUNDING:
        payment = payment_refund_finish(payment_id=payment.pk)
    return payment


def attempt_record(*, payment_id: int, result: GatewayResult) -> Payment:
    """Apply one gateway answer to an attempt, once, in its own transaction.

    Idempotent: the request, the webhook and the sweep may all bring the same answer.
    Locks the order, then the payment: the order the cancel and refund services use.
    """
    if result.status == PROCESSING:  # nothing to record until the confirmation
        return Payment.objects.get(pk=payment_id)
    with transaction.atomic():
        order_id = Payment.objects.values_list("order_id", flat=True).get(pk=payment_id)
        order = Order.objects.select_for_update(of=("self",)).get(pk=order_id)
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if result.status == SUCCEEDED:
            _record_success(order, payment, result)
        elif payment.status == P.PENDING:
            _set_status(payment, FINAL_STATUS.get(result.status, P.FAILED), message=result.message)
    return payment


def _record_success(order: Order, payment: Payment, result: GatewayResult) -> None:
    if payment.status not in (P.PENDING, P.FAILED, P.DECLINED):
        return  # recorded already
    already_paid = order.payments.filter(status__in=(P.SUCCEEDED, P.REFUNDING, P.REFUNDED)).exists()
    if order.status != PAYABLE or already_paid:
        # Money arrived for an order that can no longer take it: give it back.
        logger.warning("payment %s succeeded for order %s (%s): refunding", payment.pk, order.number, order.status)
        _set_status(payment, P.REFUNDING, reference=result.reference)
        return
    _set_status(payment, P.SUCCEEDED, reference=result.reference)
    Order.objects.filter(pk=order.pk, status=PAYABLE).update(status=Order.Status.PAID, paid_at=timezone.now())
    order.status = Order.Status.PAID
    order_status_notify_soon(order)
    stock.stock_commit_sold(items=order.items.all(), counts_as_sale=order.counts_as_sale)
    order_paid.send(sender=Order, order=order)
    logger.info("order %s paid (payment %s)", order.number, payment.pk)


def _set_status(payment: Payment, status: str, **fields) -> None:
    fields = {name: value[:200] if name == "message" else value for name, value in fields.items()}
    Payment.objects.filter(pk=payment.pk).update(status=status, updated_at=timezone.now(), **fields)
    payment.status = status
    for name, value in fields.items():
        setattr(payment, name, value)


# --- Refund --------------------------------------------------------------------------


def payment_refund_start(*, order: Order) -> int | None:
    """Mark the order's successful payment as to be refunded (inside the order's change).

    Returns its id for `payment_refund_finish`, called after the commit; None if the
    order has no successful payment.
    """
    payment = order.payments.filter(status=P.SUCCEEDED).first()
    if payment is None:
        return None
    _set_status(payment, P.REFUNDING)
    return payment.pk


def payment_refund_finish(*, payment_id: int | None) -> Payment | None:
    """Ask the gateway to refund (outside any transaction) and record it once."""
    payment = Payment.objects.filter(pk=payment_id, status=P.REFUNDING).first()
    if payment is None:
        return None
    try:
        result = get_gateway(payment.gateway).refund(
            key=refund_key(payment),
            charge_key=payment.idempotency_key,
            amount=payment.amount,
            currency=payment.currency,
        )
    except GatewayUnavailable as exc:
        logger.warning("refund of payment %s: gateway unavailable (%s); the sweep retries", payment.pk, exc)
        return payment
    if result.status == SUCCEEDED:
        Payment.objects.filter(pk=payment.pk, status=P.REFUNDING).update(status=P.REFUNDED, updated_at=timezone.now())
        payment.status = P.REFUNDED
        order_refund_notify_soon(order_id=payment.order_id)
        logger.info("payment %s refunded", payment.pk)
    else:
        logger.error("refund of payment %s answered %s: left for the sweep and staff", payment.pk, result.status)
    return payment


# --- Sweep ---------------------------------------------------------------------------


def payments_sweep(*, batch_size: int = 100) -> tuple[int, bool]:
    """Settle attempts and refunds a crash left unfinished; returns (settled, has_more).

    Only rows untouched for PAYMENT_SWEEP_AFTER: younger ones may still be in a
    request's hands. An attempt the gateway never saw becomes `failed` (if its charge
    lands after all, recording it refunds it).
    """
    stale = timezone.now() - timedelta(seconds=settings.PAYMENT_SWEEP_AFTER_SECONDS)
    batch = list(
        Payment.objects.filter(status__in=(P.PENDING, P.REFUNDING), updated_at__lt=stale).order_by("updated_at")[
            :batch_size
        ]
    )
    settled = 0
    for payment in batch:
        if _sweep_one(payment):
            settled += 1
        else:  # to the back of the queue: rows the gateway cannot settle yet must not block the rest
            Payment.objects.filter(pk=payment.pk, status=payment.status).update(updated_at=timezone.now())
    if settled:
        logger.info("payments sweep settled %d of %d payments", settled, len(batch))
    return settled, len(batch) == batch_size and settled > 0


def _sweep_one(payment: Payment) -> bool:
    """Ask the gateway about one unfinished payment and record the answer; True if settled."""
    if payment.status == P.REFUNDING:
        finished = payment_refund_finish(payment_id=payment.pk)
        return finished is None or finished.status == P.REFUNDED  # None: a request finished it
    try:
        result = get_gateway(payment.gateway).status(key=payment.idempotency_key)
    except GatewayUnavailable:
        return False
    return attempt_settle(payment_id=payment.pk, result=result).status != P.PENDING


# --- Webhook -------------------------------------------------------------------------


def payment_webhook_receive(*, gateway_name: str, body: bytes, signature: str) -> bool:
    """Apply a provider's signed event once; False when it was a replay already handled.

    The signature (with its timestamp, within PAYMENT_WEBHOOK_TOLERANCE_SECONDS) is
    checked before anything is parsed; each event id is recorded once, with the
    answer it carried, in one transaction.
    """
    if gateway_name not in WEBHOOK_GATEWAYS:
        raise NotFound(_("No such payment gateway."))
    if not webhook_signature_ok(
        body=body,
        header=signature,
        secret=settings.PAYMENT_WEBHOOK_SECRET,
        tolerance_s=settings.PAYMENT_WEBHOOK_TOLERANCE_SECONDS,
    ):
        raise Invalid(_("Bad or expired webhook signature."), code="invalid_signature")
    event_id, kind, key, result = _webhook_event_parse(body)
    if kind != "charge":
        _webhook_event_once(gateway_name, event_id)  # refunds are confirmed synchronously
        return True
    payment = Payment.objects.filter(gateway=gateway_name, idempotency_key=key).only("pk").first()
    if payment is None:
        raise NotFound(_("No payment with that key."), code="unknown_payment")
    with transaction.atomic():
        if not _webhook_event_once(gateway_name, event_id):
            return False
        attempt_record(payment_id=payment.pk, result=result)
    payment_refund_finish(payment_id=payment.pk)  # no-op unless the order could not keep it
    return True


def _webhook_event_once(gateway_name: str, event_id: str) -> bool:
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(gateway=gateway_name, event_id=event_id)
    except IntegrityError:
        return False
    return True


def _webhook_event_parse(body: bytes) -> tuple[str, str, str, GatewayResult]:
    """(event id, charge|refund, idempotency key, result) or Invalid."""
    try:
        event = json_loads_capped(body)
        event_id, event_type, data = str(event["id"]), str(event["type"]), event["data"]
        key = str(data["idempotency_key"])
        kind, _dot, status = event_type.partition(".")
    except (ParseError, ValueError, KeyError, TypeError) as exc:
        raise Invalid(_("The webhook event is malformed."), code="invalid_event") from exc
    if not event_id or len(event_id) > 100 or kind not in ("charge", "refund") or status not in (SUCCEEDED, DECLINED):
        raise Invalid(_("The webhook event is malformed."), code="invalid_event")
    result = GatewayResult(status, reference=str(data.get("reference", ""))[:100], message=str(data.get("message", "")))
    return event_id, kind, key, result
