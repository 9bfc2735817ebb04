"""Helpers for the API.md contract suite: a client's view of the API, nothing internal.

Everything here goes through HTTP (DRF's APIClient) with real uploads made by Pillow;
only set-up that no API offers (staff hiding a note, suspending an account, a channel)
touches the models, as an admin would.
"""

import io
import math
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from tests.conftest import client_for
from tests.factories import BrandFactory, UserFactory

API = "/api/v1/"
PASSWORD = "Contract-pass-2024!"

USER_FIELDS = {
    "username",
    "display_name",
    "bio",
    "avatar_url",
    "is_brand",
    "is_verified",
    "followers_count",
    "following_count",
    "notes_count",
    "followed_by_me",
}
NOTE_FIELDS = {
    "id",
    "author",
    "title",
    "body",
    "images",
    "tags",
    "location",
    "products",
    "like_count",
    "save_count",
    "comment_count",
    "view_count",
    "liked_by_me",
    "saved_by_me",
    "created_at",
}
IMAGE_FIELDS = {"url", "thumb_url", "width", "height"}
COMMENT_FIELDS = {"id", "author", "body", "parent_id", "created_at", "reply_count"}
PRODUCT_FIELDS = {
    "id",
    "name",
    "description",
    "brand",
    "category",
    "images",
    "price_min",
    "price_max",
    "currency",
    "variants",
    "notes_count",
}
VARIANT_FIELDS = {"id", "name", "price", "in_stock"}
ORDER_FIELDS = {
    "id",
    "number",
    "status",
    "items",
    "subtotal",
    "total",
    "currency",
    "shipping_address",
    "created_at",
}
ORDER_ITEM_FIELDS = {"variant_id", "product_id", "name", "unit_price", "quantity"}
ADDRESS = {
    "name": "Li Wei",
    "phone": "+86 138 0000 0000",
    "line1": "88 Nanjing Road",
    "city": "Shanghai",
    "postal_code": "200001",
    "country": "CN",
}
GOOD_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"


def api(path: str) -> str:
    return API + path.lstrip("/")


def jpeg_bytes(size=(120, 90), color=(200, 40, 80)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def jpeg(name="photo.jpg", size=(120, 90), color=(200, 40, 80)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(size, color), content_type="image/jpeg")


def assert_error(response, *statuses):
    """A 4xx from the list, with a JSON body: `{"detail", "code"}` or DRF field errors."""
    assert response.status_code in statuses, (response.status_code, getattr(response, "content", b"")[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body, dict) and body, body
    if "detail" in body and isinstance(body["detail"], str):
        assert body["detail"]
        assert isinstance(body.get("code"), str) and body["code"], body
    else:  # field errors: {"field": ["message"]}
        # ("code" may sit beside them: a report's own field is called "detail".)
        assert all(isinstance(v, list | dict) for k, v in body.items() if k != "code"), body
    return body


def assert_list(response, status=200) -> list:
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) >= {"results", "next"}, body
    assert isinstance(body["results"], list)
    assert body["next"] is None or isinstance(body["next"], str)
    return body["results"]


def assert_fields(obj: dict, fields: set, what: str = ""):
    missing = fields - set(obj)
    assert not missing, f"{what} misses {sorted(missing)}: {sorted(obj)}"


def assert_user(obj: dict):
    assert_fields(obj, USER_FIELDS, "user")
    assert isinstance(obj["is_brand"], bool) and isinstance(obj["is_verified"], bool)
    assert isinstance(obj["followed_by_me"], bool)
    for name in ("followers_count", "following_count", "notes_count"):
        assert isinstance(obj[name], int) and obj[name] >= 0


def assert_note(obj: dict):
    assert_fields(obj, NOTE_FIELDS, "note")
    assert_user(obj["author"])
    assert isinstance(obj["tags"], list) and all(isinstance(t, str) for t in obj["tags"])
    assert isinstance(obj["images"], list)
    for image in obj["images"]:
        assert_fields(image, IMAGE_FIELDS, "note image")
        assert isinstance(image["width"], int) and isinstance(image["height"], int)
    assert obj["location"] is None or set(obj["location"]) >= {"lat", "lng", "place_name"}
    assert isinstance(obj["products"], list)
    for name in ("like_count", "save_count", "comment_count", "view_count"):
        assert isinstance(obj[name], int) and obj[name] >= 0
    assert isinstance(obj["liked_by_me"], bool) and isinstance(obj["saved_by_me"], bool)
    assert_iso_datetime(obj["created_at"])


def assert_iso_datetime(value: str):
    from datetime import datetime

    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None, f"{value} has no time zone"


def assert_money(value):
    from decimal import Decimal

    assert isinstance(value, str), f"money must be a decimal string, got {value!r}"
    assert Decimal(value) == Decimal(value).quantize(Decimal("0.01")) and "." in value


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def haversine_km(lat1, lng1, lat2, lng2) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def collect_ids(client, url: str, *, limit_pages=20) -> list:
    """Walk a cursor list to its end; the ids in order."""
    ids, pages = [], 0
    while url and pages < limit_pages:
        response = client.get(url)
        ids += [row["id"] for row in assert_list(response)]
        url = response.json()["next"]
        pages += 1
    return ids


def post_note(client, *, title="Contract note", body="", tags=None, images=1, status=201, **fields):
    data = {"title": title, "body": body, "images": [jpeg(f"p{i}.jpg", color=(i * 20, 80, 120)) for i in range(images)]}
    if tags is not None:
        data["tags"] = tags
    data.update({k: v for k, v in fields.items() if v is not None})
    response = client.post(api("notes/"), data, format="multipart")
    assert response.status_code == status, (response.status_code, response.content[:500])
    return response.json()


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob")


@pytest.fixture
def carol(db):
    return UserFactory(username="carol")


@pytest.fixture
def acme(db):
    return BrandFactory(username="acme")


@pytest.fixture
def alice_client(alice) -> APIClient:
    return client_for(alice)


@pytest.fixture
def bob_client(bob) -> APIClient:
    return client_for(bob)


@pytest.fixture
def carol_client(carol) -> APIClient:
    return client_for(carol)


@pytest.fixture
def acme_client(acme) -> APIClient:
    return client_for(acme)
