"""Load the Explore `World` (flat numpy arrays) from the database in a handful of bulk queries.

Candidates are the newest public notes (EXPLORE_MAX_CANDIDATES); interactions are
read only for them, so the cost follows the candidate window, not the whole history.
"""

import time
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.utils import timezone
from taggit.models import Tag

from accounts.models import Follow, User
from feeds.models import NotInterested, TopicFollow
from feeds.ranking import WEIGHTS, ItemModel, World
from posts.models import Comment, Like, Note, NoteView, Save, TaggedNote

VIEW_WINDOW_DAYS = 30


def _rows(queryset) -> list[tuple]:
    """Fetch a values_list queryset through the raw cursor: no model or tuple-per-row overhead of the ORM."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. `__in` an empty set: Django knows there is no row
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _epoch(values) -> np.ndarray:
    return np.array([_timestamp(v) for v in values], dtype=np.float64)


def _timestamp(value) -> float:
    """Epoch seconds of a datetime or date (SQLite's raw cursor hands both back as strings)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC).timestamp()
    return 0.0


def _columns(rows: list[tuple], count: int) -> list[list]:
    return [list(col) for col in zip(*rows, strict=True)] if rows else [[] for _ in range(count)]


def _ids(values) -> np.ndarray:
    return np.asarray(values, dtype=np.int64)


class _Index:
    """Maps sorted ids (note ids, tag ids) to positions; unknown ids map to -1."""

    def __init__(self, ids: np.ndarray):
        self.ids = np.asarray(ids, dtype=np.int64)
        self.order = np.argsort(self.ids)
        self.sorted = self.ids[self.order]

    def __call__(self, ids) -> np.ndarray:
        ids = _ids(ids)
        if not len(self.sorted) or not len(ids):
            return np.full(len(ids), -1, dtype=np.int64)
        pos = np.clip(np.searchsorted(self.sorted, ids), 0, len(self.sorted) - 1)
        return np.where(self.sorted[pos] == ids, self.order[pos], -1)


@dataclass
class _Loaded:
    """A world and the id maps it was built with (item and tag positions)."""

    world: World
    items: _Index
    tags: _Index
    min_id: int
    at: float = field(default_factory=time.monotonic)
    model: ItemModel | None = None  # built by the first one-user refresh that needs it


# A worker keeps the last full load and its item model for a few minutes: a one-user
# refresh (after a like) then reads only that user's rows and builds only that user's
# matrices. Process-local and read-only, so nothing is shared.
_cache: dict[str, _Loaded] = {}
CACHE_SECONDS = 5 * 60


def load_world(*, users: list[int] | None = None, max_candidates: int | None = None) -> World:
    """The world as the ranking needs it. `users` limits the per-user rows (follows, topics, hides)."""
    loaded = _load_items(max_candidates or settings.EXPLORE_MAX_CANDIDATES)
    return replace(loaded.world, **_user_rows(loaded, users))


def world_for_user(user_id: int) -> tuple[World, ItemModel]:
    """For refreshing one user: this user's rows read fresh, and the item model of a recent full load.

    The world holds only this user's interactions (their new like counts at once); the
    others' count through the cached item model, which their likes of the last minutes
    do not change much.
    """
    loaded = _cache.get("world")
    if loaded is None or time.monotonic() - loaded.at > CACHE_SECONDS:
        loaded = _cache["world"] = _load_items(settings.EXPLORE_MAX_CANDIDATES)
    if loaded.model is None:
        loaded.model = ItemModel(loaded.world)
    mine = _interactions(loaded.min_id, loaded.items, user_id=user_id)
    interactions = dict(zip(("act_users", "act_items", "act_weights", "act_times", "act_endorses"), mine, strict=True))
    world = replace(loaded.world, now=time.time(), **interactions, **_user_rows(loaded, [user_id]))
    return world, loaded.model


def _load_items(max_candidates: int) -> _Loaded:
    """Candidates (the newest public notes), their tags, and every interaction with them."""
    notes = _rows(
        Note.objects.public()
        .order_by("-id")
        .values_list("id", "author_id", "created_at", "city", "author__followers_count")[:max_candidates]
    )
    note_col, author_col, created, cities, followers = _columns(notes, 5)
    note_ids, authors = _ids(note_col), _ids(author_col)
    items = _Index(note_ids)
    min_id = int(note_ids.min()) if len(note_ids) else 0
    tagged = _rows(TaggedNote.objects.filter(content_object_id__gte=min_id).values_list("content_object_id", "tag_id"))
    tagged_notes, tagged_tags = (_ids(c) for c in _columns(tagged, 2))
    tagged_items = items(tagged_notes)
    keep = tagged_items >= 0
    tag_ids = np.unique(tagged_tags[keep])
    tags = _Index(tag_ids)
    tag_names = dict(_rows(Tag.objects.filter(id__in=tag_ids.tolist()).values_list("id", "name")))
    note_tags = sp.csr_matrix(
        (np.ones(keep.sum(), dtype=np.float32), (tagged_items[keep], tags(tagged_tags[keep]))),
        shape=(len(note_ids), len(tag_ids)),
    )
    note_tags.data[:] = 1.0
    act = _interactions(min_id, items)
    world = World(
        now=time.time(),
        note_ids=note_ids,
        note_authors=authors,
        note_created=_epoch(created),
        author_followers=_ids(followers),
        note_tags=note_tags.tocsr(),
        tag_names=[tag_names.get(int(t), "") for t in tag_ids],
        note_cities=[c or "" for c in cities],
        act_users=act[0],
        act_items=act[1],
        act_weights=act[2],
        act_times=act[3],
        act_endorses=act[4],
        own_tags=(authors[tagged_items[keep]], tags(tagged_tags[keep])),
    )
    return _Loaded(world=world, items=items, tags=tags, min_id=min_id)


def _user_rows(loaded: _Loaded, users: list[int] | None) -> dict:
    """Follows, followed topics and "not interested" of `users` (None: everyone), as World fields.

    Tags that no candidate carries are left out: they could not change any score.
    """
    items, tags = loaded.items, loaded.tags
    hidden = _rows(_for_users(NotInterested.objects, users).values_list("user_id", "note_id", "note__author_id"))
    hidden_users, hidden_notes, hidden_authors = (_ids(c) for c in _columns(hidden, 3))
    hidden_tagged = dict(
        _group(
            _rows(
                TaggedNote.objects.filter(content_object_id__in=set(hidden_notes.tolist())).values_list(
                    "content_object_id", "tag_id"
                )
            )
        )
    )
    ht_users = _ids([u for u, n in zip(hidden_users, hidden_notes, strict=True) for _ in hidden_tagged.get(int(n), [])])
    ht_tags = tags([t for n in hidden_notes for t in hidden_tagged.get(int(n), [])])
    hidden_items = items(hidden_notes)
    topics = _rows(_for_users(TopicFollow.objects, users).values_list("user_id", "tag_id"))
    topic_users, topic_tags = (_ids(c) for c in _columns(topics, 2))
    topic_tags = tags(topic_tags)
    follows = _rows(_for_users(Follow.objects, users, field="follower_id").values_list("follower_id", "followee_id"))
    follow_from, follow_to = (_ids(c) for c in _columns(follows, 2))
    return {
        "follows": (follow_from, follow_to),
        "usernames": dict(_rows(User.objects.filter(id__in=set(follow_to.tolist())).values_list("id", "username"))),
        "topic_follows": (topic_users[topic_tags >= 0], topic_tags[topic_tags >= 0]),
        "hidden_items": (hidden_users[hidden_items >= 0], hidden_items[hidden_items >= 0]),
        "hidden_authors": (hidden_users, hidden_authors),
        "hidden_tags": (ht_users[ht_tags >= 0], ht_tags[ht_tags >= 0]),
    }


def _for_users(manager, users, *, field="user_id"):
    return manager.all() if users is None else manager.filter(**{f"{field}__in": users})


def _group(pairs):
    grouped: dict[int, list[int]] = {}
    for key, value in pairs:
        grouped.setdefault(int(key), []).append(int(value))
    return grouped.items()


# (model, user column, time column, kind, endorses: counts as "liked" for followers, extra filters)
_SOURCES: list[tuple[type[Like] | type[Save] | type[Comment] | type[NoteView], str, str, str, bool, dict[str, Any]]] = [
    (Like, "user_id", "created_at", "like", True, {}),
    (Save, "user_id", "created_at", "save", True, {}),
    (Comment, "author_id", "created_at", "comment", False, {"is_removed": False}),
    (NoteView, "viewer_id", "day", "view", False, {"viewer__isnull": False}),
]


def _interactions(min_id: int, items: _Index, *, user_id: int | None = None):
    """(users, items, weights, times, endorses) of likes, saves, comments and recent views of candidates."""
    since = timezone.now().date() - timedelta(days=VIEW_WINDOW_DAYS)
    parts = []
    for model, user_field, time_field, kind, endorses, extra in _SOURCES:
        lookups: dict[str, Any] = {"note_id__gte": min_id, **extra}
        if kind == "view":
            lookups["day__gte"] = since
        if user_id is not None:
            lookups[user_field] = user_id
        rows = _rows(model.objects.filter(**lookups).values_list(user_field, "note_id", time_field))
        user_col, note_col, time_col = _columns(rows, 3)
        item_col = items(note_col)
        keep = item_col >= 0
        n = int(keep.sum())
        parts.append(
            (
                _ids(user_col)[keep],
                item_col[keep],
                np.full(n, WEIGHTS[kind], dtype=np.float32),
                _epoch(time_col)[keep],
                np.full(n, endorses, dtype=bool),
            )
        )
    return tuple(np.concatenate([part[k] for part in parts]) for k in range(5))


def world_of_users(world: World, user_ids) -> World:
    """`world` with only the per-user rows of `user_ids`: what a batch of a distributed run ranks.

    The items, and the item model built from everyone's interactions, stay as they are;
    a Ranker over this world builds the matrices of these users only (as `world_for_user`
    does for one), so a batch costs its users, not the whole population.
    """
    users = np.asarray(sorted(user_ids), dtype=np.int64)

    def mine(values) -> np.ndarray:
        return np.isin(values, users)

    def pairs(pair: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        keep = mine(pair[0])
        return pair[0][keep], pair[1][keep]

    acted = mine(world.act_users)
    return replace(
        world,
        act_users=world.act_users[acted],
        act_items=world.act_items[acted],
        act_weights=world.act_weights[acted],
        act_times=world.act_times[acted],
        act_endorses=world.act_endorses[acted],
        follows=pairs(world.follows),
        topic_follows=pairs(world.topic_follows),
        own_tags=pairs(world.own_tags),
        hidden_items=pairs(world.hidden_items),
        hidden_authors=pairs(world.hidden_authors),
        hidden_tags=pairs(world.hidden_tags),
    )
