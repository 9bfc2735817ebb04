from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from redbook.celery import RETRY_TRANSIENT
from reliability import media, sweeps
from reliability.models import Heartbeat


@shared_task(name="redbook.canary", **RETRY_TRANSIENT)
def canary(token: str = "") -> None:
    """Record that a worker consumed this task (beat sends it every minute).

    Operators and the fault suite read the heartbeat to tell a worker is back;
    `token` lets a caller recognise the answer to its own probe.
    """
    Heartbeat.objects.update_or_create(name="canary", defaults={"beat_at": timezone.now(), "token": token})


@shared_task(name="reliability.notifications_catch_up", **RETRY_TRANSIENT)
def notifications_catch_up(grace_seconds: float = 60) -> dict:
    """Beat, every 5 minutes: notifications whose task was lost with a killed worker.

    Events younger than `grace_seconds` are left to their own task, which may be queued;
    0 sweeps everything now (an operator after an incident).
    """
    return sweeps.notifications_catch_up(grace=timedelta(seconds=grace_seconds))


@shared_task(name="reliability.media_orphans_sweep", **RETRY_TRANSIENT)
def media_orphans_sweep() -> int:
    """Beat, daily: stored files that no row names, older than a day (reliability/media.py)."""
    return media.sweep_orphans()
