"""Template builtins (TEMPLATES["OPTIONS"]["builtins"] in settings): the one money format
and the one date format, available in every template without a {% load %}."""

from django import template

from redbook import formats

register = template.Library()
register.filter("money", formats.money)
register.filter("when", formats.when)
