"""Reading notifications: the API's list, and the page's grouped lines, in the reader's language."""

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.db.models import Count, Model, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from notifications.models import Notification
from notifications.system import system_link_label, system_text
from redbook.prepared import Arg, PreparedQuery

GROUPED_VERBS = {Notification.Verb.LIKE, Notification.Verb.SAVE, Notification.Verb.RESHARE, Notification.Verb.FOLLOW}
PAGE_GROUP_LIMIT = 200  # rows read to build the grouped page


def notifications_for(*, user: User) -> QuerySet:
    """The user's notifications, newest first, with actor, note cover and comment joined.

    System notifications have no actor; others leave with their actor's account."""
    # The note's cover only; the image model by its label, as posts is higher up than this app.
    cover_images = apps.get_model("posts", "NoteImage").objects.filter(position=0)
    covers = Prefetch("note__images", queryset=cover_images)
    actor_present = Q(actor__isnull=True) | Q(actor__is_active=True, actor__is_suspended=False)
    return (
        Notification.objects.filter(actor_present, recipient=user)
        .select_related("actor", "note", "comment")
        .prefetch_related(covers)
        .order_by("-id")
    )


# Every signed-in page's top bar shows it: compiled once (redbook.prepared), not per page.
_UNREAD_COUNT = PreparedQuery(
    lambda: (
        Notification.objects.filter(recipient_id=Arg("user"), read_at__isnull=True)
        .values("recipient_id")
        .annotate(n=Count("id"))
        .values_list("n")
    )
)


def unread_count(*, user: User) -> int:
    rows = _UNREAD_COUNT.rows(user=user.pk)
    return rows[0][0] if rows else 0


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
    note: Model | None  # a posts.Note
    comment: Model | None  # a posts.Comment
    created_at: datetime
    unread: bool
    first: Notification  # the group's newest row
    actors: list[User] = field(default_factory=list)

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
