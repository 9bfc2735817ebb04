"""Note reads: one base queryset for cards and detail, and "liked/saved by me" per page.

Every list here runs a fixed number of queries whatever its length: the note rows
(author joined) and their images; the API adds one query each for tags, products
and product images (`card_details`, as plain data; `with_details` prefetches the
same for pages), then `interaction_sets` (two queries, none for anonymous viewers).
"""

from collections.abc import Iterable

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from accounts.models import Block, User
from posts.models import Collection, Comment, CommentLike, Like, Note, NoteImage, Reshare, Save
from redbook.exceptions import Invalid, NotFound
from shop.models import Product, ProductImage

SORTS = {"new": ("-id",), "hot": ("-like_count", "-id")}


def _authenticated(viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


def note_cards(*, viewer) -> QuerySet:
    """Notes `viewer` may open, with what a grid card shows (author, images);
    `with_details` adds what the API's note and the detail page show."""
    images = NoteImage.objects.order_by("position", "id")
    notes = Note.objects.visible_to(viewer).select_related("author")
    return notes.prefetch_related(Prefetch("images", queryset=images))


def with_details(notes: list[Note]) -> list[Note]:
    """Prefetch tags, and products with their brand and images, for these notes (three queries)."""
    products = (
        Product.objects.listed()
        .select_related("brand")
        .prefetch_related(Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")))
    )
    prefetch_related_objects(notes, "tags", Prefetch("products", queryset=products))
    return notes


def card_details(notes: list[Note]) -> tuple[dict[int, list[str]], dict[int, list[Product]], dict[int, str]]:
    """What the API shows beyond `note_cards` for these notes, as plain data rather than
    prefetch caches: (note id -> tag names, note id -> listed products with their brand,
    product id -> its first image's thumb name). Two queries, a third only when a product shows.

    The same queries as `with_details` (so the same rows, in the same order), read without
    Django's prefetch machinery, which builds a filtered queryset per note and per product.
    """
    tags: dict[int, list[str]] = {note.pk: [] for note in notes}
    products: dict[int, list[Product]] = {note.pk: [] for note in notes}
    if not notes:
        return tags, products, {}
    tag_rows = Note.tags.get_prefetch_querysets(notes)[0]
    # The very SQL prefetch_related("tags") runs (DISTINCT, no ORDER BY): the same tag order as before.
    for note_id, _pk, name, _slug in tag_rows.values_list("_prefetch_related_val", "id", "name", "slug"):
        tags[note_id].append(name)
    listed = Product.objects.listed().select_related("brand")
    product_rows, product_note, *_ = notes[0].products.get_prefetch_querysets(notes, [listed])
    for product in product_rows:
        products[product_note(product)[0]].append(product)
    product_ids = {product.pk for rows in products.values() for product in rows}
    thumbs: dict[int, str] = {}
    if product_ids:
        images = ProductImage.objects.filter(product_id__in=product_ids).order_by("product_id", "position", "id")
        for product_id, thumb in images.values_list("product_id", "thumb"):
            thumbs.setdefault(product_id, thumb)  # the first image is the cover
    return tags, products, thumbs


CARD_IMAGE_FIELDS = ("display", "thumb", "original", "width", "height", "thumb_width", "thumb_height")


def card_images(note_ids: list[int]) -> dict[int, list[tuple]]:
    """note id -> its images as `CARD_IMAGE_FIELDS` rows, in card order: what the `images`
    prefetch of `note_cards` reads, in one query of plain rows (no instance per image)."""
    images: dict[int, list[tuple]] = {pk: [] for pk in note_ids}
    if note_ids:
        rows = NoteImage.objects.filter(note_id__in=note_ids).order_by("position", "id")
        for note_id, *row in rows.values_list("note_id", *CARD_IMAGE_FIELDS):
            images[note_id].append(tuple(row))
    return images


def published_cards(*, viewer) -> QuerySet:
    """What lists show: published notes only (your own drafts open, but list nowhere)."""
    return note_cards(viewer=viewer).filter(status=Note.Status.PUBLISHED)


def _ids_of(model, *, viewer, note_ids: list[int]) -> set[int]:
    if not _authenticated(viewer) or not note_ids:
        return set()
    return set(model.objects.filter(user=viewer, note_id__in=note_ids).values_list("note_id", flat=True))


def liked_ids(*, viewer, note_ids: Iterable[int]) -> set[int]:
    """The notes among `note_ids` the viewer liked (a card's heart), one query for a whole page."""
    return _ids_of(Like, viewer=viewer, note_ids=list(note_ids))


def interaction_sets(*, viewer, note_ids: Iterable[int]) -> tuple[set[int], set[int]]:
    """(liked note ids, saved note ids) among `note_ids`, two queries for a whole page."""
    note_ids = list(note_ids)
    return _ids_of(Like, viewer=viewer, note_ids=note_ids), _ids_of(Save, viewer=viewer, note_ids=note_ids)


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


def user_notes(*, author: User, viewer, drafts: bool = False) -> QuerySet:
    """A profile's notes, newest first; `drafts=True` lists the author's own drafts."""
    if drafts:
        if not _authenticated(viewer) or viewer.pk != author.pk:
            return Note.objects.none()
        return note_cards(viewer=viewer).filter(author=author, status=Note.Status.DRAFT).order_by("-id")
    return published_cards(viewer=viewer).filter(author=author).order_by("-id")


# --- Collections -----------------------------------------------------------------------


def _collections_visible_to(viewer) -> QuerySet:
    qs = Collection.objects.filter(owner__is_active=True, owner__is_suspended=False)
    if not _authenticated(viewer):
        return qs.filter(is_private=False)
    return qs.filter(Q(is_private=False) | Q(owner=viewer)).exclude(owner_id__in=Block.objects.hidden_user_ids(viewer))


def collection_get(*, viewer, collection_id) -> Collection:
    """A board: private ones are 404 to everyone but their owner."""
    collection = _collections_visible_to(viewer).select_related("owner").filter(pk=collection_id).first()
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


def user_collections(*, owner: User, viewer) -> QuerySet:
    """Boards of `owner` the viewer may see, each with `cover` (a thumb path) annotated."""
    cover = (
        NoteImage.objects.filter(note__saves__collection=OuterRef("pk"), position=0)
        .order_by("-note__saves__id")
        .values("thumb")[:1]
    )
    return (
        _collections_visible_to(viewer)
        .filter(owner=owner)
        .select_related("owner")
        .annotate(cover=Subquery(cover))
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
