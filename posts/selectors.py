"""Note reads: one base queryset for cards and detail, and "liked/saved by me" per page.

Every list here runs a fixed number of queries whatever its length: the note rows
(author joined) and their images; the API adds one query each for tags, products
and product images (`card_details`, as plain data; `with_details` prefetches the
same for pages), then `interaction_sets` (two queries, none for anonymous viewers).
"""

import math
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth.models import AnonymousUser
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
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from accounts.models import Block, User
from posts.models import Collection, Comment, CommentLike, Like, Note, NoteImage, Place, Reshare, Save, TaggedNote
from redbook.exceptions import Forbidden, Invalid, NotFound
from redbook.prepared import Arg, InList, PreparedInstances, PreparedQuery
from shop.models import Product, ProductImage

SORTS = {"new": ("-id",), "hot": ("-like_count", "-id")}


def _authenticated(viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


def card_image_instances() -> QuerySet:
    """A card's images, in order: the `images` prefetch of `note_cards`."""
    return NoteImage.objects.order_by("position", "id")


def note_cards(*, viewer) -> QuerySet:
    """Notes `viewer` may open, with what a grid card shows (author, images);
    `with_details` adds what the API's note and the detail page show."""
    notes = Note.objects.visible_to(viewer).select_related("author")
    return notes.prefetch_related(Prefetch("images", queryset=card_image_instances()))


def with_details(notes: list[Note]) -> list[Note]:
    """Prefetch tags, and products with their brand and images, for these notes (three queries)."""
    products = (
        Product.objects.listed()
        .select_related("brand")
        .prefetch_related(Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")))
    )
    prefetch_related_objects(notes, "tags", Prefetch("products", queryset=products))
    return notes


class ProductCard(NamedTuple):
    """What a note card shows of a product it links."""

    id: int
    name: str
    price_min: Decimal
    price_max: Decimal
    currency: str
    brand: str  # the brand's username


# The SQL of taggit's `prefetch_related("tags")` (DISTINCT, no ORDER BY, so the same tag
# order as the HTML pages), its note id list as one parameter.
_CARD_TAGS = PreparedQuery(
    lambda: (
        Tag.objects.filter(InList(F(f"{TaggedNote.tag_relname()}__content_object"), Arg("notes")))
        .distinct()
        .extra(select={"note_id": f'"{TaggedNote._meta.db_table}"."content_object_id"'})
        .values_list("note_id", "id", "name", "slug")
    )
)
_CARD_PRODUCTS = PreparedQuery(
    lambda: (
        Product.objects.listed()
        .filter(InList(F("notes"), Arg("notes")))
        .values_list("notes", *ProductCard._fields[:-1], "brand__username")  # note id, then a ProductCard
    )
)
_PRODUCT_THUMBS = PreparedQuery(
    lambda: (
        ProductImage.objects.filter(InList(F("product_id"), Arg("products")))
        .order_by("product_id", "position", "id")
        .values_list("product_id", "thumb")
    )
)


def card_details(notes: list[Note]) -> tuple[dict[int, list[str]], dict[int, list[ProductCard]], dict[int, str]]:
    """What the API shows beyond `note_cards` for these notes, as plain data rather than
    prefetch caches: (note id -> tag names, note id -> listed products with their brand,
    product id -> its first image's thumb name). Two queries, a third only when a product shows.

    The same rows, in the same order, as `with_details` reads, without Django's prefetch
    machinery (a filtered queryset per note and per product) or model instances.
    """
    tags: dict[int, list[str]] = {note.pk: [] for note in notes}
    products: dict[int, list[ProductCard]] = {note.pk: [] for note in notes}
    if not notes:
        return tags, products, {}
    for note_id, _pk, name, _slug in _CARD_TAGS.rows(notes=list(tags)):
        tags[note_id].append(name)
    for note_id, *product in _CARD_PRODUCTS.rows(notes=list(products)):
        products[note_id].append(ProductCard(*product))
    product_ids = {product.id for rows in products.values() for product in rows}
    thumbs: dict[int, str] = {}
    if product_ids:
        for product_id, thumb in _PRODUCT_THUMBS.rows(products=product_ids):
            thumbs.setdefault(product_id, thumb)  # the first image is the cover
    return tags, products, thumbs


CARD_IMAGE_FIELDS = ("display", "thumb", "original", "width", "height", "thumb_width", "thumb_height")


_CARD_IMAGES = PreparedQuery(
    lambda: (
        NoteImage.objects.filter(InList(F("note_id"), Arg("notes")))
        .order_by("position", "id")
        .values_list("note_id", *CARD_IMAGE_FIELDS)
    )
)


def card_images(note_ids: list[int]) -> dict[int, list[tuple]]:
    """note id -> its images as `CARD_IMAGE_FIELDS` rows, in card order: what the `images`
    prefetch of `note_cards` reads, in one query of plain rows (no instance per image)."""
    images: dict[int, list[tuple]] = {pk: [] for pk in note_ids}
    if note_ids:
        for note_id, *row in _CARD_IMAGES.rows(notes=note_ids):
            images[note_id].append(tuple(row))
    return images


def published_cards(*, viewer) -> QuerySet:
    """What lists show: published notes only (your own drafts open, but list nowhere)."""
    return note_cards(viewer=viewer).filter(status=Note.Status.PUBLISHED)


def _prepared_published(viewer_kind: str) -> PreparedInstances:
    """`published_cards` among the notes `ids` (no images), for "anonymous", "staff" or "member" viewers."""

    def build():
        notes = Note.objects.all()
        if viewer_kind == "member":
            notes = notes.visible_to_member(Arg("viewer"), Arg("hidden"))
        else:
            # Every anonymous viewer sees the same notes, and so does every staff account.
            notes = notes.visible_to(AnonymousUser() if viewer_kind == "anonymous" else User(is_staff=True))
        return notes.filter(InList(F("pk"), Arg("ids")), status=Note.Status.PUBLISHED)

    return PreparedInstances(Note, build, related="author")


_PUBLISHED = {kind: _prepared_published(kind) for kind in ("anonymous", "staff", "member")}


def published_notes(*, viewer, ids: list[int]) -> dict[int, Note]:
    """note id -> note, for those of `ids` that `published_cards` lists, with the author and
    without images: one query compiled once per process, not per request."""
    if not _authenticated(viewer):
        notes = _PUBLISHED["anonymous"].objects(ids=ids)
    elif viewer.is_staff:
        notes = _PUBLISHED["staff"].objects(ids=ids)
    else:
        hidden = Block.objects.hidden_user_ids(viewer)
        notes = _PUBLISHED["member"].objects(ids=ids, viewer=viewer.pk, hidden=hidden)
    return {note.pk: note for note in notes}


def published_card_notes(*, viewer, ids: list[int], image_rows: bool = False) -> dict[int, Note]:
    """`published_notes` with their images prefetched, as `published_cards` gives them; with
    `image_rows` (for `posts.api.serialize_notes`, which needs no image instances) the images
    are plain rows on `note.card_images` instead, read by the same one query (`card_images`)."""
    notes = published_notes(viewer=viewer, ids=ids)
    if not image_rows:
        prefetch_related_objects(list(notes.values()), Prefetch("images", queryset=card_image_instances()))
        return notes
    for pk, images in card_images(list(notes)).items():
        notes[pk].card_images = images
    return notes


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


def liked_ids(*, viewer, note_ids: Iterable[int]) -> set[int]:
    """The notes among `note_ids` the viewer liked (a card's heart), one query for a whole page."""
    return _ids_of(_LIKED, viewer=viewer, note_ids=list(note_ids))


def interaction_sets(*, viewer, note_ids: Iterable[int]) -> tuple[set[int], set[int]]:
    """(liked note ids, saved note ids) among `note_ids`, two queries for a whole page."""
    note_ids = list(note_ids)
    return _ids_of(_LIKED, viewer=viewer, note_ids=note_ids), _ids_of(_SAVED, viewer=viewer, note_ids=note_ids)


def reshared(*, viewer, note: Note) -> bool:
    return _authenticated(viewer) and Reshare.objects.filter(user=viewer, note=note).exists()


def note_get(*, viewer, note_id, details: bool = True) -> Note:
    """A note `viewer` may open (drafts to their author only), else 404; `details=False`
    skips `with_details` (the API reads them with `card_details`)."""
    note = note_cards(viewer=viewer).filter(pk=note_id).first()
    if note is None:
        raise NotFound(_("Note not found."))
    return with_details([note])[0] if details else note


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
    return published_cards(viewer=viewer).filter(tags=tag).order_by(*SORTS[sort])


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
    notes = published_cards(viewer=viewer).filter(place=place)
    if not place.has_location:
        return notes.annotate(place_distance=Value(0.0, output_field=FloatField())).order_by(*PLACE_ORDERING)
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
        return note_cards(viewer=viewer).filter(author=author, status=Note.Status.DRAFT).order_by("-id")
    return published_cards(viewer=viewer).filter(author=author).order_by("-id")


def likes_visible(*, owner: User, viewer) -> bool:
    """A profile's likes are private unless its owner shows them (`likes_public`)."""
    return owner.likes_public or (_authenticated(viewer) and viewer.pk == owner.pk)


def user_liked_notes(*, owner: User, viewer) -> QuerySet:
    """The notes `owner` liked that `viewer` may open, latest like first (`liked_id` pages them).

    403 when the owner keeps their likes to themselves (the default).
    """
    if not likes_visible(owner=owner, viewer=viewer):
        raise Forbidden(_("This account keeps its likes private."), code="likes_private")
    return (
        published_cards(viewer=viewer).filter(likes__user=owner).annotate(liked_id=F("likes__id")).order_by("-liked_id")
    )


# --- Collections -----------------------------------------------------------------------


def _collections_visible_to(viewer) -> QuerySet:
    qs = Collection.objects.filter(owner__is_active=True, owner__is_suspended=False)
    if not _authenticated(viewer):
        return qs.filter(is_private=False)
    return qs.filter(Q(is_private=False) | Q(owner=viewer)).exclude(owner_id__in=Block.objects.hidden_user_ids(viewer))


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
        published_cards(viewer=viewer)
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


def _visible_comments(viewer, hidden: set[int] | None = None) -> QuerySet:
    qs = Comment.objects.filter(is_removed=False, author__is_active=True, author__is_suspended=False)
    if _authenticated(viewer):
        hidden = Block.objects.hidden_user_ids(viewer) if hidden is None else hidden
        qs = qs.exclude(author_id__in=hidden)
    return qs.select_related("author")


def comments_for_note(*, note: Note, viewer, parent_id: int | None = None) -> QuerySet:
    """Root comments oldest first, each with all its replies; or one root's replies."""
    hidden = Block.objects.hidden_user_ids(viewer) if _authenticated(viewer) else set()
    qs = _visible_comments(viewer, hidden).filter(note=note)
    if parent_id is not None:
        return qs.filter(parent_id=parent_id).order_by("id")
    replies = _visible_comments(viewer, hidden).order_by("id")
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
