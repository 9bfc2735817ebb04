"""Liveness and readiness probes (API.md "Operations")."""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpResponse

from redbook import replicas
from redbook.redis import get_redis

logger = logging.getLogger(__name__)


def healthz(request):
    """Liveness: the process answers. Touches neither the database nor Redis."""
    return HttpResponse("ok", content_type="text/plain")


def readyz(request):
    """Readiness: 200 when the database and (where configured) Redis answer, else 503."""
    failures = [name for name, check in _dependency_checks() if not _passes(name, check)]
    if failures:
        return HttpResponse("unavailable: " + ", ".join(failures), status=503, content_type="text/plain")
    return HttpResponse("\n".join(["ready", *_replica_lines()]), content_type="text/plain")


def _replica_lines() -> list[str]:
    """One line per read replica: its lag, and whether reads use it (a lagging one only slows the primary).

    The figure the router uses, cached per process (`replicas.lag_report`): a probe does not
    measure every replica, so a dead replica cannot make every probe wait for its timeout."""
    bound = settings.REPLICA_MAX_LAG_SECONDS
    return [
        f"{alias} lag_seconds={lag:.2f} {'in use' if lag <= bound else 'skipped'}"
        for alias, lag in replicas.lag_report().items()
    ]


def _dependency_checks():
    yield "database", _check_database
    if settings.REDIS_URL:
        yield "redis", _check_redis


def _passes(name, check) -> bool:
    try:
        check()
    except Exception:  # any failure of a dependency means "not ready"
        logger.warning("readiness check failed: %s", name, exc_info=True)
        return False
    return True


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_redis():
    get_redis().ping()
