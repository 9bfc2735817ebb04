"""Note reads: which notes each list shows and in what order, the detail page's note, boards, comments.

Lists here are querysets of notes, ordered, that the API and the pages page over for
ids only (`.values("id", ...)`, keyset or ?page=): the cards themselves come from
`posts.cards.note_cards(ids, viewer)`, the one read model of a listed note.
"""

import math
from collections.abc import Iterable

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from accounts.models import User, unblocked
from posts.models import Collection, Comment, CommentLike, Like, Note, NoteImage, Place, Reshare, Save
from redbook.exceptions import Forbidden, Invalid, NotFound
from redbook.prepared import Arg, InList, PreparedQuery
from shop.models import Product, ProductImage

SORTS = {"new": ("-id",), "hot": ("-like_count", "-id")}


def _authenticated(viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


def listed_notes(*, viewer) -> QuerySet:
    """What lists show: published notes `viewer` may open (your own drafts open, but list
    nowhere). Lists order and page it for ids; `posts.cards.note_cards` reads the cards."""
    return Note.objects.visible_to(viewer).filter(status=Note.Status.PUBLISHED)


def _viewer_notes(model) -> PreparedQuery:
    """Which of the notes `notes` the user `viewer` has a `model` row (like, save) for."""
    return PreparedQuery(
        lambda: model.objects.filter(InList(F("note_id"), Arg("notes")), user_id=Arg("viewer")).values_list("note_id")
    )


_LIKED, _SAVED = _viewer_notes(Like), _viewer_notes(Save)


def _ids_of(query: PreparedQuery, *, viewer, note_ids: list[int]) -> set[int]:
    if not _authenticated(viewer) or not note_ids:
        return set()
    return {note_id for (note_id,) in query.rows(viewer=viewer.pk, notes=note_ids)}


def interaction_sets(*, viewer, note_ids: Iterable[int]) -> tuple[set[int], set[int]]:
    """(liked note ids, saved note ids) among `note_ids`, two queries for a whole page."""
    note_ids = list(note_ids)
    return _ids_of(_LIKED, viewer=viewer, note_ids=note_ids), _ids_of(_SAVED, viewer=viewer, note_ids=note_ids)


def reshared(*, viewer, note: Note) -> bool:
    return _authenticated(viewer) and Reshare.objects.filter(user=viewer, note=note).exists()


def note_get(*, viewer, note_id) -> Note:
    """A note `viewer` may open (drafts to their author only), else 404, with what its page
    shows: author, images, tags, and listed products with their brand and images."""
    products = (
        Product.objects.listed()
        .select_related("brand")
        .prefetch_related(Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")))
    )
    note = (
        Note.objects.visible_to(viewer)
        .select_related("author")
        .prefetch_related(
            Prefetch("images", queryset=NoteImage.objects.order_by("position", "id")),
            "tags",
            Prefetch("products", queryset=products),
        )
        .filter(pk=note_id)
        .first()
    )
    if note is None:
        raise NotFound(_("Note not found."))
    return note


def note_get_visible(*, viewer, note_id) -> Note:
    """Like `note_get` without the card prefetches: for writes (like, save, comment lists)."""
    note = Note.objects.visible_to(viewer).filter(pk=note_id).first()
    if note is None:
        raise NotFound(_("Note not found."))
    return note


def note_get_commentable(*, viewer, note_id) -> Note:
    """For writing a comment: blocks are checked by the service (403), not hidden (404)."""
    visible = Note.objects.visible_to(None) | Note.objects.visible_to(viewer)
    note = visible.filter(pk=note_id).first()
    if note is None:
        raise NotFound(_("Note not found."))
    return note


def tag_get(*, name: str) -> Tag | None:
    return Tag.objects.filter(name__iexact=name).first()


def tag_notes(*, name: str, viewer, sort: str = "hot") -> QuerySet:
    if sort not in SORTS:
        raise Invalid(_("sort must be hot or new."), code="invalid_sort")
    tag = tag_get(name=name)
    if tag is None:
        return Note.objects.none()
    return listed_notes(viewer=viewer).filter(tags=tag).order_by(*SORTS[sort])


def place_get(*, place_id: int) -> Place:
    place = Place.objects.filter(pk=place_id).first()
    if place is None:
        raise NotFound(_("Place not found."))
    return place


PLACE_ORDERING = ("place_distance", "-id")
_NO_DISTANCE = 1e9  # squared degrees: after every note with coordinates


def place_notes(*, place: Place, viewer) -> QuerySet:
    """The notes at a place `viewer` may see, nearest its centre first (as `place_distance`,
    squared degrees on a flat earth: exact enough to order within a place); notes with a
    name and no coordinates last, newest first. Served by the `place` foreign key's index."""
    notes = listed_notes(viewer=viewer).filter(place=place)
    if not place.has_location:
        return notes.annotate(place_distance=Value(0.0, output_field=FloatField())).order_by(*PLACE_ORDERING)
    assert place.lat is not None and place.lng is not None  # has_location: both are set
    east = (F("lng") - place.lng) * math.cos(math.radians(place.lat))
    north = F("lat") - place.lat
    squared = ExpressionWrapper(east * east + north * north, output_field=FloatField())
    distance = Coalesce(squared, Value(_NO_DISTANCE), output_field=FloatField())
    return notes.annotate(place_distance=distance).order_by(*PLACE_ORDERING)


def user_notes(*, author: User, viewer, drafts: bool = False) -> QuerySet:
    """A profile's notes, newest first; `drafts=True` lists the author's own drafts."""
    if drafts:
        if not _authenticated(viewer) or viewer.pk != author.pk:
            return Note.objects.none()
        return Note.objects.visible_to(viewer).filter(author=author, status=Note.Status.DRAFT).order_by("-id")
    return listed_notes(viewer=viewer).filter(author=author).order_by("-id")


def likes_visible(*, owner: User, viewer) -> bool:
    """A profile's likes are private unless its owner shows them (`likes_public`)."""
    return owner.likes_public or (_authenticated(viewer) and viewer.pk == owner.pk)


def user_liked_notes(*, owner: User, viewer) -> QuerySet:
    """The notes `owner` liked that `viewer` may open, latest like first (`liked_id` pages them).

    403 when the owner keeps their likes to themselves (the default).
    """
    if not likes_visible(owner=owner, viewer=viewer):
        raise Forbidden(_("This account keeps its likes private."), code="likes_private")
    return listed_notes(viewer=viewer).filter(likes__user=owner).annotate(liked_id=F("likes__id")).order_by("-liked_id")


# --- Collections -----------------------------------------------------------------------


def _collections_visible_to(viewer) -> QuerySet:
    qs = Collection.objects.filter(owner__is_active=True, owner__is_suspended=False)
    if not _authenticated(viewer):
        return qs.filter(is_private=False)
    return qs.filter(Q(is_private=False) | Q(owner=viewer)).filter(unblocked("owner_id", viewer.pk))


def _visible_notes_count(viewer) -> Coalesce:
    """Per board (the outer query's row), how many notes `collection_notes` lists to `viewer`.

    Saves outlive the notes they point at (deleted, taken down, drafted again, their
    author blocked or suspended), so the board's stored count of saves would promise
    notes its page does not show; like a Pinterest board, the count is what one can open.
    """
    saved = (
        Note.objects.visible_to(viewer)
        .published()
        .filter(saves__collection=OuterRef("pk"))
        .order_by()
        .values("saves__collection")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(saved), 0)


def collection_get(*, viewer, collection_id) -> Collection:
    """A board, with `visible_notes_count`: private ones are 404 to everyone but their owner."""
    collection = (
        _collections_visible_to(viewer)
        .select_related("owner")
        .annotate(visible_notes_count=_visible_notes_count(viewer))
        .filter(pk=collection_id)
        .first()
    )
    if collection is None:
        raise NotFound(_("Board not found."))
    return collection


def collection_notes(*, collection: Collection, viewer) -> QuerySet:
    """The board's notes, most recently saved first (`saved_id` orders and pages them)."""
    return (
        listed_notes(viewer=viewer)
        .filter(saves__collection=collection)
        .annotate(saved_id=F("saves__id"))
        .order_by("-saved_id")
    )


def saved_collection_id(*, viewer, note: Note) -> int | None:
    """The viewer's board holding `note`, or None when they have not saved it."""
    if not _authenticated(viewer):
        return None
    return Save.objects.filter(user=viewer, note=note).values_list("collection_id", flat=True).first()


def user_collections(*, owner: User, viewer) -> QuerySet:
    """Boards of `owner` the viewer may see, each with `visible_notes_count`."""
    return (
        _collections_visible_to(viewer)
        .filter(owner=owner)
        .select_related("owner")
        .annotate(visible_notes_count=_visible_notes_count(viewer))
        .order_by("-is_default", "-id")
    )


# --- Comments --------------------------------------------------------------------------


def _visible_comments(viewer) -> QuerySet:
    qs = Comment.objects.filter(is_removed=False, author__is_active=True, author__is_suspended=False)
    if _authenticated(viewer):
        qs = qs.filter(unblocked("author_id", viewer.pk))
    return qs.select_related("author")


def comments_for_note(*, note: Note, viewer, parent_id: int | None = None) -> QuerySet:
    """Root comments oldest first, each with all its replies; or one root's replies."""
    qs = _visible_comments(viewer).filter(note=note)
    if parent_id is not None:
        return qs.filter(parent_id=parent_id).order_by("id")
    replies = _visible_comments(viewer).order_by("id")
    return qs.filter(parent__isnull=True).order_by("id").prefetch_related(Prefetch("replies", queryset=replies))


def comment_get(*, viewer, comment_id) -> Comment:
    """A comment on a note the viewer may open, else 404."""
    comment = (
        _visible_comments(viewer)
        .select_related("note")
        .filter(pk=comment_id, note__in=Note.objects.visible_to(viewer))
        .first()
    )
    if comment is None:
        raise NotFound(_("Comment not found."))
    return comment


def comment_liked_ids(*, viewer, comment_ids: Iterable[int]) -> set[int]:
    comment_ids = list(comment_ids)
    if not _authenticated(viewer) or not comment_ids:
        return set()
    return set(CommentLike.objects.filter(user=viewer, comment_id__in=comment_ids).values_list("comment_id", flat=True))
