"""Order lifecycle services: checkout, pay, cancel, ship, deliver, refund, expire.

Status moves only through `_transition`, a conditional UPDATE on the current status:
when two actors race (the buyer cancels while the expiry task runs), exactly one
UPDATE matches and the other gets a clear 409 or returns quietly.
"""

import hashlib
import json
import logging
import secrets
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from redbook import numbers
from redbook.exceptions import Conflict, Forbidden, Invalid, NotFound, PaymentDeclined
from shop import payment_flow, stock
from shop.models import MAX_LINE_QUANTITY, Cart, CartItem, Order, OrderItem, Payment
from shop.order_notifications import order_status_notify_soon
from shop.payments import normalize_card_number
from shop.signals import order_refunded

logger = logging.getLogger(__name__)

S = Order.Status
_TOTAL = Order._meta.get_field("total")
ORDER_TOTAL_MAX = Decimal(10) ** (_TOTAL.max_digits - _TOTAL.decimal_places) - Decimal(1).scaleb(-_TOTAL.decimal_places)
PAID_OR_LATER = {S.PAID, S.SHIPPED, S.DELIVERED}
# Crockford's base32 without look-alikes (no I, L, O, U): easy to read out on the phone.
NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ADDRESS_FIELDS = {  # field: (required, max length)
    "name": (True, 100),
    "phone": (True, 20),
    "line1": (True, 200),
    "line2": (False, 200),
    "city": (True, 100),
    "region": (False, 100),
    "postal_code": (True, 12),
    "country": (True, 60),
}


class _KeyAlreadyUsed(Exception):
    """Another request with the same Idempotency-Key placed the order first."""


# --- Checkout ---------------------------------------------------------------------------


def shipping_address_clean(data) -> dict:
    """The address as we store it, or ValidationError with a message per field."""
    if not isinstance(data, dict):
        raise ValidationError(_("Send the address as an object: name, phone, line1, city, postal_code, country."))
    cleaned, errors = {}, {}
    for field, (required, max_length) in ADDRESS_FIELDS.items():
        value = data.get(field, "")
        value = value.strip() if isinstance(value, str) else ("" if value is None else str(value))
        if required and not value:
            errors[field] = [_("This field is required.")]
        elif len(value) > max_length:
            errors[field] = [_("At most %(n)d characters.") % {"n": max_length}]
        elif value:
            cleaned[field] = value
    phone_digits = sum(ch.isdigit() for ch in cleaned.get("phone", ""))
    if "phone" in cleaned and (phone_digits < 6 or set(cleaned["phone"]) - set("0123456789+-() ")):
        errors["phone"] = [_("Enter a phone number (digits, spaces, + - and brackets).")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def order_checkout(
    *, buyer, idempotency_key: str, shipping_address: dict, brand_username: str | None = None
) -> tuple[Order, bool]:
    """Place an order from the buyer's cart; returns (order, created).

    The same key from the same buyer returns the order it placed the first time.
    The whole order is one transaction: every unit is reserved or none is.
    """
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise Invalid(_("Send an Idempotency-Key header (1 to 100 characters)."), code="idempotency_key_required")
    if not buyer.is_active or getattr(buyer, "is_suspended", False):
        raise Forbidden(_("This account is suspended."), code="suspended")
    fingerprint = request_fingerprint(shipping_address=shipping_address, brand_username=brand_username)
    existing = Order.objects.filter(buyer=buyer, idempotency_key=key).first()
    if existing:
        return _replayed(existing, fingerprint), False
    address = shipping_address_clean(shipping_address)
    try:
        with transaction.atomic():
            order = _place_order(
                buyer=buyer, key=key, fingerprint=fingerprint, address=address, brand_username=brand_username
            )
    except _KeyAlreadyUsed:
        return _replayed(Order.objects.get(buyer=buyer, idempotency_key=key), fingerprint), False
    logger.info("order %s placed by user %s", order.number, buyer.pk)
    return order, True


def request_fingerprint(*, shipping_address, brand_username: str | None) -> str:
    """A hash of what a checkout asks for (key order and spacing aside)."""
    asked = {"shipping_address": shipping_address, "brand": brand_username or None}
    canonical = json.dumps(asked, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replayed(order: Order, fingerprint: str) -> Order:
    """The order a key placed, for the same request again; a 409 for another request.

    Orders placed before fingerprints were kept have none, and are replayed as before.
    """
    if order.request_fingerprint and order.request_fingerprint != fingerprint:
        raise Conflict(
            _("This Idempotency-Key was already used for a different request: send a new key for a new order."),
            code="idempotency_mismatch",
        )
    return order


def _place_order(*, buyer, key: str, fingerprint: str, address: dict, brand_username: str | None) -> Order:
    # Locking the cart serializes one buyer's checkouts, so a double submit with two
    # keys cannot buy the same lines twice; with one key, the second finds the order.
    cart = Cart.objects.select_for_update().filter(user=buyer).first()
    if Order.objects.filter(buyer=buyer, idempotency_key=key).exists():
        raise _KeyAlreadyUsed
    lines = _checkout_lines(cart, brand_username)
    subtotal = sum((line.variant.price * line.quantity for line in lines), Decimal("0.00"))
    if subtotal > ORDER_TOTAL_MAX:  # else a DataError (a 500) when the order row is written
        raise Invalid(
            _("This order's total is more than one order can hold: split it into several orders."),
            code="total_too_large",
        )
    order = _order_insert(
        buyer=buyer,
        brand_id=lines[0].variant.product.brand_id,
        key=key,
        fingerprint=fingerprint,
        address=address,
        subtotal=subtotal,
        currency=lines[0].variant.product.currency,
    )
    stock.stock_reserve(lines=[(line.variant_id, line.quantity) for line in lines])
    OrderItem.objects.bulk_create(
        OrderItem(
            order=order,
            variant_id=line.variant_id,
            product_id=line.variant.product_id,
            name=f"{line.variant.product.name} · {line.variant.name}",
            unit_price=line.variant.price,  # the server's price, never the client's
            quantity=line.quantity,
            source_note_id=line.source_note_id,
        )
        for line in lines
    )
    CartItem.objects.filter(pk__in=[line.pk for line in lines]).delete()
    return order


def _checkout_lines(cart: Cart | None, brand_username: str | None) -> list[CartItem]:
    lines = list(
        CartItem.objects.filter(cart=cart).select_related("variant__product__brand").order_by("variant_id")
        if cart
        else []
    )
    if brand_username:
        lines = [line for line in lines if line.variant.product.brand.username == brand_username]
    if not lines:
        raise Invalid(_("Your cart is empty."), code="cart_empty")
    if len({line.variant.product.brand_id for line in lines}) > 1:
        raise Invalid(
            _("Your cart has items from several stores: check out one store at a time (send `brand`)."),
            code="several_stores",
        )
    for line in lines:
        product = line.variant.product
        if not product.is_on_sale:
            raise Conflict(_("%(name)s is no longer on sale.") % {"name": product.name}, code="not_on_sale")
        if not 1 <= line.quantity <= MAX_LINE_QUANTITY:
            raise Invalid(_("Quantities must be between 1 and %(n)d.") % {"n": MAX_LINE_QUANTITY})
    return lines


def _order_insert(
    *, buyer, brand_id: int, key: str, fingerprint: str, address: dict, subtotal: Decimal, currency: str
) -> Order:
    now = timezone.now()
    for _attempt in range(5):
        order = Order(
            number=order_number_new(now),
            buyer=buyer,
            brand_id=brand_id,
            idempotency_key=key,
            request_fingerprint=fingerprint,
            shipping_address=address,
            subtotal=subtotal,
            total=subtotal,  # shipping is free for now; `shipping_fee` leaves room
            currency=currency,
            expires_at=now + settings.ORDER_HOLD,
        )
        try:
            with transaction.atomic():  # a savepoint: a clash must not poison the order
                order.save()
            return order
        except IntegrityError:
            if Order.objects.filter(buyer=buyer, idempotency_key=key).exists():
                raise _KeyAlreadyUsed from None
            # else: an order number clash (1 in 33 million a day): draw another
    raise Conflict(_("Could not allocate an order number; please try again."))


def hold_minutes() -> int:
    """How long an unpaid order holds its units, for the pages to tell the shopper."""
    return int(settings.ORDER_HOLD.total_seconds() // 60)


def order_number_new(now: datetime) -> str:
    """RB + the local date + five readable random characters, e.g. RB20261125-7K3Q9."""
    suffix = "".join(secrets.choice(NUMBER_ALPHABET) for _i in range(5))
    return f"RB{timezone.localtime(now):%Y%m%d}-{suffix}"


# --- Transitions -------------------------------------------------------------------------


def _transition(order: Order, *, source: set, target: str, **stamps) -> None:
    """Move `order` from one of `source` to `target`, or raise Conflict if it moved on."""
    updated = Order.objects.filter(pk=order.pk, status__in=source).update(status=target, **stamps)
    if not updated:
        raise Conflict(
            _("This order is %(status)s and cannot be changed that way.")
            % {"status": Order.Status(order.status).label.lower()},
            code="invalid_status",
        )
    order.status = target
    for field, value in stamps.items():
        setattr(order, field, value)
    order_status_notify_soon(order)  # paid, shipped, refunded: the buyer (and brand) are told


def _locked(queryset, order_id) -> Order:
    order = None
    if (pk := numbers.parse_id(order_id)) is not None:
        order = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
    if order is None:
        raise NotFound(_("No such order."))
    return order


def _buyer_order(order_id, buyer) -> Order:
    return _locked(Order.objects.filter(buyer=buyer), order_id)


def _seller_order(order_id, actor) -> Order:
    """An order the actor may act on as its seller: the selling brand, or staff."""
    if not actor.is_staff and not actor.is_brand:
        raise Forbidden(_("Only the selling brand can do this."))
    queryset = Order.objects.all() if actor.is_staff else Order.objects.filter(brand=actor)
    return _locked(queryset, order_id)


# --- Payment -----------------------------------------------------------------------------


def order_pay(*, order_id, buyer, card_number: str) -> Order:
    """Charge the order once; returns it paid, or still pending while a hosted gateway confirms.

    Paying a paid order returns it; a decline raises 402; a second click while an
    attempt is in flight is a 409. The gateway is called with no transaction open and
    no row locked (shop/payment_flow.py).
    """
    card = normalize_card_number(card_number)
    with transaction.atomic():
        order = _buyer_order(order_id, buyer)
        if order.status in PAID_OR_LATER:
            return order
        if order.status != S.PENDING_PAYMENT:
            raise Conflict(_("This order was cancelled and can no longer be paid."), code="invalid_status")
        if payment_flow.attempt_in_flight(order=order):
            raise Conflict(_("A payment for this order is being confirmed."), code="payment_in_progress")
        payment = payment_flow.attempt_create(order=order, card_last4=card[-4:])
    result = payment_flow.attempt_charge(payment=payment, card_number=card)
    if result is not None:
        payment = payment_flow.attempt_settle(payment_id=payment.pk, result=result)
    if payment.status in (Payment.Status.DECLINED, Payment.Status.FAILED):
        raise PaymentDeclined(payment.message or _("Your card was declined."))
    order.refresh_from_db()
    return order


# --- Cancel, expire ------------------------------------------------------------------------


def _cancel_locked(order: Order) -> int | None:
    """Cancel before shipping: held units are released, paid units restored.

    Returns the id of the payment to refund once the cancel is committed, if any.
    """
    if order.status == S.CANCELLED:
        return None
    was_paid = order.status == S.PAID
    _transition(order, source={S.PENDING_PAYMENT, S.PAID}, target=S.CANCELLED, cancelled_at=timezone.now())
    items = list(order.items.all())
    logger.info("order %s cancelled", order.number)
    if not was_paid:
        stock.stock_release(items=items)
        return None
    stock.stock_restore(items=items, counts_as_sale=order.counts_as_sale)
    order_refunded.send(sender=Order, order=order)
    return payment_flow.payment_refund_start(order=order)


def order_cancel(*, order_id, actor) -> Order:
    """The buyer (or staff) cancels an order that has not shipped yet; a paid one is refunded.

    The refund reaches the gateway after the commit (the sweep retries it after a crash).
    """
    with transaction.atomic():
        queryset = Order.objects.all() if actor.is_staff else Order.objects.filter(buyer=actor)
        order = _locked(queryset, order_id)
        refund_id = _cancel_locked(order)
    payment_flow.payment_refund_finish(payment_id=refund_id)
    return order


def order_expire(*, order_id) -> bool:
    """Cancel one unpaid order past its hold time; False if it was paid or cancelled meanwhile."""
    with transaction.atomic():
        # An attempt in flight keeps the order; should its charge land after all, on
        # an order cancelled meanwhile, recording it refunds it (shop/payment_flow.py).
        expired = (
            Order.objects.filter(pk=order_id, status=S.PENDING_PAYMENT, expires_at__lte=timezone.now())
            .exclude(payments__status=Payment.Status.PENDING)
            .update(status=S.CANCELLED, cancelled_at=timezone.now())
        )
        if expired:
            stock.stock_release(items=OrderItem.objects.filter(order_id=order_id))
    return bool(expired)


def orders_expire_unpaid(*, batch_size: int = 200) -> tuple[int, bool]:
    """Expire one bounded batch of unpaid orders; returns (expired, has_more)."""
    ids = list(
        Order.objects.filter(status=S.PENDING_PAYMENT, expires_at__lte=timezone.now())
        .exclude(payments__status=Payment.Status.PENDING)  # as order_expire: a payment is in flight
        .order_by("expires_at")
        .values_list("pk", flat=True)[:batch_size]
    )
    expired = sum(order_expire(order_id=pk) for pk in ids)
    if expired:
        logger.info("expired %d unpaid orders", expired)
    # A full batch that expired nothing (all raced away) waits for beat instead of looping.
    return expired, len(ids) == batch_size and expired > 0


# --- Seller side ------------------------------------------------------------------------------


def order_ship(*, order_id, actor, tracking_number: str) -> Order:
    """The brand ships a paid order once; shipping a shipped order returns it."""
    tracking = str(tracking_number or "").strip()
    if not tracking or len(tracking) > 64:
        raise Invalid(_("Enter the tracking number (at most 64 characters)."), code="tracking_number_required")
    with transaction.atomic():
        order = _seller_order(order_id, actor)
        if order.status in (S.SHIPPED, S.DELIVERED):
            return order
        _transition(order, source={S.PAID}, target=S.SHIPPED, shipped_at=timezone.now(), tracking_number=tracking)
    return order


def order_mark_delivered(*, order_id, actor) -> Order:
    """The buyer confirms receipt (or staff records it): this makes notes "verified buyer"."""
    with transaction.atomic():
        queryset = Order.objects.all() if actor.is_staff else Order.objects.filter(buyer=actor)
        order = _locked(queryset, order_id)
        if order.status != S.DELIVERED:
            _transition(order, source={S.SHIPPED}, target=S.DELIVERED, delivered_at=timezone.now())
    return order


def order_refund(*, order_id, actor) -> Order:
    """The selling brand or staff refunds a paid order: units back on sale, then money back
    (the gateway is called after the commit)."""
    with transaction.atomic():
        order = _seller_order(order_id, actor)
        if order.status == S.REFUNDED:
            return order
        _transition(order, source=PAID_OR_LATER, target=S.REFUNDED, refunded_at=timezone.now())
        stock.stock_restore(items=list(order.items.all()), counts_as_sale=order.counts_as_sale)
        order_refunded.send(sender=Order, order=order)
        refund_id = payment_flow.payment_refund_start(order=order)
    payment_flow.payment_refund_finish(payment_id=refund_id)
    logger.info("order %s refunded by user %s", order.number, actor.pk)
    return order
