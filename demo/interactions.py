"""Likes, saves, comments and views, heavy-tailed and true to each user's planted interests.

A like is drawn as: a topic from the user's interests (or, now and then, any topic),
then a note of that topic weighted by its appeal. Saves and comments are subsets of
likes; every like was a view. So Explore can be evaluated against the plant: a
user's held-out latest likes lie mostly in their 1-3 topics.
"""

import numpy as np

from demo import text, vocab
from demo.bulk import Timer, insert, next_id, sync_sequence
from demo.world import OVERSAMPLE, SECOND, World, heavy_tailed_counts, pick_rows, trim, unique_pairs, weighted_pick
from posts.models import Collection, Comment, Like, NoteView, Save
from posts.services import DEFAULT_COLLECTION_NAME

ON_INTEREST = 0.85
SAVE_SHARE = 0.2  # of likes
COMMENT_SHARE = 0.08  # of likes
REPLY_SHARE = 0.3  # of comments after a note's first
EXTRA_VIEW_SHARE = 0.3  # views without a like, per like
BOARD_SHARE = 0.2  # savers who also keep a named board
BOARD_NAMES_ZH = ("灵感", "想买", "必去清单", "收藏夹")
BOARD_NAMES_EN = ("Ideas", "Wishlist", "To visit", "Favourites")


def seed_likes(world: World, total: int) -> None:
    rng = world.rng("likes")
    if world.n_notes == 0 or total <= 0:
        return
    with Timer(world.log, "likes") as timer:
        user, note, when = _engagements(world, rng, total)
        world.likes = (note, user, when)
        first = next_id(Like)
        timer.rows = insert(
            Like,
            {
                "id": np.arange(first, first + len(user)),
                "user_id": world.user_ids[user],
                "note_id": world.note_ids[note],
                "created_at": when,
            },
            log=world.log,
            desc="likes",
        )
        sync_sequence(Like)


def _engagements(world: World, rng, total: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(user, note, time) triples, unique per (user, note), never on one's own note, never before the note."""
    mean = OVERSAMPLE * total / world.n_users
    per_user = heavy_tailed_counts(rng, world.n_users, mean, sigma=1.1, cap=min(world.n_notes, 5000))
    user = np.repeat(np.arange(world.n_users), per_user)
    topic = pick_rows(rng, world.interests, user)
    off_interest = rng.random(len(user)) >= ON_INTEREST
    topic[off_interest] = rng.integers(0, len(vocab.TOPICS), int(off_interest.sum()))
    note = _notes_of_topics(world, rng, topic)
    created = world.note_created[note]
    last = world.last_active[user]
    keep = (last > created) & (world.note_author[note] != user)
    user, note, created, last = user[keep], note[keep], created[keep], last[keep]
    # Engagement comes soon after posting, with a long tail up to the user's last visit.
    span = (last - created).astype(np.int64)
    when = created + (span * rng.random(len(span)) ** 3).astype(np.int64) * SECOND
    return trim(rng, unique_pairs(user, note, when), total)


def _notes_of_topics(world: World, rng, topic: np.ndarray) -> np.ndarray:
    note = np.zeros(len(topic), np.int64)
    for t in np.unique(topic):
        in_topic = np.flatnonzero(world.note_topic == t)
        wanted = np.flatnonzero(topic == t)
        if len(in_topic) == 0:  # a tiny world without notes on this topic: any note
            note[wanted] = rng.integers(0, world.n_notes, len(wanted))
            continue
        note[wanted] = in_topic[weighted_pick(rng, world.note_appeal[in_topic], len(wanted))]
    return note


def seed_saves(world: World) -> None:
    if world.likes is None:
        return
    rng = world.rng("saves")
    note, user, when = world.likes
    chosen = rng.random(len(user)) < SAVE_SHARE
    note, user, when = note[chosen], user[chosen], when[chosen] + 5 * SECOND
    with Timer(world.log, "saves") as timer:
        savers = np.unique(user)
        default_ids, board_ids = _collections(world, rng, savers)
        slot = np.searchsorted(savers, user)
        on_board = (board_ids[slot] > 0) & (rng.random(len(user)) < 0.5)
        first = next_id(Save)
        timer.rows = insert(
            Save,
            {
                "id": np.arange(first, first + len(user)),
                "user_id": world.user_ids[user],
                "note_id": world.note_ids[note],
                "collection_id": np.where(on_board, board_ids[slot], default_ids[slot]),
                "created_at": when,
            },
            log=world.log,
            desc="saves",
        )
        sync_sequence(Save)


def _collections(world: World, rng, savers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every saver's default "Saved" board, and a named board for some; returns ids per saver (0: none)."""
    has_board = rng.random(len(savers)) < BOARD_SHARE
    boards = savers[has_board]
    first = next_id(Collection)
    default_ids = np.arange(first, first + len(savers), dtype=np.int64)
    board_ids = np.zeros(len(savers), np.int64)
    board_ids[has_board] = np.arange(first + len(savers), first + len(savers) + len(boards))
    draws = rng.integers(0, len(BOARD_NAMES_ZH), len(boards))
    board_names = [
        (BOARD_NAMES_ZH if zh else BOARD_NAMES_EN)[d]
        for zh, d in zip(world.speaks_zh[boards].tolist(), draws.tolist(), strict=True)
    ]
    owners = np.concatenate([savers, boards])
    insert(
        Collection,
        {
            "id": np.arange(first, first + len(owners)),
            "owner_id": world.user_ids[owners],
            "name": [str(DEFAULT_COLLECTION_NAME)] * len(savers) + board_names,
            "is_private": np.concatenate([np.zeros(len(savers), bool), rng.random(len(boards)) < 0.2]),
            "is_default": np.arange(len(owners)) < len(savers),
            "created_at": world.last_active[owners] - 30 * 86400 * SECOND,
        },
        log=world.log,
        desc="collections",
    )
    sync_sequence(Collection)
    return default_ids, board_ids


def seed_comments(world: World) -> None:
    """Some likers also comment; later comments on a note often reply to its first one."""
    if world.likes is None:
        return
    rng = world.rng("comments")
    note, user, when = world.likes
    chosen = rng.random(len(user)) < COMMENT_SHARE
    note, user, when = note[chosen], user[chosen], when[chosen] + 60 * SECOND
    order = np.lexsort((when, note))
    note, user, when = note[order], user[order], when[order]
    with Timer(world.log, "comments") as timer:
        first = next_id(Comment)
        ids = np.arange(first, first + len(note), dtype=np.int64)
        first_of_note = np.searchsorted(note, note, side="left")  # index of the note's first comment
        is_reply = (first_of_note != np.arange(len(note))) & (rng.random(len(note)) < REPLY_SHARE)
        draws = rng.integers(0, 1_000_000, len(note)).tolist()
        bodies = [text.comment(zh, d) for zh, d in zip(world.speaks_zh[user].tolist(), draws, strict=True)]
        timer.rows = insert(
            Comment,
            {
                "id": ids,
                "note_id": world.note_ids[note],
                "author_id": world.user_ids[user],
                "parent_id": np.where(is_reply, ids[first_of_note], None),
                "body": bodies,
                "is_removed": np.zeros(len(note), bool),
                "created_at": when,
            },
            log=world.log,
            desc="comments",
        )
        sync_sequence(Comment)


def seed_views(world: World) -> None:
    """Every like was a view that day; some more views that did not end in a like."""
    if world.likes is None:
        return
    rng = world.rng("views")
    note, user, when = world.likes
    extra = rng.random(len(user)) < EXTRA_VIEW_SHARE
    other = _notes_of_topics(world, rng, world.note_topic[note[extra]])
    note = np.concatenate([note, other])
    user = np.concatenate([user, user[extra]])
    when = np.concatenate([when, when[extra] - 3600 * SECOND])
    day = when.astype("datetime64[D]")
    day_number = day.astype(np.int64)
    with Timer(world.log, "views") as timer:
        key = (note.astype(np.int64) * world.n_users + user) * 100_000 + (day_number - day_number.min())
        _, first_seen = np.unique(key, return_index=True)
        note, user, day = note[first_seen], user[first_seen], day[first_seen]
        first = next_id(NoteView)
        timer.rows = insert(
            NoteView,
            {
                "id": np.arange(first, first + len(note)),
                "note_id": world.note_ids[note],
                "viewer_id": world.user_ids[user],
                "viewer_key": np.char.add("u:", world.user_ids[user].astype(str)),
                "day": day,
            },
            log=world.log,
            desc="views",
        )
        sync_sequence(NoteView)
