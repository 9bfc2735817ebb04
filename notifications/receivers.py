"""notifications' answers to what lower apps announce (connected in NotificationsConfig.ready)."""

from notifications import tasks
from outbox.services import enqueue_on_commit


def tell_followee(sender, *, follower_id: int, followee_id: int, **kwargs) -> None:
    enqueue_on_commit(tasks.notify_follow, follower_id=follower_id, followee_id=followee_id)
