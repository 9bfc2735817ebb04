from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def delta(value) -> str:
    """+12.5% / -3.0% against the previous period; "new" when there was nothing before."""
    if value is None:
        return _("new")
    return f"{value:+.1f}%"


@register.filter
def delta_class(value) -> str:
    if value is None or value == 0:
        return "flat"
    return "up" if value > 0 else "down"


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value:.1f}%"


@register.filter
def is_zero(value) -> bool:
    """0, "0.00" and nothing are zero (money comes as decimal strings)."""
    try:
        return Decimal(str(value or 0)) == 0
    except InvalidOperation:
        return False
