"""Fixtures shared by every app's tests: clients, users, the real Redis and a real worker."""

from contextlib import contextmanager

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tests.factories import BrandFactory, UserFactory

requires_postgres = pytest.mark.skipif(not settings.IS_POSTGRES, reason="needs Postgres (DATABASE_URL)")
requires_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Private originals (redbook/storage.py) follow: MEDIA_ROOT/../originals.


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is the production hasher (tested in tests/accounts); tests hash fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_redis():
    """Each test starts from an empty Redis database (tests use their own db number)."""
    from redbook.redis import get_redis

    client = get_redis()
    if client is not None:
        client.flushdb()
    yield


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def brand(db):
    return BrandFactory()


@pytest.fixture
def anon_client():
    return APIClient()


def client_for(user) -> APIClient:
    """An API client with a token of `user`: one per user instance and password, as a login issues."""
    from accounts.services import token_issue

    keys = user.__dict__.setdefault("_test_api_keys", {})
    if user.password not in keys:
        keys[user.password] = token_issue(user=user, name="tests")[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {keys[user.password]}")
    return client


@pytest.fixture
def api_client(user):
    """An API client authenticated (by token) as `user`."""
    return client_for(user)


@contextmanager
def real_worker():
    """A real Celery worker, in a thread, consuming the configured broker (Redis in CI).

    Tests that use it see tasks run exactly as in production: enqueued after commit,
    serialized, picked up by the worker. Use the `celery_worker` fixture, or this to
    start one mid-test (after arranging what is in the queue).
    """
    from celery.contrib.testing.worker import start_worker

    from redbook.celery import app

    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


@pytest.fixture
def celery_worker(transactional_db):
    with real_worker() as worker:
        yield worker
