"""Malformed requests across the API are a clear 4xx, never a 500."""

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

BODIES = ["null", "[1, 2]", '"text"', "42", "{", "\x00\x01", '{"a": NaN}']
ENDPOINTS = [
    ("post", "/api/v1/reports/"),
    ("post", "/api/v1/checkout/"),
    ("post", "/api/v1/cart/items/"),
    ("patch", "/api/v1/cart/items/1/"),
    ("post", "/api/v1/auth/register/"),
    ("post", "/api/v1/auth/token/"),
    ("post", "/api/v1/notes/"),
    ("patch", "/api/v1/me/"),
    ("post", "/api/v1/collections/"),
    ("post", "/api/v1/products/"),
    ("post", "/api/v1/feeds/not-interested/"),
]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
@pytest.mark.parametrize("body", BODIES)
def test_non_object_or_broken_json_is_a_400(brand, method, url, body):
    client = client_for(brand)
    client.raise_request_exception = False

    response = getattr(client, method)(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k")

    assert 400 <= response.status_code < 500, (url, body, response.status_code)
