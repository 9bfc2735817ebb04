"""A read replica that does not answer (here: a port nothing listens on) must not stall
requests: reads go to the primary after at most about a second, the failure is remembered,
no thread waits for another's measurement, and /readyz reports the cached figure.

The replica's settings are the ones redbook/settings.py builds from DATABASE_REPLICA_URLS
(short connect and pool timeouts); the primary is the real test database."""

import math
import runpy
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend
from django.test import RequestFactory

from redbook import replicas
from tests.cluster.processes import free_port

pytestmark = pytest.mark.postgres

ALIAS = "replica_down"
SETTINGS_FILE = Path(__file__).resolve().parents[2] / "redbook/settings.py"


@pytest.fixture
def dead_replica(transactional_db, monkeypatch):  # not in a transaction: the router would use the primary anyway
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        pytest.skip("replicas are Postgres streaming replicas")
    port = free_port()  # bound and released: nothing listens there
    monkeypatch.setenv("DATABASE_REPLICA_URLS", f"postgres://postgres@127.0.0.1:{port}/redbook")
    config = runpy.run_path(str(SETTINGS_FILE))["DATABASES"]["replica1"]  # as settings builds it
    config = connections.configure_settings({DEFAULT_DB_ALIAS: {}, ALIAS: config})[ALIAS]
    # The router finds replicas in settings.DATABASES. The connection is made here rather
    # than from `connections`' own settings: pytest-django lets a test query only the
    # aliases it declares there, plus connections made like this one.
    monkeypatch.setattr(settings, "DATABASES", {**settings.DATABASES, ALIAS: config})
    connections[ALIAS] = load_backend(config["ENGINE"]).DatabaseWrapper(config, ALIAS)
    monkeypatch.setattr(replicas, "_lags", {})
    monkeypatch.setattr(replicas, "_measuring", {})
    yield ALIAS
    connection = connections[ALIAS]
    connection.close()
    connection.close_pool()
    del connections[ALIAS]


@pytest.fixture
def get_request_state():
    """The router's view of an anonymous GET: it may read from a replica."""
    state = replicas._RequestState(RequestFactory().get("/"), may_use_replica=True)
    token = replicas._state.set(state)
    yield state
    replicas._state.reset(token)


def test_replica_connections_give_up_fast(monkeypatch):
    monkeypatch.setenv("DATABASE_REPLICA_URLS", "postgres://postgres@127.0.0.1:1/redbook")
    config = runpy.run_path(str(SETTINGS_FILE))["DATABASES"]["replica1"]
    if config["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("replicas are Postgres streaming replicas")
    assert config["OPTIONS"]["connect_timeout"] <= 2
    if "pool" in config["OPTIONS"]:
        assert config["OPTIONS"]["pool"]["timeout"] <= 1
    assert settings.DATABASES[DEFAULT_DB_ALIAS]["OPTIONS"].get("connect_timeout") is None  # the primary's untouched


def test_a_dead_replica_sends_reads_to_the_primary_without_stalling(dead_replica, get_request_state):
    started = time.monotonic()
    assert replicas.read_alias() == DEFAULT_DB_ALIAS
    first = time.monotonic() - started
    assert math.isinf(replicas._lags[dead_replica].seconds)  # marked unhealthy
    assert first < 5  # was the primary's 10 s pool wait
    # the failure is remembered (longer than REPLICA_LAG_CHECK_SECONDS): no second attempt
    replicas._lags[dead_replica].checked_at -= settings.REPLICA_LAG_CHECK_SECONDS + 1
    started = time.monotonic()
    assert replicas.read_alias() == DEFAULT_DB_ALIAS
    assert time.monotonic() - started < 0.5


def test_a_thread_does_not_wait_for_another_threads_measurement(dead_replica):
    stale = replicas._Lag(0.25, checked_at=time.monotonic() - settings.REPLICA_LAG_CHECK_SECONDS - 1)
    replicas._lags[dead_replica] = stale
    lock = replicas._measuring_lock(dead_replica)
    assert lock.acquire(blocking=False)  # "another thread" is measuring
    try:
        started = time.monotonic()
        assert replicas.replica_lag(dead_replica) == 0.25  # the last known figure, at once
        assert time.monotonic() - started < 0.5
        del replicas._lags[dead_replica]
        assert math.isinf(replicas.replica_lag(dead_replica))  # none known: skipped, not waited for
    finally:
        lock.release()


def test_readyz_reports_the_cached_figure_quickly(dead_replica, client):
    started = time.monotonic()
    response = client.get("/readyz")
    first = time.monotonic() - started
    assert response.status_code == 200, response.content
    assert f"{dead_replica} lag_seconds=inf skipped" in response.content.decode()
    assert first < 5
    started = time.monotonic()
    for _ in range(3):  # later probes use the remembered failure: no connect attempt
        assert client.get("/readyz").status_code == 200
    assert time.monotonic() - started < 1
