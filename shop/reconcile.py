"""Reconciliation: rebuild the shop's denormalized numbers from the source of truth.

A backstop, not a crutch: the services keep these right; this finds what a crash,
a manual SQL fix or a bug left behind, fixes it and logs each fix.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from shop.models import Order, OrderItem, Product, Variant
from shop.product_cards import forget_products
from shop.services import expected_notes_count, expected_prices

logger = logging.getLogger(__name__)
ORDER_WINDOW = timedelta(days=2)


def _held_by_open_orders(variant_ids=None) -> dict[int, int]:
    lines = OrderItem.objects.filter(order__status=Order.Status.PENDING_PAYMENT, variant__isnull=False)
    if variant_ids is not None:
        lines = lines.filter(variant_id__in=variant_ids)
    return dict(lines.values("variant_id").annotate(q=Sum("quantity")).values_list("variant_id", "q"))


def reconcile_reserved_stock() -> int:
    """Variant.reserved must equal the units held by unpaid orders."""
    held = _held_by_open_orders()
    suspects = [
        pk
        for pk, reserved in Variant.objects.filter(Q(reserved__gt=0) | Q(pk__in=held)).values_list("pk", "reserved")
        if reserved != held.get(pk, 0)
    ]
    fixed = 0
    for pk in suspects:
        # Re-check under the variant's row lock: a checkout in flight holds that lock
        # until it commits, so what we count next includes its lines.
        with transaction.atomic():
            variant = Variant.objects.select_for_update().get(pk=pk)
            expected = _held_by_open_orders([pk]).get(pk, 0)
            if variant.reserved != expected:
                logger.warning("reconcile: variant %s reserved %s -> %s", pk, variant.reserved, expected)
                Variant.objects.filter(pk=pk).update(reserved=expected)
                fixed += 1
    return fixed


def reconcile_order_totals(*, window: timedelta = ORDER_WINDOW) -> int:
    """An order's subtotal is the sum of its lines; its total adds shipping.

    Orders of the last `window` only: run hourly, that checks each order many times
    while it can still change, without scanning the whole history every hour.
    """
    line_total = ExpressionWrapper(F("items__unit_price") * F("items__quantity"), output_field=DecimalField())
    wrong = (
        Order.objects.filter(created_at__gte=timezone.now() - window)
        .annotate(lines_sum=Coalesce(Sum(line_total), 0, output_field=DecimalField()))
        .filter(~Q(subtotal=F("lines_sum")) | ~Q(total=F("subtotal") + F("shipping_fee")))
        .values_list("pk", "number", "subtotal", "total", "lines_sum", "shipping_fee")
    )
    fixed = 0
    for pk, number, subtotal, total, lines_sum, shipping_fee in wrong:
        logger.warning(
            "reconcile: order %s subtotal %s -> %s, total %s -> %s",
            number,
            subtotal,
            lines_sum,
            total,
            lines_sum + shipping_fee,
        )
        Order.objects.filter(pk=pk).update(subtotal=lines_sum, total=lines_sum + shipping_fee)
        fixed += 1
    return fixed


def reconcile_product_counters() -> int:
    """price_min / price_max and notes_count that differ from what they count."""
    fields = ("price_min", "price_max", "notes_count")
    expected = {f"expected_{name}": expression for name, expression in expected_prices().items()}
    expected["expected_notes_count"] = expected_notes_count()
    mismatch = Q()
    for name in fields:
        mismatch |= ~Q(**{name: F(f"expected_{name}")})
    wrong = Product.objects.annotate(**expected).filter(mismatch).values("pk", *fields, *expected)
    fixed = 0
    for row in wrong.iterator():
        changes = {name: row[f"expected_{name}"] for name in fields}
        logger.warning("reconcile: product %s %s -> %s", row["pk"], {name: row[name] for name in fields}, changes)
        Product.objects.filter(pk=row["pk"]).update(**changes)
        forget_products([row["pk"]])
        fixed += 1
    return fixed


def shop_reconcile() -> dict[str, int]:
    return {
        "reserved": reconcile_reserved_stock(),
        "order_totals": reconcile_order_totals(),
        "products": reconcile_product_counters(),
    }
