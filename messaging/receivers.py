"""What this app hooks into in lower apps, connected once from `MessagingConfig.ready`."""

from django.db import transaction

from accounts.models import User
from messaging import realtime
from messaging.moderation import register_message_target
from notifications.selectors import unread_count
from notifications.signals import notifications_changed


def _push_notification_counts(sender, *, recipient_ids, **kwargs) -> None:
    """`{"type": "notification", "unread_count"}` to every socket of each recipient, after commit."""
    ids = sorted(set(recipient_ids))
    if not ids:
        return

    def push():
        for user_id in ids:
            count = unread_count(user=User(pk=user_id))
            realtime.push_now([user_id], {"type": "notification", "unread_count": count})

    transaction.on_commit(push)


def connect() -> None:
    notifications_changed.connect(_push_notification_counts, dispatch_uid="messaging.notification_counts")
    register_message_target()
