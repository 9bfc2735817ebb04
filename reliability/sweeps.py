"""Catch-up sweeps: redo side effects whose task never ran.

Delivery through Redis is at-least-once only while a worker lives: a worker killed
between taking a message off the queue (BRPOP) and recording it as unacknowledged
loses that message, and so does a Redis that dies without its append-only file.
Work that beat repeats anyway (Explore ranking, order expiry, view flushes) heals by
itself on its next run; notifications are made once per event, so this sweep finds
recent events (likes, saves, re-shares, comments, follows, moderation decisions) without their
notification and makes it, through the same idempotent functions the tasks call (the
dedupe key makes a race with a late task harmless). The search index has its own
catch-up (search/indexing.py `backlog_catch_up`).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Model
from django.utils import timezone

from accounts.models import Follow
from moderation.models import AuditLogEntry
from moderation.tasks import decision_notifications
from notifications import services as notification_services
from notifications.models import Notification
from posts import notifications
from posts.models import Comment, Like, Reshare, Save

logger = logging.getLogger(__name__)

BATCH = 5000  # newest events per kind looked at per run: the sweep stays cheap on a busy site


@dataclass(frozen=True)
class NotifiedEvent:
    model: type[Model]
    keys: Callable[[Model], list[str]]  # the dedupe keys any of which means "notified"
    notify: Callable[[Model], None]


EVENTS = [
    NotifiedEvent(
        Like,
        lambda like: [f"like:{like.user_id}:{like.note_id}"],
        lambda like: notifications.notify_like(like_id=like.pk),
    ),
    NotifiedEvent(
        Save,
        lambda save: [f"save:{save.user_id}:{save.note_id}"],
        lambda save: notifications.notify_save(save_id=save.pk),
    ),
    NotifiedEvent(
        Reshare,
        lambda reshare: [f"reshare:{reshare.user_id}:{reshare.note_id}"],
        lambda reshare: notifications.notify_reshare(reshare_id=reshare.pk),
    ),
    NotifiedEvent(
        Comment,
        lambda comment: [f"comment:{comment.pk}", f"reply:{comment.pk}"],
        lambda comment: notifications.notify_comment(comment_id=comment.pk),
    ),
    NotifiedEvent(
        Follow,
        lambda follow: [f"follow:{follow.follower_id}:{follow.followee_id}"],
        lambda follow: notification_services.notify_follow(
            follower_id=follow.follower_id, followee_id=follow.followee_id
        ),
    ),
]


def _catch_up(event: NotifiedEvent, *, since, until) -> int:
    # The newest rows by primary key (an index scan whatever the table's size), then the window.
    newest = event.model.objects.order_by("-pk")[:BATCH]
    rows = [row for row in newest if since <= row.created_at < until]
    keys = {row.pk: event.keys(row) for row in rows}
    existing = set(
        Notification.objects.filter(dedupe_key__in=[k for ks in keys.values() for k in ks]).values_list(
            "dedupe_key", flat=True
        )
    )
    # Self-actions and blocked pairs have no notification by design: notify() skips them again.
    missing = [row for row in rows if not existing.intersection(keys[row.pk])]
    for row in missing:
        event.notify(row)
    return len(missing)


def unnotified_decisions(entries) -> dict[int, list[Notification]]:
    """The moderation decisions among `entries` that owed notifications and made none,
    with what they owe. A decision's notifications are made in one statement, so none
    means its task never ran (reliability.checks reports them too)."""
    owed = {entry.pk: due for entry in entries if (due := decision_notifications(entry))}
    keys = [notification.dedupe_key for due in owed.values() for notification in due]
    existing = set(Notification.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    return {pk: due for pk, due in owed.items() if not existing.intersection(n.dedupe_key for n in due)}


def _decisions_catch_up(*, since, until) -> int:
    # Two queries per decision: bounded by BATCH (decisions are far rarer than likes).
    entries = AuditLogEntry.objects.filter(created_at__gte=since, created_at__lt=until).order_by("-pk")[:BATCH]
    lost = unnotified_decisions(entries)
    notification_services.notifications_save([n for due in lost.values() for n in due])
    return len(lost)


def notifications_catch_up(*, window: timedelta = timedelta(minutes=30), grace: timedelta = timedelta(minutes=1)):
    """Make the notifications of events from the last `window` (older than `grace`) that have none."""
    now = timezone.now()
    redone = {event.model.__name__: _catch_up(event, since=now - window, until=now - grace) for event in EVENTS}
    redone["AuditLogEntry"] = _decisions_catch_up(since=now - window, until=now - grace)
    if any(redone.values()):
        logger.info("notification catch-up re-ran %s", redone)
    return redone
