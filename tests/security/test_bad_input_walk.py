"""Issue 13 item 6: each class of bad input, on EVERY endpoint, is a 4xx, never a 5xx.

Endpoints come from the URL resolver (tests/security/walk.py), and request bodies'
fields from the OpenAPI schema, so what is added later is walked too. Each test walks
everything and reports every failure at once.
"""

import base64
import json
from contextlib import contextmanager
from urllib.parse import quote, urlencode

import pytest
from django.http import QueryDict
from drf_spectacular.generators import SchemaGenerator

from redbook import cursors
from tests.security.walk import BAD_NUMBERS, UNICODE_DIGITS, bad_response, build_world, endpoints

pytestmark = pytest.mark.django_db

# What a list needs before it reads its other parameters.
BASE_QUERY = {
    "api/v1/search/": {"q": "walk"},
    "api/v1/search/suggest/": {"q": "walk"},
    "api/v1/feeds/nearby/": {"lat": "31", "lng": "121"},
    "search/": {"q": "walk"},
    "nearby/": {"lat": "31", "lng": "121"},
}
# Read by many lists; tried everywhere even when a first request did not read them.
ALWAYS_TRIED = {"page", "page_size", "cursor"}


@pytest.fixture
def world(db):
    world = build_world()
    world["client"].force_login(world["user"])  # pages too, not only the token API
    for client in (world["client"], world["anon"]):
        client.raise_request_exception = False
    return world


@contextmanager
def query_keys_read():
    """The keys a request reads from its query (and form) QueryDicts."""
    keys: set[str] = set()
    originals = {name: getattr(QueryDict, name) for name in ("get", "__getitem__", "getlist", "__contains__")}

    def spy(original):
        def read(self, key, *args, **kwargs):
            keys.add(key)
            return original(self, key, *args, **kwargs)

        return read

    for name, original in originals.items():
        setattr(QueryDict, name, spy(original))
    try:
        yield keys
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)


def _get_endpoints(world):
    for endpoint in endpoints():
        if "get" in endpoint.methods:
            yield endpoint, endpoint.url(world["values"]), BASE_QUERY.get(endpoint.route, {})


def _keys_read(client, url: str, base: dict) -> set[str]:
    with query_keys_read() as keys:
        client.get(url, base)
    return keys


def test_the_walk_covers_the_api_and_the_pages():
    routes = {str(e) for e in endpoints()}
    assert {"api/v1/notes/<int:note_id>/", "api/v1/products/<str:product_id>/", "notes/<int:note_id>/"} <= routes
    assert len(routes) > 80


def test_every_path_parameter_refuses_unicode_digits_and_overflow(world):
    failures = []
    for endpoint in endpoints():
        for param in endpoint.params:
            for bad in [*UNICODE_DIGITS, "9" * 25, "-1"]:
                url = endpoint.url({**world["values"], param: quote(bad)})
                for method in endpoint.methods:
                    response = getattr(world["client"], method)(url)
                    if problem := bad_response(response, api=endpoint.is_api):
                        failures.append(f"{method.upper()} {url}: {problem}")
                    elif response.status_code == 200 and param.endswith("_id") and method == "get":
                        failures.append(f"GET {url}: 200, a non-ASCII or impossible id found something")
    assert not failures, "\n".join(failures)


def test_every_query_parameter_refuses_bad_numbers(world):
    client, failures, tried = world["client"], [], 0
    for endpoint, url, base in _get_endpoints(world):
        for key in sorted((_keys_read(client, url, base) | ALWAYS_TRIED) - set(base)):
            for bad in BAD_NUMBERS:
                response = client.get(url, {**base, key: bad})
                tried += 1
                if problem := bad_response(response, api=endpoint.is_api):
                    failures.append(f"GET {url}?{urlencode({**base, key: bad})}: {problem}")
    assert tried > 1000
    assert not failures, "\n".join(failures)


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def forged_cursors() -> list[str]:
    genuine = cursors.cursor_encode({"o": 20})
    payload, signature = genuine.rsplit(":", 1)
    return [
        _b64("p=abc&o=1"),  # DRF's own format, position not a number
        _b64("o=²&r=1"),
        _b64('{"o": "x"}'),
        _b64('{"n": 1e999, "r": [1]}'),
        _b64('{"d": NaN, "i": 1}'),
        "garbage!",
        "%%%",
        _b64("o:-5"),
        _b64("x" * 3000),
        payload[:-2] + "AA:" + signature,  # tampered contents, the old signature
        payload + ":" + "A" * len(signature),  # a made-up signature
        cursors.cursor_encode({"o": "x", "p": 5, "n": "²", "d": "x"}),  # ours, but no list's fields
    ]


def test_every_paged_list_refuses_forged_cursors(world):
    client, failures, paged = world["client"], [], []
    for endpoint, url, base in _get_endpoints(world):
        if "cursor" not in _keys_read(client, url, base):
            continue
        paged.append(endpoint.route)
        for forged in forged_cursors():
            response = client.get(url, {**base, "cursor": forged})
            if response.status_code != 400:
                failures.append(f"GET {url} cursor={forged[:40]}: {response.status_code}, not 400")
            elif endpoint.is_api and response.json().get("code") != "invalid_cursor":
                failures.append(f"GET {url} cursor={forged[:40]}: {response.json()}")
    assert {"api/v1/feeds/follow/", "api/v1/search/", "api/v1/orders/", "api/v1/products/", "nearby/"} <= set(paged)
    assert not failures, "\n".join(failures)


def test_genuine_cursors_still_page(world):
    from posts import services as post_services
    from tests.contract.conftest import jpeg

    author = world["user"]
    for i in range(3):
        post_services.note_create(author=author, title=f"page {i}", images=[jpeg()])
    url = f"/api/v1/users/{author.username}/notes/?page_size=2"
    first = world["client"].get(url).json()
    second = world["client"].get(first["next"]).json()
    assert len(first["results"]) == 2 and len(second["results"]) == 1
    assert not {n["id"] for n in first["results"]} & {n["id"] for n in second["results"]}


DEEP_BODIES = {
    "array": "[" * 50_000 + "]" * 50_000,
    "object": '{"a":' * 30_000 + "1" + "}" * 30_000,
    "in a field": '{"username": ' + "[" * 40_000 + "]" * 40_000 + ', "password": "x"}',
}


@pytest.mark.parametrize("shape", DEEP_BODIES)
def test_every_json_endpoint_refuses_deep_nesting(world, shape):
    failures = []
    for endpoint in endpoints():
        if not endpoint.is_api or "logout" in endpoint.route:  # it reads no body, and ends the session
            continue
        url = endpoint.url(world["values"])
        for method in {"post", "put", "patch"} & set(endpoint.methods):
            for who in ("anon", "client"):
                call = getattr(world[who], method)
                response = call(url, DEEP_BODIES[shape], content_type="application/json")
                if problem := bad_response(response, api=True):
                    failures.append(f"{who} {method.upper()} {url}: {problem}")
    assert not failures, "\n".join(failures)


def test_unauthenticated_json_endpoints_refuse_deep_and_huge_bodies(world):
    anon = world["anon"]
    for url in ("/api/v1/auth/register/", "/api/v1/auth/token/"):
        deep = anon.post(url, DEEP_BODIES["array"], content_type="application/json")
        assert deep.status_code == 400 and deep.json()["code"] == "too_deep"
        huge = json.dumps({"username": "u", "password": "p", "bio": "x" * 2_000_000})
        too_big = anon.post(url, huge, content_type="application/json")
        assert too_big.status_code == 413 and too_big.json()["code"] == "too_large"


def _body_fields(schema: dict, operation: dict) -> list[str]:
    content = (operation.get("requestBody") or {}).get("content", {})
    body = content.get("application/json") or content.get("multipart/form-data") or {}
    ref = body.get("schema", {}).get("$ref", "")
    component = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {}) if ref else body.get("schema", {})
    return list(component.get("properties", {}))


BODY_VALUES = ["٣", "²", "①", 10**30, "1e400", "NaN", -(10**30), [1], {"a": 1}]


def test_every_body_field_of_the_schema_refuses_bad_numbers(world):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    failures, tried = [], 0
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/v1/") or "logout" in path:
            continue
        url = path.format(**{k: v for k, v in world["values"].items()})
        for method, operation in operations.items():
            if method not in ("post", "put", "patch"):
                continue
            client = world["brand_client"] if "products" in path or "brand/" in path else world["client"]
            for field in _body_fields(schema, operation):
                for bad in BODY_VALUES:
                    body = {"shipping_address": world["address"], field: bad} if "checkout" in path else {field: bad}
                    response = getattr(client, method)(url, body, format="json", HTTP_IDEMPOTENCY_KEY=f"k{tried}")
                    tried += 1
                    if problem := bad_response(response, api=True):
                        failures.append(f"{method.upper()} {url} {field}={bad!r}: {problem}")
    assert tried > 200
    assert not failures, "\n".join(failures)
