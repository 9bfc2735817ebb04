"""Enqueue Celery tasks after commit, never losing one when the broker is down."""

import logging

from celery import Task, current_app
from django.db import transaction

from outbox.models import PendingTask

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Task, **kwargs) -> None:
    """Send `task(**kwargs)` once the surrounding transaction commits.

    A rolled-back write leaves no task behind. If the broker cannot take the task,
    it is parked in the outbox for the catch-up sweep: the user's write still succeeds.
    Pass ids, not model instances.
    """
    transaction.on_commit(lambda: send_or_park(task.name, kwargs))


def send_or_park(task_name: str, kwargs: dict) -> bool:
    try:
        current_app.send_task(task_name, kwargs=kwargs, retry=False)
    except Exception as exc:  # any broker failure: park it, never fail the request
        logger.warning("broker unavailable, parking %s: %s", task_name, exc)
        PendingTask.objects.create(task_name=task_name, kwargs=kwargs, last_error=str(exc)[:500])
        return False
    return True


def outbox_resend(*, batch_size: int = 500) -> tuple[int, bool]:
    """Send a batch of parked tasks; returns (sent, has_more)."""
    batch = list(PendingTask.objects.order_by("id")[:batch_size])
    sent_ids = []
    for pending in batch:
        try:
            current_app.send_task(pending.task_name, kwargs=pending.kwargs, retry=False)
        except Exception as exc:  # broker still down: keep the row, stop this round
            PendingTask.objects.filter(pk=pending.pk).update(attempts=pending.attempts + 1, last_error=str(exc)[:500])
            break
        sent_ids.append(pending.pk)
    PendingTask.objects.filter(pk__in=sent_ids).delete()
    if sent_ids:
        logger.info("outbox: resent %d parked tasks", len(sent_ids))
    return len(sent_ids), len(batch) == batch_size and len(sent_ids) == len(batch)
