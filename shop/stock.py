"""The only code that moves stock. Call inside `transaction.atomic()`.

Every move is a conditional UPDATE on the variant row, taken in variant pk order so
concurrent orders lock rows in the same order and cannot deadlock. Product rows
(sold_count) are touched before variant rows, the order product_update locks them in. There is no
read-then-write: `stock = stock - q WHERE stock >= q` either takes the units or
touches no row, and the CHECK (stock >= 0) in the database is the backstop.
"""

from collections.abc import Iterable

from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from redbook.exceptions import Conflict
from shop.models import OrderItem, Product, Variant
from shop.product_cards import forget_products

Line = tuple[int, int]  # (variant_id, quantity)


def _in_pk_order(lines: Iterable[Line]) -> list[Line]:
    return sorted((vid, qty) for vid, qty in lines if vid is not None)


def _order_lines(items: Iterable[OrderItem]) -> list[Line]:
    return _in_pk_order((item.variant_id, item.quantity) for item in items)


def stock_reserve(*, lines: Iterable[Line]) -> None:
    """Hold units for an unpaid order, or raise Conflict (409) naming what ran out."""
    ordered = _in_pk_order(lines)
    for variant_id, quantity in ordered:
        taken = Variant.objects.filter(pk=variant_id, stock__gte=quantity).update(
            stock=F("stock") - quantity, reserved=F("reserved") + quantity
        )
        if not taken:
            raise _out_of_stock(variant_id, quantity)
    _forget_products_of(variant_id for variant_id, _quantity in ordered)


def _forget_products_of(variant_ids: Iterable[int]) -> None:
    """The list's summaries show each variant's stock (in_stock, only_left)."""
    forget_products(Variant.objects.filter(pk__in=list(variant_ids)).values_list("product_id", flat=True).distinct())


def _out_of_stock(variant_id: int, wanted: int) -> Conflict:
    variant = Variant.objects.select_related("product").filter(pk=variant_id).first()
    if variant is None:
        return Conflict(_("Sorry, %(name)s is sold out.") % {"name": _("this item")}, code="out_of_stock")
    return out_of_stock_error(variant, wanted)


def out_of_stock_error(variant: Variant, wanted: int) -> Conflict:
    """409 for asking more than there is, naming the count only when it is low (Variant.only_left)."""
    if variant.stock <= 0:
        message = _("Sorry, %(name)s is sold out.") % {"name": variant}
    elif variant.only_left:
        message = _("Only %(left)d left of %(name)s.") % {"left": variant.only_left, "name": variant}
    else:
        message = _("Not enough of %(name)s in stock for %(wanted)d.") % {"name": variant, "wanted": wanted}
    return Conflict(message, code="out_of_stock")


def stock_release(*, items: Iterable[OrderItem]) -> None:
    """An unpaid order is cancelled or expired: its held units go back on sale."""
    lines = _order_lines(items)
    for variant_id, quantity in lines:
        Variant.objects.filter(pk=variant_id).update(
            stock=F("stock") + quantity, reserved=Greatest(F("reserved") - quantity, 0)
        )
    _forget_products_of(variant_id for variant_id, _quantity in lines)


def stock_commit_sold(*, items: Iterable[OrderItem], counts_as_sale: bool) -> None:
    """The order is paid: held units become sold units (and sales, unless the brand bought)."""
    items = list(items)
    for product_id, quantity in sorted(_sum_by_product(items if counts_as_sale else []).items()):
        Product.objects.filter(pk=product_id).update(sold_count=F("sold_count") + quantity)
    for variant_id, quantity in _order_lines(items):
        Variant.objects.filter(pk=variant_id).update(reserved=Greatest(F("reserved") - quantity, 0))
    forget_products(_sum_by_product(items))  # sold_count


def stock_restore(*, items: Iterable[OrderItem], counts_as_sale: bool) -> None:
    """A paid order is cancelled or refunded: its sold units go back on sale."""
    items = list(items)
    for product_id, quantity in sorted(_sum_by_product(items if counts_as_sale else []).items()):
        Product.objects.filter(pk=product_id).update(sold_count=Greatest(F("sold_count") - quantity, 0))
    lines = _order_lines(items)
    for variant_id, quantity in lines:
        Variant.objects.filter(pk=variant_id).update(stock=F("stock") + quantity)
    _forget_products_of(variant_id for variant_id, _quantity in lines)
    forget_products(_sum_by_product(items))  # sold_count, also of a line whose variant is gone


def _sum_by_product(items: Iterable[OrderItem]) -> dict[int, int]:
    totals: dict[int, int] = {}
    for item in items:
        if item.product_id is not None:
            totals[item.product_id] = totals.get(item.product_id, 0) + item.quantity
    return totals
