"""The Celery app, the retry policy every task shares, and the canary task.

Delivery is at-least-once (settings: `acks_late`, `reject_on_worker_lost`, prefetch 1,
a visibility timeout longer than any countdown), so every task must be idempotent.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redbook.settings")

app = Celery("redbook")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _transient_errors() -> tuple[type[Exception], ...]:
    """Errors that go away by themselves: a database or Redis restarting, a broker blip."""
    import kombu.exceptions
    import redis.exceptions
    from django.db import InterfaceError, OperationalError

    return (
        OperationalError,
        InterfaceError,
        redis.exceptions.ConnectionError,
        redis.exceptions.TimeoutError,
        kombu.exceptions.OperationalError,
    )


# The shared retry policy: `@shared_task(name="app.thing", **RETRY_TRANSIENT)`.
# Only transient errors are retried (a bug fails at once, loudly), at most 5 times,
# waiting about 2, 4, 8, 16, 32 s (capped at 2 min) with full jitter so a fleet of
# tasks does not hammer a database that is coming back all at the same instant.
# The cap stays well under the broker's visibility timeout (settings.py).
RETRY_TRANSIENT = {
    "autoretry_for": _transient_errors(),
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 5,
}
