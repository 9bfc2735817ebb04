"""Feed reads: Follow (pull by keyset), Explore (precomputed lists), Nearby (nearest first from a GiST index).

Each returns `(items, next_cursor)` where an item is `(card, extra)`: the card is a
`posts.cards.NoteCard` (`note_cards` over the page's ids, a fixed number of queries)
and `extra` holds the feed fields (`reason`, `distance_km`, `reshared_by`).
"""

import functools
import logging
import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import cast

import numpy as np
import redis
from django.db import connection
from django.db.models import Exists, F, FloatField, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex, Upper
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _
from redis.exceptions import RedisError

from accounts.models import Follow, User, unblocked
from feeds.models import Channel, MutedKeyword, NotInterested
from feeds.ranking import REASON_POPULAR
from feeds.reasons import reason_text
from feeds.store import get_store, trending_key, user_key
from posts.cards import cards_of, note_cards
from posts.models import Like, Note, NoteView, Reshare, TaggedNote
from redbook import cursors
from redbook.exceptions import Invalid
from redbook.prepared import Arg, InList, PreparedInstances, PreparedQuery

logger = logging.getLogger(__name__)

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
# A round reads twice the page's size from the lists (most candidates pass the filters),
# and each further round (the page still short, on either list) twice the last, up to this.
EXPLORE_CHUNK = 240
EXPLORE_MAX_ROUNDS = 12  # bounds the work (and queries) of one page however much is filtered
LIVE_KEY = "live"  # not a stored list: the most liked notes, read from the database
LIVE_SIZE = 500
PER_AUTHOR_PER_20 = 2  # author diversity: at most 2 notes by one author in a page of 20


# --- Cursors ------------------------------------------------------------------------


def follow_cursor(raw: str | None) -> dict | None:
    return cursors.cursor_decode(raw, fields={"n": int, "r": int}, optional=("n", "r"))


def explore_cursor(raw: str | None) -> dict | None:
    # cursor_decode checks each field with isinstance, which takes a union too (`fields` says `type`)
    return cursors.cursor_decode(raw, fields={"p": int, "s": cast(type, float | None), "x": list}, optional=("x",))


def nearby_cursor(raw: str | None) -> dict | None:
    # "c": the chord of the last item; "d" (its distance in km) in cursors made before chords
    cursor = cursors.cursor_decode(raw, fields={"c": float, "d": float, "i": int}, optional=("c", "d"))
    if cursor is not None and "c" not in cursor and "d" not in cursor:
        raise Invalid(_("Invalid cursor."), code="invalid_cursor")
    return cursor


# --- Follow -------------------------------------------------------------------------


def _followees():
    return Follow.objects.filter(follower_id=Arg("viewer")).values("followee_id")


# One compiled query per page size and keyset presence (a few dozen at most).
@functools.cache
def _followed_notes(limit: int, *, keyset: bool) -> PreparedQuery:
    """(id, created_at) of the newest public notes by the accounts `viewer` follows, below `before` if `keyset`."""

    def build():
        notes = Note.objects.public().filter(author_id__in=_followees())
        notes = notes.filter(pk__lt=Arg("before")) if keyset else notes
        return notes.order_by("-id").values_list("pk", "created_at")[:limit]

    return PreparedQuery(build)


@functools.cache
def _followed_reshares(limit: int, *, keyset: bool) -> PreparedInstances:
    """The newest re-shares by the accounts `viewer` follows (with their user), below `before` if `keyset`."""

    def build():
        reshares = Reshare.objects.filter(user_id__in=_followees(), user__is_active=True, user__is_suspended=False)
        reshares = reshares.filter(pk__lt=Arg("before")) if keyset else reshares
        return reshares.order_by("-id")[:limit]

    return PreparedInstances(Reshare, build, related="user")


def _cards_by_id(ids: list[int], viewer) -> dict:
    """note id -> `posts.cards.NoteCard`, for those of `ids` the viewer may see."""
    return {card.id: card for card in note_cards(ids, viewer)}


def follow_feed(*, viewer: User, cursor: dict | None, size: int):
    """Newest notes of the accounts `viewer` follows, and the notes they re-shared.

    Fan-out on read (pull): two keyset queries, one over notes (index notes(author, -id))
    and one over re-shares (index reshares(user, -created_at)), each limited to a page,
    merged by time. Postgres walks the newest notes and keeps those whose author is
    followed, so the cost tracks the page, not the history, for 0 or thousands of
    followees, and a post or a follow needs no write-time work. Each stream has its
    own exact keyset in the cursor, so new notes arriving between pages cause neither
    duplicates nor gaps. If accounts with millions of followers appeared, the upgrade
    is a hybrid: fan out on write into per-follower Redis timelines for ordinary
    accounts and merge the few huge accounts' notes in on read.
    """
    cursor = cursor or {}
    before_note, before_reshare = cursor.get("n"), cursor.get("r")
    notes = _followed_notes(size + 1, keyset=before_note is not None).rows(viewer=viewer.pk, before=before_note)
    reshares = _followed_reshares(size + 1, keyset=before_reshare is not None)
    note_rows = [("n", pk, at, None) for pk, at in notes]
    reshare_rows: list[tuple[str, int, datetime, Reshare | None]] = [
        ("r", reshare.pk, reshare.created_at, reshare)
        # PreparedInstances(Reshare, ...) reads Reshare rows (`objects` says list[Model])
        for reshare in cast(list[Reshare], reshares.objects(viewer=viewer.pk, before=before_reshare))
    ]
    events = sorted(note_rows + reshare_rows, key=lambda event: event[2], reverse=True)
    page, rest = events[:size], events[size:]
    next_cursor = None
    if rest:
        next_cursor = dict(cursor)
        for kind, pk, _at, _reshare in page:
            next_cursor[kind] = pk  # rows are newest first per stream, so the last one wins
    # a "r" row carries its Reshare, a "n" row None
    note_ids = [pk if kind == "n" else cast(Reshare, reshare).note_id for kind, pk, _at, reshare in page]
    notes_by_id = _cards_by_id(note_ids, viewer)
    items, shown = [], set()
    for (_kind, _pk, _at, reshare), note_id in zip(page, note_ids, strict=True):
        if note_id in notes_by_id and note_id not in shown:
            shown.add(note_id)
            items.append((notes_by_id[note_id], {"reshared_by": reshare.user if reshare else None}))
    return items, next_cursor


# --- Explore ------------------------------------------------------------------------


def _muted_in(viewer) -> Exists:
    """The note holds one of `viewer`'s muted keywords in its title, body or a tag name, as
    `icontains` finds it (upper-cased substring): in SQL, so muting costs no query of its own."""
    keyword = Upper(OuterRef("keyword"))
    in_tags = TaggedNote.objects.filter(content_object_id=OuterRef(OuterRef("pk"))).filter(
        GreaterThan(StrIndex(Upper("tag__name"), keyword), 0)
    )
    muted = MutedKeyword.objects.filter(user_id=viewer).filter(
        GreaterThan(StrIndex(Upper(OuterRef("title")), Upper("keyword")), 0)
        | GreaterThan(StrIndex(Upper(OuterRef("body")), Upper("keyword")), 0)
        | Exists(in_tags)
    )
    return Exists(muted)


def _allowed_notes(*, ids, viewer, viewer_key, channel_tags) -> QuerySet:
    """(id, author id) of the public notes among `ids`: for a signed-in `viewer` (an id), not
    their own, not by an account blocked either way, not seen (by `viewer_key`), not marked
    not interested, not liked, not holding a muted keyword; only those tagged with one of
    `channel_tags` unless that is None. Each argument a value or an `Arg`."""
    notes = Note.objects.public().filter(InList(F("pk"), ids))
    if viewer is not None:
        seen = NoteView.objects.filter(note_id=OuterRef("pk"), viewer_key=viewer_key)
        unwanted = NotInterested.objects.filter(note_id=OuterRef("pk"), user_id=viewer)
        liked = Like.objects.filter(note_id=OuterRef("pk"), user_id=viewer)
        notes = notes.exclude(author_id=viewer).filter(unblocked("author_id", viewer))
        notes = notes.exclude(Exists(seen)).exclude(Exists(unwanted)).exclude(Exists(liked))
        notes = notes.exclude(_muted_in(viewer))
    if channel_tags is not None:
        tagged = TaggedNote.objects.filter(InList(F("tag_id"), channel_tags), content_object_id=OuterRef("pk"))
        notes = notes.filter(Exists(tagged))
    return notes.values_list("pk", "author_id")


def _prepared_allowed(*, signed_in: bool, in_channel: bool) -> PreparedQuery:
    return PreparedQuery(
        lambda: _allowed_notes(
            ids=Arg("ids"),
            viewer=Arg("viewer") if signed_in else None,
            viewer_key=Arg("viewer_key"),
            channel_tags=Arg("channel_tags") if in_channel else None,
        )
    )


# One compiled query per shape: (signed in, limited to a channel) -> query.
_ALLOWED = {
    (signed_in, in_channel): _prepared_allowed(signed_in=signed_in, in_channel=in_channel)
    for signed_in in (False, True)
    for in_channel in (False, True)
}


@dataclass
class _ExploreFilter:
    """Drops what the viewer must not or need not see, for a chunk of store items in one query."""

    viewer: User | None
    channel_tag_ids: list[int]

    @classmethod
    def for_viewer(cls, viewer, channel: Channel | None):
        tag_ids = [tag.pk for tag in channel.tags.all()] if channel else []
        signed_in = viewer is not None and viewer.is_authenticated
        return cls(viewer=viewer if signed_in else None, channel_tag_ids=tag_ids)

    def allowed(self, ids: list[int], *, in_channel: bool) -> dict[int, int]:
        """note id -> author id of the visible, unseen, unmuted notes among `ids`."""
        channel_tags = self.channel_tag_ids if in_channel and self.channel_tag_ids else None
        shape = (self.viewer is not None, channel_tags is not None)
        return dict(
            _ALLOWED[shape].rows(
                ids=ids,
                viewer=self.viewer.pk if self.viewer else None,
                viewer_key=f"u:{self.viewer.pk}" if self.viewer else None,
                channel_tags=channel_tags,
            )
        )


def channel_get(slug: str | None) -> Channel | None:
    """The active channel by slug; none for no slug or a channel without tags ("recommended")."""
    if not slug:
        return None
    channel = Channel.objects.filter(slug=slug, is_active=True).prefetch_related("tags").first()
    if channel is None:
        raise Invalid(_("Unknown channel."), code="unknown_channel")
    return channel if channel.tags.all() else None


# The Explore page's tabs: compiled once (redbook.prepared), as every home page reads them.
_CHANNELS = PreparedInstances(
    Channel, lambda: Channel.objects.filter(is_active=True).order_by("position", "id"), related=None
)


def channels_list() -> list[Channel]:
    # PreparedInstances(Channel, ...) reads Channel rows (`objects` says list[Model])
    return cast(list[Channel], _CHANNELS.objects())


def explore_lists(*, viewer, channel: Channel | None) -> list[str]:
    """The lists a page is read from, in order: the viewer's own (if any), then trending.

    Before the first ranking run has written trending, a live popularity list stands in.
    """
    trending = trending_key(channel.slug if channel else None)
    personal = viewer is not None and viewer.is_authenticated and viewer.personalization_enabled
    own = user_key(viewer.pk) if personal else None
    try:
        existing = get_store().existing([key for key in (own, trending) if key])  # one round trip
    except redis.RedisError:  # Redis away: the live database ranking keeps Explore answering
        return [LIVE_KEY]
    lists = [trending if trending in existing else LIVE_KEY]
    return [own, *lists] if own in existing else lists


def _live_page(channel: Channel | None, *, below: float | None, limit: int) -> list[tuple[int, float, str]]:
    """The most liked public notes, scored by rank, for when no trending list exists yet."""
    notes = Note.objects.public()
    if channel:
        notes = notes.filter(Exists(TaggedNote.objects.filter(content_object_id=OuterRef("pk"), tag__channels=channel)))
    skip = 0 if below is None else max(0, LIVE_SIZE - int(below) + 1)
    ids = notes.order_by("-like_count", "-id").values_list("pk", flat=True)[skip : min(LIVE_SIZE, skip + limit)]
    return [(pk, float(LIVE_SIZE - skip - i), REASON_POPULAR) for i, pk in enumerate(ids)]


class _ExplorePage:
    """Fills one page from the lists, in order, keeping authors diverse without losing anyone.

    A note held back because its author already has enough on this page is not
    skipped for good: the cursor resumes just before the first held-back note, and
    carries the ids picked beyond that point (`x`) so they are not shown twice.
    """

    def __init__(self, *, viewer, channel, keys: list[str], cursor: dict | None, size: int):
        self.store, self.channel, self.keys, self.size = get_store(), channel, keys, size
        self.phase: int
        self.below: float | None
        self.phase, self.below = (cursor["p"], cursor.get("s")) if cursor else (0, None)
        if not 0 <= self.phase < len(keys):
            raise Invalid(_("Invalid cursor."), code="invalid_cursor")
        self.skip = {pk for pk in (cursor or {}).get("x", []) if isinstance(pk, int)}
        self.filters = _ExploreFilter.for_viewer(viewer, channel)
        self.per_author = max(1, round(size * PER_AUTHOR_PER_20 / 20))
        self.picked: dict[int, str] = {}  # note id -> reason code, in page order
        self.authors: Counter = Counter()
        self.resume: tuple[int, float | None] | None = None  # where the first held-back note sits
        self.ahead: list[int] = []  # picked after that point
        self.passed: set[int] = set()  # read before that point
        self.personal_ids: set[int] | None = None

    def _rows(self, key: str, personal: bool, limit: int) -> tuple[list, bool, float | None]:
        """The next `limit` items of the list, whether the list ends with them, and their last score."""
        if key == LIVE_KEY:
            rows = _live_page(self.channel, below=self.below, limit=limit)
        else:
            rows = self.store.page(key, below=self.below, limit=limit)
        ends, last = len(rows) < limit, (rows[-1][1] if rows else None)
        if not personal and len(self.keys) > 1:
            if self.personal_ids is None:  # trending after the own list: skip what that list showed
                self.personal_ids = self.store.note_ids(self.keys[0])
            rows = [row for row in rows if row[0] not in self.personal_ids]
        return rows, ends, last

    def _take(self, rows, allowed: dict[int, int]) -> None:
        for note_id, score, reason in rows:
            before, self.below = self.below, score
            if self.resume is None:
                self.passed.add(note_id)
            author = allowed.get(note_id)
            if author is None or note_id in self.skip or note_id in self.picked:
                continue
            if self.authors[author] >= self.per_author:
                self.resume = self.resume or (self.phase, before)
                continue
            self.authors[author] += 1
            self.picked[note_id] = reason
            if self.resume is not None:
                self.ahead.append(note_id)
            if len(self.picked) == self.size:
                return

    def fill(self) -> dict | None:
        """Pick the page; returns the next cursor."""
        for round_ in range(EXPLORE_MAX_ROUNDS):
            if self.phase >= len(self.keys) or len(self.picked) >= self.size:
                break
            personal = self.keys[self.phase].startswith("u:")
            limit = min(EXPLORE_CHUNK, 2 * self.size << round_)
            rows, ends, last = self._rows(self.keys[self.phase], personal, limit)
            ids = [note_id for note_id, _, _ in rows]
            self._take(rows, self.filters.allowed(ids, in_channel=personal) if ids else {})
            if len(self.picked) < self.size and last is not None:
                self.below = last  # the whole chunk is read, rows dropped before `_take` included
            if len(self.picked) < self.size and ends:
                if self.resume is not None:
                    break  # the held-back notes open the next page
                self.phase, self.below = self.phase + 1, None
        phase, below = self.resume or (self.phase, self.below)
        if phase >= len(self.keys):
            return None
        return {"p": phase, "s": below, "x": sorted((self.skip - self.passed) | set(self.ahead))}


def explore_feed(*, viewer, channel: Channel | None, cursor: dict | None, size: int):
    """A page of Explore: the viewer's precomputed list, then trending, filtered and author-diverse.

    The cursor is (list number, last score read, ids already shown beyond it): an exact
    keyset within one list, and a close one when the list was replaced between two pages.
    """
    try:
        page = _ExplorePage(
            viewer=viewer, channel=channel, keys=explore_lists(viewer=viewer, channel=channel), cursor=cursor, size=size
        )
        next_cursor = page.fill()
    except RedisError as exc:  # the store is away: serve the live popular list rather than an error
        logger.warning("explore store unavailable, serving the live list: %s", exc)
        page = _ExplorePage(viewer=viewer, channel=channel, keys=[LIVE_KEY], cursor=None, size=size)
        next_cursor = page.fill()
    # `allowed` picked only public notes the viewer may see: their visibility is checked.
    notes = {card.id: card for card in cards_of(list(page.picked))}
    items = [
        (notes[note_id], {"reason": reason_text(code), "reason_code": code})
        for note_id, code in page.picked.items()
        if note_id in notes
    ]
    return items, next_cursor


# --- Nearby -------------------------------------------------------------------------


# A placed note as a point on the unit sphere (x, y, z): the straight-line distance between two
# such points (the chord) grows with the distance along the Earth, so ordering by it is
# ordering by true distance. Postgres indexes exactly this expression (feeds migration 0003).
NOTE_UNIT_VECTOR = (
    'cube(ARRAY[cos(radians("posts_note"."lat")) * cos(radians("posts_note"."lng")), '
    'cos(radians("posts_note"."lat")) * sin(radians("posts_note"."lng")), sin(radians("posts_note"."lat"))])'
)


def unit_vectors(lat, lng) -> np.ndarray:
    """Points on the unit sphere, one row (x, y, z) per (lat, lng), as NOTE_UNIT_VECTOR computes them."""
    lat, lng = np.radians(np.asarray(lat, dtype=np.float64)), np.radians(np.asarray(lng, dtype=np.float64))
    return np.stack([np.cos(lat) * np.cos(lng), np.cos(lat) * np.sin(lng), np.sin(lat)], axis=-1)


def chord_to_km(chord: float) -> float:
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, chord / 2))


def km_to_chord(km: float) -> float:
    return 2 * math.sin(min(math.pi, km / EARTH_RADIUS_KM) / 2)


# One compiled query per limit (page size + 2, times 4 while ties run past it: a few dozen).
@functools.cache
def _nearest_notes(limit: int) -> PreparedQuery:
    """(id, chord) of the `limit` public notes nearest the point (x, y, z) after the keyset
    (after_c, after_i), minus authors blocked either way by `viewer`: Postgres walks the GiST
    index nearest first and stops at `limit`, however dense or empty the area (it walks past
    the notes nearer than the cursor too: a deep page costs the pages before it)."""

    def build():
        chord = RawSQL(
            f"{NOTE_UNIT_VECTOR} <-> cube(ARRAY[%s, %s, %s]::float8[])",
            [Arg("x"), Arg("y"), Arg("z")],
            output_field=FloatField(),
        )
        notes = Note.objects.public().filter(unblocked("author_id", Arg("viewer")))
        notes = notes.filter(lat__isnull=False, lng__isnull=False)
        after = Q(chord__gt=Arg("after_c")) | Q(chord=Arg("after_c"), pk__gt=Arg("after_i"))
        return notes.annotate(chord=chord).filter(after).order_by("chord").values_list("pk", "chord")[:limit]

    return PreparedQuery(build)


def _nearest_by_index(point, after, size: int, max_chord: float, viewer_id) -> list[tuple[int, float]]:
    """Every row that can be on the page (and the one after it): the index orders by chord
    alone, so notes tied with the last one read may be missing. Read more until the rows
    closer than the last one outnumber the page, or the last is outside the radius, or
    there are no more."""
    x, y, z = (float(v) for v in point)
    limit = size + 2
    while True:
        rows = _nearest_notes(limit).rows(viewer=viewer_id, x=x, y=y, z=z, after_c=after[0], after_i=after[1])
        if len(rows) < limit or rows[-1][1] > max_chord:
            return rows
        settled = [row for row in rows if row[1] < rows[-1][1]]
        if len(settled) > size:
            return settled
        limit *= 4


def _nearest_in_box(point, after, lat: float, lng: float, radius_km: float, viewer_id) -> list[tuple[int, float]]:
    """The embedded default (SQLite, no GiST): every note in the radius' bounding box after the
    keyset, measured here."""
    rows = np.array(_NEARBY_CANDIDATES.rows(viewer=viewer_id, **_box(lat, lng, radius_km)), dtype=np.float64)
    rows = rows.reshape(-1, 3)
    chords = np.linalg.norm(unit_vectors(rows[:, 1], rows[:, 2]) - point, axis=-1)
    return [
        (int(pk), float(chord))
        for pk, chord in zip(rows[:, 0], chords, strict=True)
        if chord > after[0] or (chord == after[0] and pk > after[1])
    ]


def _box(lat: float, lng: float, radius_km: float) -> dict:
    """The bounding box of a circle: the arguments of `_NEARBY_CANDIDATES`."""
    dlat = radius_km / KM_PER_DEGREE
    cos_lat = math.cos(math.radians(lat))
    dlng = 180.0 if cos_lat < 1e-6 else min(180.0, radius_km / (KM_PER_DEGREE * cos_lat))
    return {
        "south": max(-90.0, lat - dlat),
        "north": min(90.0, lat + dlat),
        "west": max(-180.0, lng - dlng),
        "east": min(180.0, lng + dlng),
    }


# (id, lat, lng) of the public notes in a box, on the indexed (lat, lng) columns, minus the
# authors blocked either way by `viewer` (None when signed out).
_NEARBY_CANDIDATES = PreparedQuery(
    lambda: (
        Note.objects.public()
        .filter(unblocked("author_id", Arg("viewer")))
        .filter(lat__isnull=False, lat__range=(Arg("south"), Arg("north")), lng__range=(Arg("west"), Arg("east")))
        .values_list("pk", "lat", "lng")
    )
)


def nearby_feed(*, viewer, lat: float, lng: float, radius_km: float, cursor: dict | None, size: int):
    """Notes with a place within `radius_km`, nearest first, with `distance_km`.

    Postgres reads the nearest notes from a GiST index in distance order and stops once the
    page is settled (`_nearest_by_index`): the rows read follow the page size, not the
    number of notes around, except that notes at one exact point are read together when a
    page's edge falls among them. The cursor is the keyset (chord, id) of the last item; a cursor
    made before chords (distance in km, "d") still pages, from that distance on.
    """
    after = (-1.0, 0)
    if cursor:
        after = (cursor["c"] if "c" in cursor else km_to_chord(cursor["d"]), cursor["i"])
    viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
    point, max_chord = unit_vectors(lat, lng), km_to_chord(radius_km)
    if connection.vendor == "postgresql":
        rows = _nearest_by_index(point, after, size, max_chord, viewer_id)
    else:
        rows = _nearest_in_box(point, after, lat, lng, radius_km, viewer_id)
    inside = sorted((chord, pk) for pk, chord in rows if chord <= max_chord)
    page = [(pk, chord) for chord, pk in inside[:size]]
    next_cursor = {"c": page[-1][1], "i": page[-1][0]} if len(inside) > size else None
    # The rows are public and unblocked already (the query's own filters): no second check.
    chords = dict(page)
    items = [(card, {"distance_km": round(chord_to_km(chords[card.id]), 3)}) for card in cards_of(list(chords))]
    return items, next_cursor
