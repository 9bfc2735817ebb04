from django import template

from redbook.formats import money

register = template.Library()


@register.simple_tag
def price_range(product) -> str:
    low, high = money(product.price_min, product.currency), money(product.price_max, product.currency)
    return low if product.price_min == product.price_max else f"{low} – {high}"
