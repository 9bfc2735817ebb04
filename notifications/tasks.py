"""Celery tasks of the notifications app: ids in, quietly nothing when there is nothing to say."""

from celery import shared_task

from notifications import services
from redbook.celery import RETRY_TRANSIENT


@shared_task(name="notifications.notify_follow", **RETRY_TRANSIENT)
def notify_follow(*, follower_id: int, followee_id: int) -> None:
    services.notify_follow(follower_id=follower_id, followee_id=followee_id)
