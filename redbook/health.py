"""Liveness and readiness probes (API.md "Operations")."""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpResponse

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
    return HttpResponse("ready", content_type="text/plain")


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
