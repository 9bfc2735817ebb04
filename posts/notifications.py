"""Notifications: made by Celery tasks after commit (idempotent by `dedupe_key`), read grouped.

Nobody is notified of their own actions, nor by someone they blocked or who blocked them.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Block, User
from posts import text
from posts.models import Comment, Like, Note, NoteImage, Notification, Reshare, Save
from posts.signals import notifications_changed
from posts.system_notifications import system_link_label, system_text

GROUPED_VERBS = {Notification.Verb.LIKE, Notification.Verb.SAVE, Notification.Verb.RESHARE, Notification.Verb.FOLLOW}
PAGE_GROUP_LIMIT = 200  # rows read to build the grouped page


def _blocked_either_way(a_id: int, b_id: int) -> bool:
    return Block.objects.filter(Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)).exists()


def _notify(*, recipient_id: int, actor_id: int, verb: str, dedupe_key: str, note_id=None, comment_id=None) -> None:
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
    # A retried task hits the unique dedupe_key and adds nothing.
    Notification.objects.bulk_create([row], ignore_conflicts=True)
    notifications_changed.send(sender=Notification, recipient_ids=[recipient_id])


def _notify_mentions(*, actor_id: int, body: str, note_id: int, comment_id: int | None, key: str) -> None:
    names = text.mentions(body)
    if not names:
        return
    hidden = Block.objects.hidden_user_ids(User(pk=actor_id))
    recipients = User.objects.active().filter(username__in=names).exclude(pk__in=hidden | {actor_id})
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
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    notifications_changed.send(sender=Notification, recipient_ids=[row.recipient_id for row in rows])


def _notify_note_interaction(model, pk: int, verb: str, key: str) -> None:
    """Tell a note's author of a like, save or re-share; nothing if it was undone before the task ran."""
    interaction = model.objects.select_related("note").filter(pk=pk).first()
    if interaction is None:
        return
    _notify(
        recipient_id=interaction.note.author_id,
        actor_id=interaction.user_id,
        verb=verb,
        note_id=interaction.note_id,
        dedupe_key=f"{key}:{interaction.user_id}:{interaction.note_id}",
    )


def notify_like(*, like_id: int) -> None:
    _notify_note_interaction(Like, like_id, Notification.Verb.LIKE, "like")


def notify_save(*, save_id: int) -> None:
    _notify_note_interaction(Save, save_id, Notification.Verb.SAVE, "save")


def notify_reshare(*, reshare_id: int) -> None:
    _notify_note_interaction(Reshare, reshare_id, Notification.Verb.RESHARE, "reshare")


def notify_comment(*, comment_id: int) -> None:
    """The note's author (comment), the replied-to author (reply), and @mentions."""
    comment = Comment.objects.select_related("note", "parent").filter(pk=comment_id).first()
    if comment is None:
        return
    common = {"actor_id": comment.author_id, "note_id": comment.note_id, "comment_id": comment.pk}
    if comment.parent is not None:
        _notify(
            recipient_id=comment.parent.author_id,
            verb=Notification.Verb.REPLY,
            dedupe_key=f"reply:{comment.pk}",
            **common,
        )
    if comment.parent is None or comment.parent.author_id != comment.note.author_id:
        _notify(
            recipient_id=comment.note.author_id,
            verb=Notification.Verb.COMMENT,
            dedupe_key=f"comment:{comment.pk}",
            **common,
        )
    _notify_mentions(body=comment.body, key=f"c{comment.pk}", **common)


def notify_note_mentions(*, note_id: int) -> None:
    note = Note.objects.published().filter(pk=note_id).first()
    if note is None:
        return
    _notify_mentions(actor_id=note.author_id, body=note.body, note_id=note.pk, comment_id=None, key=f"n{note.pk}")


def notify_follow(*, follower_id: int, followee_id: int) -> None:
    _notify(
        recipient_id=followee_id,
        actor_id=follower_id,
        verb=Notification.Verb.FOLLOW,
        dedupe_key=f"follow:{follower_id}:{followee_id}",
    )


# --- Reading -------------------------------------------------------------------------


def notifications_for(*, user: User) -> QuerySet:
    """The user's notifications, newest first, with actor, note cover and comment joined.

    System notifications have no actor; others leave with their actor's account."""
    covers = Prefetch("note__images", queryset=NoteImage.objects.filter(position=0))
    actor_present = Q(actor__isnull=True) | Q(actor__is_active=True, actor__is_suspended=False)
    return (
        Notification.objects.filter(actor_present, recipient=user)
        .select_related("actor", "note", "comment")
        .prefetch_related(covers)
        .order_by("-id")
    )


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_mark_read(*, user: User) -> int:
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    if marked:
        notifications_changed.send(sender=Notification, recipient_ids=[user.pk])
    return marked


def notification_text(row: Notification) -> str:
    """One notification's sentence, in the active language."""
    if row.verb == Notification.Verb.SYSTEM:
        return system_text(kind=row.kind, data=row.data, fallback=row.text)
    return sentence(actors=[row.actor] if row.actor else [], total=1, verb=row.verb)


def notification_url(row: Notification) -> str:
    """Where a notification leads: its system link, else the comment or note, else the actor."""
    if row.verb == Notification.Verb.SYSTEM:
        return row.data.get("url", "") if isinstance(row.data, dict) else ""
    if row.note_id:
        anchor = f"#comment-{row.comment_id}" if row.comment_id else ""
        return reverse("posts:note-detail", args=[row.note_id]) + anchor
    return reverse("accounts:profile", args=[row.actor.username]) if row.actor else ""


def sentence(*, actors: list[User], total: int, verb: str) -> str:
    """ "Lin liked your note" / "Lin and 3 others liked your note"."""
    action = Notification.Verb(verb).label
    first = actors[0].name if actors else _("Someone")
    others = total - 1
    if others <= 0:
        return _("%(actor)s %(action)s") % {"actor": first, "action": action}
    return ngettext(
        "%(actor)s and %(count)d other %(action)s",
        "%(actor)s and %(count)d others %(action)s",
        others,
    ) % {"actor": first, "count": others, "action": action}


@dataclass
class NotificationGroup:
    verb: str
    note: Note | None
    comment: Comment | None
    created_at: datetime
    unread: bool
    actors: list[User] = field(default_factory=list)
    first: Notification | None = None  # the group's newest row

    @property
    def is_system(self) -> bool:
        return self.verb == Notification.Verb.SYSTEM

    @property
    def text(self) -> str:
        if self.is_system:
            return notification_text(self.first)
        return sentence(actors=self.actors, total=len(self.actors), verb=self.verb)

    @property
    def url(self) -> str:
        return notification_url(self.first)

    @property
    def link_label(self) -> str:
        return system_link_label(kind=self.first.kind, data=self.first.data) if self.is_system else ""


def group_notifications(rows) -> list[NotificationGroup]:
    """Likes and saves of one note, and new followers, collapse into one line each."""
    groups: dict = {}
    for row in rows:  # newest first: a group's time is its newest row's
        key = (row.verb, row.note_id) if row.verb in GROUPED_VERBS else ("one", row.pk)
        group = groups.get(key)
        if group is None:
            group = groups[key] = NotificationGroup(
                verb=row.verb, note=row.note, comment=row.comment, created_at=row.created_at, unread=False, first=row
            )
        if row.actor is not None and row.actor not in group.actors:
            group.actors.append(row.actor)
        group.unread = group.unread or row.read_at is None
    return list(groups.values())


def grouped_page(*, user: User) -> list[NotificationGroup]:
    return group_notifications(notifications_for(user=user)[:PAGE_GROUP_LIMIT])
