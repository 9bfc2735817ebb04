"""redbook.renderers: orjson writes the bytes DRF's JSONRenderer writes, for what the API returns."""

from datetime import UTC, datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from redbook.renderers import ORJSONRenderer


def test_the_same_bytes_as_drf_json_renderer():
    data = {
        "results": ReturnList(
            [
                ReturnDict(
                    {"title": "小红书 “quotes” \\ / \n\t é 😀", "id": 2**53, "ok": True, "none": None}, serializer=None
                ),
                {"line": "a\u2028b\u2029c", "lat": 31.2304, "lng": -121.47, "distance_km": 0.001, "zero": 0.0},
            ],
            serializer=None,
        ),
        "reason": gettext_lazy("Popular"),
        "price": Decimal("129.00"),
        "at": datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC),
        7: "int key",
        "next": None,
    }
    expected = JSONRenderer().render(data)
    assert ORJSONRenderer().render(data) == expected
    assert b"\\u2028" in expected  # the escape DRF adds is kept


def test_indented_and_empty_responses_are_drf_s_own():
    data = {"a": [1, 2]}
    assert ORJSONRenderer().render(data, "application/json; indent=2") == JSONRenderer().render(
        data, "application/json; indent=2"
    )
    assert ORJSONRenderer().render(None) == b""
