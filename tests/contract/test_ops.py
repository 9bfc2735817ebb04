"""API.md "Operations" and "Schema": health probes, the OpenAPI document and its browser page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_healthz_is_ok_without_touching_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content.decode().strip().lower() == "ok"
    assert len(queries) == 0


def test_readyz_answers_200_when_database_and_redis_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content


def test_schema_is_openapi_3_and_lists_every_contract_path(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for path in [
        "/api/v1/auth/register/",
        "/api/v1/auth/token/",
        "/api/v1/auth/logout/",
        "/api/v1/me/",
        "/api/v1/users/{username}/",
        "/api/v1/users/{username}/follow/",
        "/api/v1/users/{username}/followers/",
        "/api/v1/users/{username}/following/",
        "/api/v1/users/{username}/notes/",
        "/api/v1/users/{username}/block/",
        "/api/v1/notes/",
        "/api/v1/notes/{note_id}/",
        "/api/v1/notes/{note_id}/like/",
        "/api/v1/notes/{note_id}/save/",
        "/api/v1/notes/{note_id}/view/",
        "/api/v1/notes/{note_id}/reshare/",
        "/api/v1/notes/{note_id}/comments/",
        "/api/v1/comments/{comment_id}/",
        "/api/v1/collections/",
        "/api/v1/collections/{collection_id}/notes/",
        "/api/v1/tags/{name}/notes/",
        "/api/v1/feeds/follow/",
        "/api/v1/feeds/explore/",
        "/api/v1/feeds/channels/",
        "/api/v1/feeds/not-interested/",
        "/api/v1/feeds/nearby/",
        "/api/v1/search/",
        "/api/v1/search/suggest/",
        "/api/v1/products/",
        "/api/v1/products/{product_id}/",
        "/api/v1/cart/",
        "/api/v1/cart/items/",
        "/api/v1/cart/items/{item_id}/",
        "/api/v1/checkout/",
        "/api/v1/orders/",
        "/api/v1/orders/{order_id}/",
        "/api/v1/orders/{order_id}/pay/",
        "/api/v1/orders/{order_id}/cancel/",
        "/api/v1/brand/orders/",
        "/api/v1/brand/orders/{order_id}/ship/",
        "/api/v1/reports/",
        "/api/v1/notifications/",
        "/api/v1/notifications/read/",
    ]:
        assert path in paths, f"{path} missing from /api/schema/"


def test_docs_page_renders_swagger_ui(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_unknown_api_paths_answer_json_404_even_to_a_csrf_checking_client(db):
    from rest_framework.test import APIClient

    from tests.conftest import client_for
    from tests.factories import UserFactory

    client = client_for(UserFactory())
    client.handler.enforce_csrf_checks = True  # as a real token client: no CSRF cookie at all
    for method, path in (("post", "/api/v1/orders//pay/"), ("post", "/api/v1/me"), ("get", "/api/v1/nope/")):
        response = getattr(client, method)(path)
        assert response.status_code == 404, (path, response.status_code)
        assert response.json()["code"] == "not_found"
    redirect = APIClient().get("/api/v1/feeds/channels")
    assert redirect.status_code == 301 and redirect["Location"].endswith("/api/v1/feeds/channels/")
