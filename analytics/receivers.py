"""What analytics does when the shop announces something (shop/signals.py) or a user logs in."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from analytics.attribution import touch_note, touches_merge
from analytics.events import event_id_for, event_record, events_insert
from analytics.models import Event, Kind
from posts.api import viewer_key
from posts.models import Note
from redbook.visitors import SESSION_KEY, guest_key, user_key
from shop.models import CartItem, OrderItem


def on_product_viewed(sender, product, request, **kwargs) -> None:
    """Once per viewer, product and day (a reload or a retry counts once); not the brand's own looks."""
    if request.user.is_authenticated and request.user.pk == product.brand_id:
        return
    now = timezone.now()
    event_record(
        event_id=event_id_for("pv", timezone.localdate(now), viewer_key(request), product.pk),
        kind=Kind.PRODUCT_VIEW,
        brand_id=product.brand_id,
        product_id=product.pk,
        at=now,
    )


def on_added_to_cart(sender, item, quantity, visitor, **kwargs) -> None:
    """The line takes the note the shopper last came from (within 7 days); one event per add."""
    product = item.variant.product
    visitor = visitor or (user_key(item.cart.user_id) if item.cart.user_id else None)
    touched = touch_note(visitor=visitor, product_id=product.pk) if visitor else None
    creator_id = None
    if touched is not None:
        item.source_note_id, creator_id = touched
        CartItem.objects.filter(pk=item.pk).update(source_note_id=item.source_note_id)
    elif item.source_note_id:
        creator_id = _author_of(item.source_note_id)
    # The line's id and its new quantity name this add: the same add delivered twice is one.
    event_id = event_id_for("ac", item.pk, item.quantity)
    note_id = item.source_note_id
    transaction.on_commit(
        lambda: event_record(
            event_id=event_id,
            kind=Kind.ADD_TO_CART,
            brand_id=product.brand_id,
            product_id=product.pk,
            note_id=note_id,
            creator_id=creator_id,
        )
    )


def _author_of(note_id: int) -> int | None:
    return Note.objects.filter(pk=note_id).values_list("author_id", flat=True).first()


def _order_lines(order) -> list[dict]:
    return list(
        OrderItem.objects.filter(order=order).values(
            "pk", "product_id", "quantity", "unit_price", "source_note_id", "source_note__author_id"
        )
    )


def _sale_events(order, *, kind: int, prefix: str, sign: int, day, lines: list[dict]) -> list[Event]:
    now = timezone.now()
    return [
        Event(
            event_id=f"{prefix}:{line['pk']}",
            kind=kind,
            day=day,
            occurred_at=now,
            brand_id=order.brand_id,
            product_id=line["product_id"],
            note_id=line["source_note_id"],
            creator_id=line["source_note__author_id"],
            order_id=order.pk,
            units=sign * line["quantity"],
            revenue=sign * line["quantity"] * Decimal(line["unit_price"]),
            currency=order.currency,
        )
        for line in lines
        if line["product_id"] is not None
    ]


def on_order_paid(sender, order, **kwargs) -> None:
    """Units and revenue per line, in the payment's transaction (a brand's own purchase is no sale)."""
    if not order.counts_as_sale:
        return
    lines = _order_lines(order)
    events_insert(_sale_events(order, kind=Kind.ORDER, prefix="o", sign=1, day=timezone.localdate(), lines=lines))


def on_order_refunded(sender, order, **kwargs) -> None:
    """Reverse what the sale counted, on the day it was counted (dashboards show net sales)."""
    lines = _order_lines(order)
    sold = {
        event_id: day
        for event_id, day in Event.objects.filter(
            event_id__in=[f"o:{line['pk']}" for line in lines], kind=Kind.ORDER
        ).values_list("event_id", "day")
    }
    if not sold:
        return  # paid before analytics counted it, or not a sale
    day = next(iter(sold.values()))
    lines = [line for line in lines if f"o:{line['pk']}" in sold]
    events_insert(_sale_events(order, kind=Kind.REFUND, prefix="r", sign=-1, day=day, lines=lines))


def on_login(sender, request, user, **kwargs) -> None:
    """A guest's remembered notes become the account's."""
    session = getattr(request, "session", None) if request is not None else None
    guest = guest_key(session)
    if guest is None:
        return
    touches_merge(guest=guest, account=user_key(user.pk))
    session.pop(SESSION_KEY, None)
