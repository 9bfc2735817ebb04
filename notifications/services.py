"""Making and marking notifications. Any app may call these (they import nothing above accounts).

Made by Celery tasks after commit and idempotent by `dedupe_key`. Nobody is notified of
their own actions, nor by someone they blocked or who blocked them.
"""

from django.db.models import Q
from django.utils import timezone

from accounts.models import Block, User
from notifications.models import Notification
from notifications.signals import notifications_changed


def notifications_save(rows: list[Notification]) -> None:
    """Store new notifications and announce them (the unread badge of open pages).

    A retried task hits the unique `dedupe_key` and adds nothing."""
    if not rows:
        return
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    notifications_changed.send(sender=Notification, recipient_ids=sorted({row.recipient_id for row in rows}))


def _blocked_either_way(a_id: int, b_id: int) -> bool:
    return Block.objects.filter(Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)).exists()


def notify(
    *,
    recipient_id: int,
    actor_id: int,
    verb: str,
    dedupe_key: str,
    note_id: int | None = None,
    comment_id: int | None = None,
) -> None:
    """One notification of `actor`'s action, unless it is their own or a block stands between them."""
    if recipient_id == actor_id or _blocked_either_way(recipient_id, actor_id):
        return
    row = Notification(
        recipient_id=recipient_id,
        actor_id=actor_id,
        verb=verb,
        note_id=note_id,
        comment_id=comment_id,
        dedupe_key=dedupe_key,
    )
    notifications_save([row])


def notify_mentions(*, actor_id: int, usernames: set[str], note_id: int, comment_id: int | None, key: str) -> None:
    """Tell the active accounts named in `usernames` (the caller parsed the @mentions)."""
    if not usernames:
        return
    hidden = Block.objects.hidden_user_ids(User(pk=actor_id))
    recipients = User.objects.active().filter(username__in=usernames).exclude(pk__in=hidden | {actor_id})
    rows = [
        Notification(
            recipient_id=pk,
            actor_id=actor_id,
            verb=Notification.Verb.MENTION,
            note_id=note_id,
            comment_id=comment_id,
            dedupe_key=f"mention:{key}:{pk}",
        )
        for pk in recipients.values_list("pk", flat=True)
    ]
    notifications_save(rows)


def notify_follow(*, follower_id: int, followee_id: int) -> None:
    notify(
        recipient_id=followee_id,
        actor_id=follower_id,
        verb=Notification.Verb.FOLLOW,
        dedupe_key=f"follow:{follower_id}:{followee_id}",
    )


def notifications_mark_read(*, user: User) -> int:
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    if marked:
        notifications_changed.send(sender=Notification, recipient_ids=[user.pk])
    return marked
