"""Celery tasks of the notifications app: ids in, quietly nothing when there is nothing to say."""

from celery import shared_task

from notifications import services
from redbook.celery import RETRY_TRANSIENT


@shared_task(name="notifications.notify_follow", **RETRY_TRANSIENT)
def notify_follow(*, follower_id: int, followee_id: int) -> None:
    services.notify_follow(follower_id=follower_id, followee_id=followee_id)


# The task's name before it moved out of posts. Messages queued under it (the broker,
# outbox PendingTask rows) still run after a deploy. It can go once no message of the
# old name can exist: the queues drained and no PendingTask row carries it.
@shared_task(name="posts.notify_follow", **RETRY_TRANSIENT)
def notify_follow_legacy(*, follower_id: int, followee_id: int) -> None:
    services.notify_follow(follower_id=follower_id, followee_id=followee_id)
