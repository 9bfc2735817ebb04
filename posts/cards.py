"""The note read model: `NoteCard`, built by `note_cards(ids, viewer)`, rendered as JSON or HTML.

Every list of notes (Follow, Explore, Nearby, search, tag, place, profile, likes, board,
product and brand lists, in the API and on the pages) finds its note ids first (feeds
from their stores, the others by keyset or page over an ids-only query) and then asks
`note_cards(ids, viewer)` for the cards, in that order. A card holds everything a list
shows of a note that is the same for every viewer: the note's row, its author, its images,
tags and listed products. What differs per viewer (liked, saved, author followed) is
read by `viewer_marks` in one query per page; buffered views in one Redis call.

Two renderers draw a card: `posts.api.NoteCards` (the API's Note JSON) and `CardBuilder`
(the dict templates/posts/_card.html shows). There is no other form of a listed note.

Cost: one query checks which of the ids `viewer` may see (compiled once per process,
`redbook.prepared`); the rest of each card comes from the cache (`NOTE_CARD_CACHE_SECONDS`,
the same for every viewer), and the missing ones cost four queries for the whole page
(notes with their author, images, tags, products) and a fifth when a product shows. A card
is dropped from the cache on edit, like, save, re-share, share, comment, view flush and
delete (`forget_cards`); the author's profile (counts, name, avatar) and a product's name
and price are otherwise at most the cache's lifetime old. Visibility is never cached: hiding, deleting, blocking or
suspending takes a note out of every list at the next request, whatever the cache holds.
"""

import re
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple, cast
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString

from accounts.avatars import generated_avatar_url
from accounts.models import Follow, User
from posts.models import Like, Note, NoteImage, Save, TaggedNote
from redbook.cache import cached_many, forget_many
from redbook.memo import Memo
from redbook.prepared import Arg, InList, PreparedInstances, PreparedQuery
from shop.models import Product, ProductImage

# --- The card -------------------------------------------------------------------------


class CardImage(NamedTuple):
    """A note image's stored file names and sizes (renderers turn names into URLs)."""

    display: str
    thumb: str
    original: str
    width: int
    height: int
    thumb_width: int
    thumb_height: int


class ProductCard(NamedTuple):
    """What a note card shows of a product it links."""

    id: int
    name: str
    price_min: Decimal
    price_max: Decimal
    currency: str
    brand: str  # the brand's username
    thumb: str  # the first image's thumb file name, "" without one


@dataclass(frozen=True, slots=True)
class NoteCard:
    """A listed note as every viewer sees it. The cache holds its values as a plain tuple:
    pickling that is several times cheaper than pickling the dataclass (see `_cached`)."""

    id: int
    author: User  # its row as of the card's reading (name, avatar, counts)
    title: str
    body: str
    status: str
    like_count: int
    save_count: int
    comment_count: int
    view_count: int  # flushed views; renderers add the buffered ones
    share_count: int
    reshare_count: int
    lat: float | None
    lng: float | None
    place_name: str
    place_id: int | None
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    media_type: str  # Note.MediaType: "image", or "video" (its poster is images[0])
    video_seconds: int | None
    images: tuple[CardImage, ...]
    products: tuple[ProductCard, ...]
    tags: tuple[str, ...]  # names, in the order the author gave them

    @property
    def pk(self) -> int:
        return self.id

    @property
    def author_id(self) -> int:
        return self.author.pk

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lng is not None


# --- Which ids a viewer may see -------------------------------------------------------


def _prepared_listable(viewer_kind: str) -> PreparedQuery:
    """The ids among `ids` a list shows to "anonymous", "staff" or "member" viewers: the
    published notes they may open (drafts open to their author, but list nowhere)."""

    def build():
        notes = Note.objects.all()
        if viewer_kind == "member":
            notes = notes.visible_to_member(Arg("viewer"))
        else:
            # Every anonymous viewer sees the same notes, and so does every staff account.
            notes = notes.visible_to(AnonymousUser() if viewer_kind == "anonymous" else User(is_staff=True))
        return notes.filter(InList(F("pk"), Arg("ids")), status=Note.Status.PUBLISHED).values_list("pk")

    return PreparedQuery(build)


_LISTABLE = {kind: _prepared_listable(kind) for kind in ("anonymous", "staff", "member")}
_OWN_DRAFTS = PreparedQuery(
    lambda: Note.objects.filter(
        InList(F("pk"), Arg("ids")), author_id=Arg("viewer"), status=Note.Status.DRAFT
    ).values_list("pk")
)


def _listable_ids(viewer, ids: list[int], drafts: bool) -> set[int]:
    if not ids:
        return set()
    if viewer is None or not viewer.is_authenticated:
        rows = [] if drafts else _LISTABLE["anonymous"].rows(ids=ids)
    elif drafts:
        rows = _OWN_DRAFTS.rows(ids=ids, viewer=viewer.pk)
    elif viewer.is_staff:
        rows = _LISTABLE["staff"].rows(ids=ids)
    else:
        rows = _LISTABLE["member"].rows(ids=ids, viewer=viewer.pk)
    return {pk for (pk,) in rows}


# --- Reading cards --------------------------------------------------------------------

_NOTES = PreparedInstances(Note, lambda: Note.objects.filter(InList(F("pk"), Arg("ids"))), related="author")
_IMAGE_FIELDS = ("display", "thumb", "original", "width", "height", "thumb_width", "thumb_height")
_IMAGES = PreparedQuery(
    lambda: (
        NoteImage.objects.filter(InList(F("note_id"), Arg("notes")))
        .order_by("position", "id")
        .values_list("note_id", *_IMAGE_FIELDS)
    )
)
# A note's tags in the order the author gave them (the order they were attached).
_TAGS = PreparedQuery(
    lambda: (
        TaggedNote.objects.filter(InList(F("content_object_id"), Arg("notes")))
        .order_by("id")
        .values_list("content_object_id", "tag__name")
    )
)
_PRODUCTS = PreparedQuery(
    lambda: (
        Product.objects.listed()
        .filter(InList(F("notes"), Arg("notes")))
        .values_list("notes", "id", "name", "price_min", "price_max", "currency", "brand__username")
    )
)
_PRODUCT_THUMBS = PreparedQuery(
    lambda: (
        ProductImage.objects.filter(InList(F("product_id"), Arg("products")))
        .order_by("product_id", "position", "id")
        .values_list("product_id", "thumb")
    )
)


def _read_cards(ids: list[int]) -> dict[int, tuple]:
    """The cards of these notes from the database, as `_cached` values: four queries, a
    fifth when a product shows."""
    # PreparedInstances(Note, ...) reads Note rows (`objects` says list[Model])
    notes = {note.pk: note for note in cast(list[Note], _NOTES.objects(ids=ids))}
    if not notes:
        return {}
    found = list(notes)
    images: dict[int, list[CardImage]] = {pk: [] for pk in found}
    for note_id, *row in _IMAGES.rows(notes=found):
        images[note_id].append(CardImage(*row))
    tags: dict[int, list[str]] = {pk: [] for pk in found}
    for note_id, name in _TAGS.rows(notes=found):
        tags[note_id].append(name)
    product_rows = _PRODUCTS.rows(notes=found)
    thumbs: dict[int, str] = {}
    if product_rows:
        for product_id, thumb in _PRODUCT_THUMBS.rows(products={row[1] for row in product_rows}):
            thumbs.setdefault(product_id, thumb)  # the first image is the cover
    products: dict[int, list[ProductCard]] = {pk: [] for pk in found}
    for note_id, *product in product_rows:
        # the row holds ProductCard's fields but `thumb` (see _PRODUCTS)
        known = cast(tuple[int, str, Decimal, Decimal, str, str], product)
        products[note_id].append(ProductCard(*known, thumb=thumbs.get(product[0], "")))
    return {pk: _cached(note, images[pk], products[pk], tags[pk]) for pk, note in notes.items()}


_CARD_FIELDS = [field.name for field in fields(NoteCard)]


def _cached(note: Note, images, products, tags) -> tuple:
    """A card's values, in NoteCard's field order: `NoteCard(*values)`."""
    values = {"author": note.author, "images": tuple(images), "products": tuple(products), "tags": tuple(tags)}
    return tuple(values[name] if name in values else getattr(note, name) for name in _CARD_FIELDS)


def _cache_key(note_id: int) -> str:
    return f"notecard:v4:{note_id}"


def note_cards(ids, viewer, *, drafts: bool = False) -> list[NoteCard]:
    """The cards of the notes `ids` that `viewer` may see in a list, in the order of `ids`
    (duplicates once): published notes they may open, or with `drafts` their own drafts."""
    ids = list(dict.fromkeys(ids))
    visible = _listable_ids(viewer, ids, drafts)
    return cards_of([pk for pk in ids if pk in visible])


def cards_of(ids: list[int]) -> list[NoteCard]:
    """The cards of notes whose visibility the caller checked (`note_cards` does), in order:
    from the cache, the missing ones read in one go and cached."""
    if not ids:
        return []
    values = cached_many(ids, key=_cache_key, read=_read_cards, seconds=settings.NOTE_CARD_CACHE_SECONDS)
    return [NoteCard(*values[pk]) for pk in ids if pk in values]


def forget_cards(note_ids) -> None:
    """Drop these notes' cards from the cache: call on any change a card shows. Now, and
    again once the transaction commits: a reader between the two may have cached the row
    as it was before the commit."""
    forget_many([_cache_key(pk) for pk in note_ids], seconds=settings.NOTE_CARD_CACHE_SECONDS)


# --- Per viewer -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ViewerMarks:
    """What one viewer's page marks on its cards."""

    liked: frozenset[int] = frozenset()  # note ids
    saved: frozenset[int] = frozenset()  # note ids
    followed: frozenset[int] = frozenset()  # author ids


def _marks_sql() -> str:
    """Likes, saves and follows of one viewer among a page's notes and authors, as one statement."""
    like, save, follow = Like._meta.db_table, Save._meta.db_table, Follow._meta.db_table
    return (
        f'SELECT 0, "note_id" FROM "{like}" WHERE "user_id" = %(viewer)s AND "note_id" = ANY(%(notes)s) '
        f'UNION ALL SELECT 1, "note_id" FROM "{save}" WHERE "user_id" = %(viewer)s AND "note_id" = ANY(%(notes)s) '
        f'UNION ALL SELECT 2, "followee_id" FROM "{follow}" '
        f'WHERE "follower_id" = %(viewer)s AND "followee_id" = ANY(%(users)s)'
    )


def viewer_marks(viewer, cards: list[NoteCard]) -> ViewerMarks:
    """Which of these cards `viewer` liked and saved, and which authors they follow: one query
    for the page (none for anonymous viewers or an empty page)."""
    if viewer is None or not viewer.is_authenticated or not cards:
        return ViewerMarks()
    note_ids = [card.id for card in cards]
    author_ids = list({card.author_id for card in cards})
    if connection.vendor != "postgresql":  # the embedded default: three plain queries
        return ViewerMarks(
            liked=frozenset(Like.objects.filter(user=viewer, note_id__in=note_ids).values_list("note_id", flat=True)),
            saved=frozenset(Save.objects.filter(user=viewer, note_id__in=note_ids).values_list("note_id", flat=True)),
            followed=frozenset(
                Follow.objects.filter(follower=viewer, followee_id__in=author_ids).values_list("followee_id", flat=True)
            ),
        )
    found: tuple[set[int], set[int], set[int]] = (set(), set(), set())
    with connection.cursor() as cursor:
        cursor.execute(_marks_sql(), {"viewer": viewer.pk, "notes": note_ids, "users": author_ids})
        for kind, pk in cursor.fetchall():
            found[kind].add(pk)
    return ViewerMarks(*(frozenset(ids) for ids in found))


# --- URLs, cheaply --------------------------------------------------------------------

# A stored file name of plain segments: FileSystemStorage.url() (quote, then urljoin onto
# base_url) gives base_url + name for it, so cards skip both per image URL.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*")
_PLACEHOLDER = "9876543210"  # matches both the int and the str converter, and no other part of a URL
_URL_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted


def storage_url(storage, name: str) -> str:
    """`storage.url(name)`, without its quoting and joining for a plain name on the file system."""
    real = getattr(storage, "_wrapped", storage)  # default_storage is a LazyObject
    if type(real) is FileSystemStorage and _PLAIN_NAME.fullmatch(name):
        return real.base_url + name
    return storage.url(name)


class UrlPattern:
    """`reverse(viewname, kwargs={kwarg: value})` for many values from one reversal: the
    value, quoted as reverse() quotes it, goes where a placeholder came out."""

    def __init__(self, viewname: str, kwarg: str):
        self.prefix, self.suffix = reverse(viewname, kwargs={kwarg: _PLACEHOLDER}).rsplit(_PLACEHOLDER, 1)

    def __call__(self, value) -> str:
        return f"{self.prefix}{quote(str(value), safe=_URL_SAFE)}{self.suffix}"


# --- The HTML card --------------------------------------------------------------------


class CardBuilder:
    """The values templates/posts/_card.html shows for the cards of one page, and its markup
    (`html`); `liked_ids` marks hearts."""

    def __init__(self, *, liked_ids=()):
        self.liked_ids = liked_ids
        self.language = translation.get_language()

    def card(self, card: NoteCard) -> dict:
        """The card's values and markup, drawn once per process for all they depend on: the
        card, its author's name and avatar (a card compares its author by id alone), the
        heart and the language."""
        author = card.author
        liked = card.id in self.liked_ids
        key = (card, author.username, author.name, author.avatar.name, liked, self.language)
        return _CARDS.get(key, lambda: _draw_card(card, liked, self.language))


# The same cards fill every viewer's pages, and a card's values and markup follow from the
# key above alone (a new like count or title is a new key; nothing to invalidate).
# Rendering the template was most of a signed-in home page's CPU.
_CARDS: Memo[dict] = Memo(size=4096)  # 2-8 KB a card, key (a whole NoteCard) included


_URLS: Memo[tuple[UrlPattern, UrlPattern]] = Memo(size=1)  # reversed once, again when a setting changes


def _reverse_urls() -> tuple[UrlPattern, UrlPattern]:
    return UrlPattern("posts:note-detail", "note_id"), UrlPattern("accounts:profile", "username")


def _urls() -> tuple[UrlPattern, UrlPattern]:
    """The note and profile URL patterns."""
    return _URLS.get("urls", _reverse_urls)


def _cover(card: NoteCard) -> dict | None:
    if not card.images:
        return None
    image = card.images[0]
    return {
        "url": storage_url(NoteImage._meta.get_field("thumb").storage, image.thumb),
        "width": image.thumb_width,
        "height": image.thumb_height,
    }


def _draw_card(card: NoteCard, liked: bool, language: str | None) -> dict:
    author = card.author
    avatar = author.avatar
    if avatar:
        # a truthy FieldFile has a name; the stubs type it `str | None` regardless
        avatar_url = storage_url(avatar.storage, avatar.name)  # type: ignore[arg-type]
    else:
        avatar_url = generated_avatar_url(username=author.username, name=author.name)
    note_url, profile_url = _urls()
    values = {
        "id": card.id,
        "url": note_url(card.id),
        "title": card.title,
        "cover": _cover(card),
        "author_id": card.author_id,
        "author_url": profile_url(author.username),
        "author_name": author.name,
        "avatar_url": avatar_url,
        "liked": liked,
        "like_count": intcomma(card.like_count),
        "video": video_badge(card),
    }
    values["html"] = draw("posts/_card.html", {"card": dict(values)}, language)
    return values


def draw(template: str, context: dict, language: str | None) -> SafeString:
    """`template` rendered in `language` (the one a memo's key names, whichever is active)."""
    with translation.override(language):
        return render_to_string(template, context)


def video_badge(card: NoteCard) -> dict | None:
    """A video note card's play badge and length (posts/_video_badge.html); None for photo notes."""
    if card.media_type != Note.MediaType.VIDEO:
        return None
    seconds = card.video_seconds or 0
    return {"duration": f"{seconds // 60}:{seconds % 60:02d}", "seconds": seconds}
