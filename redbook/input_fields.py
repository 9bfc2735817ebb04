"""Number fields for serializers and forms that parse with `redbook.numbers` (ASCII digits only).

DRF's IntegerField and DecimalField, and Django's form IntegerField and DecimalField,
convert with int() / Decimal(), which read "٣" as 3. Every writable number field of
the API and of the pages is one of these instead (tests/security/test_bad_input.py
checks every serializer and form); read-only output fields may stay DRF's own.
"""

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from redbook import numbers


class IntegerField(serializers.IntegerField):
    """A whole number in ASCII digits, by default within a bigint."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", numbers.ID_MAX)
        kwargs.setdefault("min_value", -numbers.ID_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            return numbers.parse_int(data, min_value=None, max_value=None)
        except ValueError:
            self.fail("invalid")


class DecimalField(serializers.DecimalField):
    """A finite decimal in ASCII digits (DRF's own checks then apply: digits, places, range)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not data.strip().isascii():
            self.fail("invalid")
        return super().to_internal_value(data)


class FloatField(serializers.FloatField):
    def to_internal_value(self, data):
        try:
            return numbers.parse_float(data)
        except ValueError:
            self.fail("invalid")


class IntegerFormField(forms.IntegerField):
    """Django's form IntegerField, reading ASCII digits only."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return numbers.parse_int(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class DecimalFormField(forms.DecimalField):
    """Django's form DecimalField, reading ASCII digits only (NaN and Infinity it refuses itself)."""

    def to_python(self, value):
        if isinstance(value, str) and not value.strip().isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class FloatFormField(forms.FloatField):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return numbers.parse_float(value)
        except ValueError:
            raise forms.ValidationError(_("Enter a number."), code="invalid") from None


def max_length_of(model: type[Model], field_name: str) -> int:
    """The model field's max_length: the one limit that the API, forms and pages' maxlength all read."""
    limit = model._meta.get_field(field_name).max_length
    if limit is None:
        raise ImproperlyConfigured(f"{model.__name__}.{field_name} has no max_length")
    return limit
