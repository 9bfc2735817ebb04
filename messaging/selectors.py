"""Reads of conversations and messages: one query per list, whatever its size."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.utils.translation import gettext_lazy as _

from accounts.models import User, unblocked
from messaging.models import Membership, Message
from posts.models import Note, NoteImage
from redbook import numbers
from redbook.exceptions import NotFound
from redbook.prepared import Arg, PreparedQuery
from shop.models import ProductImage

MESSAGE_RELATED = ("sender", "note", "product__brand")


def _cover_prefetches(prefix: str) -> list[Prefetch]:
    return [
        Prefetch(f"{prefix}note__images", queryset=NoteImage.objects.filter(position=0)),
        Prefetch(f"{prefix}product__images", queryset=ProductImage.objects.filter(position=0)),
    ]


def visible_messages() -> QuerySet:
    """Messages as both sides see them: hidden ones (taken down, held) are gone for both."""
    return (
        Message.objects.filter(is_hidden=False)
        .select_related(*MESSAGE_RELATED)
        .prefetch_related(*_cover_prefetches(""))
    )


def _note_visible(viewer: User, note_ref: str) -> Exists:
    """Whether the shared note is one `viewer` may open (no block either way, its author
    in good standing): in the list's own query, so a page costs no query per message."""
    return Exists(Note.objects.visible_to(viewer).filter(pk=OuterRef(note_ref)))


def _other_read_id() -> Subquery:
    other_side = Membership.objects.filter(conversation=OuterRef("conversation"), user=OuterRef("other"))
    return Subquery(other_side.values("last_read_id")[:1])


def membership_get(*, user: User, conversation_id) -> Membership:
    """The reader's side of a conversation; 404 for a conversation they are not in."""
    pk = numbers.parse_id(conversation_id)
    membership = (
        Membership.objects.filter(user=user, conversation_id=pk)
        .select_related("other")
        .annotate(other_read_id=_other_read_id())
        .first()
        if pk is not None
        else None
    )
    if membership is None:
        raise NotFound(_("No such conversation."))
    membership.user = user  # the reader, for the visibility of shared notes
    return membership


def _rows() -> QuerySet:
    """Membership rows with the other account, the last message and its cards joined."""
    last = "last_message__"
    return (
        Membership.objects.select_related("other", *(last + name for name in MESSAGE_RELATED))
        .prefetch_related(*_cover_prefetches(last))
        .annotate(other_read_id=_other_read_id())
    )


def inbox(*, user: User, folder: str) -> QuerySet:
    """The reader's conversations in a folder (newest activity first, by the caller's
    ordering). Blocked and suspended accounts' conversations leave the list."""
    return (
        _rows()
        .annotate(last_note_visible=_note_visible(user, "last_message__note_id"))
        .filter(user=user, folder=folder, is_hidden=False)
        .filter(unblocked("other_id", user.pk))
        .filter(other__is_active=True, other__is_suspended=False)
    )


def inbox_row(*, user: User, conversation_id) -> Membership:
    """One conversation as the inbox shows it, for its member; 404 for anyone else."""
    pk = numbers.parse_id(conversation_id)
    rows = _rows().annotate(last_note_visible=_note_visible(user, "last_message__note_id"))
    row = rows.filter(user=user, conversation_id=pk).first() if pk is not None else None
    if row is None:
        raise NotFound(_("No such conversation."))
    return row


def messages_before(*, membership: Membership) -> QuerySet:
    """The conversation's messages, for paging back by cursor (newest first)."""
    return (
        visible_messages()
        .filter(conversation_id=membership.conversation_id)
        .annotate(note_visible=_note_visible(membership.user, "note_id"))
    )


def messages_after(*, membership: Membership, after_id: int, limit: int) -> list[Message]:
    """What came after `after_id`, oldest first: a reconnecting client's catch-up.

    Safe by id because sends to one conversation are serialized by a row lock, so ids
    commit in order: nothing with a smaller id can appear after a client read past it."""
    rows = visible_messages().filter(conversation_id=membership.conversation_id, pk__gt=after_id)
    rows = rows.annotate(note_visible=_note_visible(membership.user, "note_id"))
    return list(rows.order_by("id")[:limit])


# Every signed-in page's top bar shows it: compiled once (redbook.prepared), not per page.
_UNREAD_TOTAL = PreparedQuery(
    lambda: (
        Membership.objects.filter(user_id=Arg("user"), folder=Membership.Folder.INBOX, is_hidden=False)
        .values("user_id")
        .annotate(n=Sum("unread_count"))
        .values_list("n")
    )
)


def unread_total(*, user: User) -> int:
    """Unread messages in the inbox (requests announce themselves by a notification)."""
    rows = _UNREAD_TOTAL.rows(user=user.pk)
    return (rows[0][0] or 0) if rows else 0


def requests_count(*, user: User) -> int:
    return Membership.objects.filter(
        user=user, folder=Membership.Folder.REQUESTS, is_hidden=False, unread_count__gt=0
    ).count()
