from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()

SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "JPY": "¥", "GBP": "£"}


@register.filter
def money(value, currency="CNY") -> str:
    """129 -> "¥129.00"; an unknown currency is written before the amount ("KRW 100.00")."""
    if value in (None, ""):
        return ""
    amount = number_format(Decimal(value), decimal_pos=2, force_grouping=True)
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{amount}" if symbol else f"{currency} {amount}"


@register.simple_tag
def price_range(product) -> str:
    low, high = money(product.price_min, product.currency), money(product.price_max, product.currency)
    return low if product.price_min == product.price_max else f"{low} – {high}"
