"""Template builtins (TEMPLATES["OPTIONS"]["builtins"] in settings): the one money format,
the one date format and inputs' maxlength from the model, in every template without a {% load %}."""

from django import template
from django.apps import apps

from redbook import formats, input_fields

register = template.Library()
register.filter("money", formats.money)
register.filter("when", formats.when)


@register.simple_tag
def max_length(model_label: str, field_name: str) -> int:
    """`{% max_length "posts.Comment" "body" %}`: an input's maxlength from the model field."""
    return input_fields.max_length_of(apps.get_model(model_label), field_name)
