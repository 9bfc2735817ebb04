"""Ids and numbers read from requests: one parser, ASCII digits only.

`str.isdigit()` is true for "²", "①" and "٣"; `int()`, `Decimal()` and `float()` accept
some of them ("٣" is 3, a different id than the one shown) and crash on others ("²"):
a 500. Every id, quantity, price, stock, page and coordinate read from a path, a query,
a form or a JSON body goes through these functions instead (the DRF and form fields in
`redbook.input_fields` too): ASCII digits, finite, within what its column holds.
Anything else is a ValueError (or None for an id), which the caller answers with a
400 or a 404.
"""

import math
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import BadRequest

ID_MAX = 2**63 - 1  # bigint: every primary key is a BigAutoField
_MAX_TEXT = 64  # longer than any number we take: refused before any conversion
_INTEGER = re.compile(r"-?[0-9]+\Z")
_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]{1,3})?\Z")


def _text(value) -> str:
    """`value` as the text to match; ValueError for what is neither a number nor a string."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError(f"not a number: {value!r}")
    text = value.strip() if isinstance(value, str) else str(value)
    if len(text) > _MAX_TEXT:
        raise ValueError("number too long")
    return text


def _in_range(number, min_value, max_value):
    if (min_value is not None and number < min_value) or (max_value is not None and number > max_value):
        raise ValueError(f"{number} is out of range")
    return number


def is_ascii_digits(text: str) -> bool:
    """Only 0-9 (a card number, a code): `str.isdigit()` alone lets "²" and "٣" through."""
    return text.isascii() and text.isdigit()


def parse_int(value, *, min_value: int | None = -ID_MAX, max_value: int | None = ID_MAX) -> int:
    """A whole number from an int or a string of ASCII digits (with an optional minus)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return _in_range(value, min_value, max_value)
    text = _text(value)
    if not _INTEGER.match(text):
        raise ValueError(f"not a whole number: {text!r}")
    return _in_range(int(text), min_value, max_value)


def parse_id(value) -> int | None:
    """A primary key, or None when `value` cannot be one (the caller's 404)."""
    try:
        return parse_int(value, min_value=1)
    except ValueError:
        return None


def parse_decimal(value, *, max_digits: int, decimal_places: int) -> Decimal:
    """A finite Decimal that fits a DecimalField(max_digits, decimal_places), rounded to its places.

    No NaN, no Infinity, no exponent, no digits beyond the column: each of these used to
    reach the database (a DataError) or a comparison (InvalidOperation), both a 500.
    """
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("not a finite number")
    text = _text(repr(value) if isinstance(value, float) else value)
    if not _DECIMAL.match(text):
        raise ValueError(f"not a decimal number: {text!r}")
    try:
        number = Decimal(text).quantize(Decimal(1).scaleb(-decimal_places))
    except InvalidOperation as exc:  # more digits than the context holds
        raise ValueError("number too large") from exc
    if abs(number) >= Decimal(10) ** (max_digits - decimal_places):
        raise ValueError(f"{number} does not fit {max_digits} digits")
    return number


def parse_float(value, *, min_value: float | None = None, max_value: float | None = None) -> float:
    """A finite float from a number or an ASCII decimal string (an exponent allowed)."""
    text = _text(value)
    if not isinstance(value, int | float) and not _FLOAT.match(text):
        raise ValueError(f"not a number: {text!r}")
    number = float(value) if isinstance(value, int | float) else float(text)
    if not math.isfinite(number):
        raise ValueError("not a finite number")
    return _in_range(number, min_value, max_value)


def request_page(request, *, last: int = 10_000) -> int:
    """`?page=` of a page's grid: 1 when absent, at most `last`; a 400 when it is not a number from 1."""
    value = request.GET.get("page")
    if value in (None, ""):
        return 1
    try:
        return min(parse_int(value, min_value=1), last)
    except ValueError as exc:
        raise BadRequest("page must be a number from 1") from exc
