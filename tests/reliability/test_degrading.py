"""Redis or Postgres away: a miss, a parked task, a 503 — never a 500."""

import json

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from redbook import health
from redbook.cache import FailOpenRedisCache, _fail_open
from redbook.db_errors import DatabaseUnavailableMiddleware, server_error
from tests.conftest import requires_redis

NOBODY_LISTENS = "redis://127.0.0.1:1/0"  # port 1: connection refused at once


@pytest.fixture
def dead_cache():
    return FailOpenRedisCache(NOBODY_LISTENS, {"OPTIONS": {"socket_connect_timeout": 1}})


def test_cache_with_redis_down_reads_as_a_miss(dead_cache):
    assert dead_cache.get("k") is None
    assert dead_cache.get("k", "fallback") == "fallback"
    assert dead_cache.get_many(["a", "b"]) == {}
    assert dead_cache.has_key("k") is False
    assert dead_cache.get_or_set("k", 42) == 42


def test_cache_with_redis_down_writes_are_no_ops(dead_cache):
    dead_cache.set("k", 1)
    dead_cache.set_many({"a": 1})
    assert dead_cache.add("k", 1) is False
    assert dead_cache.delete("k") is False
    dead_cache.delete_many(["a"])
    dead_cache.clear()


def test_cache_with_redis_down_counts_as_a_first_hit_so_rates_fail_open(dead_cache):
    assert dead_cache.incr("hits", 3) == 3


def test_cache_does_not_hide_errors_other_than_connection_errors():
    def buggy(self, key):
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        _fail_open(buggy, lambda key: None)(None, "k")


@requires_redis
def test_cache_on_live_redis_behaves_normally(settings):
    cache = FailOpenRedisCache(settings.REDIS_URL, {})
    cache.set("reliability:k", "v", 10)
    assert cache.get("reliability:k") == "v"
    cache.set("reliability:hits", 1, 10)
    assert cache.incr("reliability:hits", 2) == 3


@requires_redis
def test_cache_reuses_one_client_per_pool(settings):
    client = FailOpenRedisCache(settings.REDIS_URL, {})._cache
    assert client.get_client() is client.get_client()
    assert client.get_client(write=True) is client.get_client("any key", write=True)


@pytest.mark.parametrize(
    ("path", "content_type"), [("/api/v1/notes/", "application/json"), ("/notes/1/", "text/html; charset=utf-8")]
)
def test_database_error_in_a_view_is_a_clean_503(path, content_type):
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get(path)
    response = middleware.process_exception(request, OperationalError("gone"))
    assert response.status_code == 503
    assert response["Content-Type"] == content_type
    assert response["Retry-After"]


def test_api_503_body_has_detail_and_code():
    request = RequestFactory().post("/api/v1/checkout/")
    response = DatabaseUnavailableMiddleware(lambda r: HttpResponse()).process_exception(request, OperationalError())
    body = json.loads(response.content)
    assert body["code"] == "service_unavailable"
    assert body["detail"]


def test_other_errors_are_left_to_django():
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("bug")) is None


def test_database_error_outside_a_view_is_a_503_too():
    request = RequestFactory().get("/api/v1/me/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503


def test_readyz_names_redis_when_it_is_down(db, settings, monkeypatch):
    import redis

    settings.REDIS_URL = NOBODY_LISTENS
    monkeypatch.setattr(
        "redbook.health.get_redis", lambda: redis.Redis.from_url(NOBODY_LISTENS, socket_connect_timeout=1)
    )
    response = health.readyz(RequestFactory().get("/readyz"))
    assert response.status_code == 503
    assert b"redis" in response.content


@pytest.fixture
def redis_down(settings, monkeypatch):
    """REDIS_URL set, but nothing answers there (as during an outage)."""
    import redis

    settings.REDIS_URL = NOBODY_LISTENS
    dead = redis.Redis.from_url(NOBODY_LISTENS, socket_connect_timeout=1)
    for module in ("posts.view_counts", "feeds.services"):
        monkeypatch.setattr(f"{module}.get_redis", lambda: dead)
    settings.RANKING_REDIS_URL = NOBODY_LISTENS
    monkeypatch.setattr("feeds.store.get_ranking_redis", lambda: dead)


def test_with_redis_down_a_view_is_counted_in_the_database(redis_down, user, other_user):
    from posts.models import Note, NoteView
    from posts.view_counts import view_record

    note = Note.objects.create(author=other_user, title="t", body="b")
    assert view_record(note_id=note.pk, viewer_id=user.pk, viewer_key=f"u:{user.pk}")
    assert NoteView.objects.filter(note=note).count() == 1
    note.refresh_from_db()
    assert note.view_count == 1


def test_with_redis_down_explore_reads_the_live_database_ranking(redis_down, user):
    from feeds.selectors import LIVE_KEY, explore_lists

    assert explore_lists(viewer=user, channel=None) == [LIVE_KEY]


def test_with_redis_down_a_refresh_request_is_still_enqueued(redis_down, user, django_capture_on_commit_callbacks):
    from feeds.services import explore_refresh_request

    with django_capture_on_commit_callbacks() as callbacks:
        explore_refresh_request(user_id=user.pk)
    assert len(callbacks) == 1
