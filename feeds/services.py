"""Feed writes: "not interested", muted keywords, topic follows, activity, and Explore ranking runs."""

import logging
import time
from collections.abc import Callable, Iterable

import numpy as np
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from accounts.models import User
from feeds import runs, tasks
from feeds.models import KEYWORD_MAX_LENGTH, Channel, MutedKeyword, NotInterested, TopicFollow
from feeds.ranking import ItemModel, Ranker, World, trending
from feeds.store import RankedList, get_store, trending_key, unique_scores, user_key
from feeds.world import load_world, world_for_user
from outbox.services import enqueue_on_commit
from posts.models import Note
from redbook import numbers
from redbook.exceptions import Invalid, NotFound
from redbook.redis import get_ranking_redis, get_redis

logger = logging.getLogger(__name__)

ACTIVE_MARK_SECONDS = 5 * 60  # last_active_at is written at most this often per user
MAX_MUTED_KEYWORDS = 100
# While this key exists a refresh for the user is queued and has not started yet:
# further events fold into it (the task deletes the key before reading the data).
DEBOUNCE_KEY = "explore:debounce:{user_id}"
DEBOUNCE_SECONDS = 120  # bounds the key's life if a worker dies holding it


# --- Activity ----------------------------------------------------------------------


def user_mark_active(*, user: User) -> None:
    """Record that `user` is active, writing the row at most once per few minutes."""
    if user.last_active_at and (timezone.now() - user.last_active_at).total_seconds() < ACTIVE_MARK_SECONDS:
        return  # the row this request loaded is fresh: no Redis round trip for most requests
    if cache.add(f"feeds:active:{user.pk}", 1, ACTIVE_MARK_SECONDS):
        User.objects.filter(pk=user.pk).update(last_active_at=timezone.now())


def active_user_ids() -> list[int]:
    since = timezone.now() - settings.EXPLORE_ACTIVE_WINDOW
    return list(
        User.objects.active()
        .filter(last_active_at__gte=since, personalization_enabled=True)
        .order_by("id")
        .values_list("id", flat=True)
    )


# --- Refresh requests --------------------------------------------------------------


def explore_refresh_request(*, user_id: int) -> None:
    """Refresh `user_id`'s Explore list soon (after commit), folding bursts into one run."""
    client = get_redis()
    try:
        if client is not None and not client.set(DEBOUNCE_KEY.format(user_id=user_id), 1, nx=True, ex=DEBOUNCE_SECONDS):
            return
    except redis.RedisError:  # Redis away: skip the debounce, never fail the like or follow
        pass
    enqueue_on_commit(tasks.rank_user, user_id=user_id)


def explore_refresh_started(*, user_id: int) -> None:
    client = get_redis()
    try:
        if client is not None:
            client.delete(DEBOUNCE_KEY.format(user_id=user_id))
    except redis.RedisError:  # the key expires by itself
        logger.warning("explore debounce key not cleared for user %s", user_id)


# --- Not interested, muted keywords, topics -----------------------------------------


def not_interested_create(*, user: User, note_id) -> None:
    """Hide a note for `user` and demote its author and tags in their Explore (idempotent)."""
    note = Note.objects.visible_to(user).filter(pk=_as_id(note_id)).first()
    if note is None:
        raise NotFound(_("Note not found."))
    with transaction.atomic():
        NotInterested.objects.get_or_create(user=user, note=note)
        explore_refresh_request(user_id=user.pk)


def muted_keyword_add(*, user: User, keyword: str) -> tuple[MutedKeyword, bool]:
    keyword = " ".join(str(keyword or "").split()).lower()
    if not keyword:
        raise Invalid(_("Enter a keyword."), code="required")
    if len(keyword) > KEYWORD_MAX_LENGTH:
        raise Invalid(_("Keep a keyword under %(n)d characters.") % {"n": KEYWORD_MAX_LENGTH}, code="too_long")
    existing = MutedKeyword.objects.filter(user=user, keyword=keyword).first()
    if existing:
        return existing, False
    if MutedKeyword.objects.filter(user=user).count() >= MAX_MUTED_KEYWORDS:
        raise Invalid(_("You can mute at most %(n)d keywords.") % {"n": MAX_MUTED_KEYWORDS}, code="too_many")
    try:
        with transaction.atomic():
            return MutedKeyword.objects.create(user=user, keyword=keyword), True
    except IntegrityError:  # a concurrent add of the same keyword won
        return MutedKeyword.objects.get(user=user, keyword=keyword), False


def muted_keyword_remove(*, user: User, keyword_id) -> None:
    deleted, _by_model = MutedKeyword.objects.filter(user=user, pk=_as_id(keyword_id)).delete()
    if not deleted:
        raise NotFound(_("Keyword not found."))


def topic_follow_create(*, user: User, tag_name: str) -> bool:
    """Follow a hashtag (idempotent): it counts as interest in Explore. Returns whether it is new."""
    tag = _tag(tag_name)
    with transaction.atomic():
        _follow, created = TopicFollow.objects.get_or_create(user=user, tag=tag)
        if created:
            explore_refresh_request(user_id=user.pk)
    return created


def topic_follow_delete(*, user: User, tag_name: str) -> bool:
    tag = _tag(tag_name)
    with transaction.atomic():
        deleted, _by_model = TopicFollow.objects.filter(user=user, tag=tag).delete()
        if deleted:
            explore_refresh_request(user_id=user.pk)
    return bool(deleted)


def _tag(name: str) -> Tag:
    tag = Tag.objects.filter(name__iexact=str(name).strip().lstrip("#")).first()
    if tag is None:
        raise NotFound(_("Tag not found."))
    return tag


def _as_id(value) -> int:
    pk = numbers.parse_id(value)
    if pk is None:
        raise Invalid(_("Give a numeric id."), code="invalid_id")
    return pk


def personalization_set(*, user: User, enabled: bool) -> None:
    """Turn personalized Explore on or off; off drops the user's list at once (they see trending)."""
    User.objects.filter(pk=user.pk).update(personalization_enabled=enabled)
    user.personalization_enabled = enabled
    if enabled:
        explore_refresh_request(user_id=user.pk)
    else:
        get_store().replace_many([RankedList(user_key(user.pk), [])])


# --- Ranking runs ------------------------------------------------------------------


def explore_rank(
    *,
    user_ids: list[int] | None = None,
    recent_world: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Recompute Explore lists for `user_ids` (default: every active user) and the trending lists.

    `recent_world` (one user, after their own action): reuse the worker's load and item
    model of the last few minutes and read only that user's rows fresh, instead of
    loading and modelling it all.

    Loads the world once (bulk queries), scores users in numpy batches, and replaces
    each batch's lists in the store atomically. Users without any signal, or with
    personalization off, lose their list and see trending. Returns logged figures.
    """
    started = time.monotonic()
    everyone = user_ids is None
    user_ids = active_user_ids() if user_ids is None else _personalized(user_ids)
    if recent_world and len(user_ids) == 1:
        world, items = world_for_user(user_ids[0])
    else:
        world, items = load_world(users=None if everyone else user_ids), None
    loaded = time.monotonic()
    ranker = Ranker(world, users=np.asarray(user_ids, dtype=np.int64), items=items)
    if everyone:
        get_store().replace_many(trending_lists(world, ranker.items))
    written = rank_into_store(ranker, user_ids, progress=progress)
    figures = {
        "users": len(user_ids),
        "lists": written,
        "candidates": world.n_items,
        "interactions": len(world.act_users),
        "load_s": round(loaded - started, 2),
        "rank_s": round(time.monotonic() - loaded, 2),
    }
    logger.info("explore ranking: %s", figures)
    return figures


def explore_rank_all_once() -> dict | None:
    """`explore_rank()` for everyone, unless a run is still going (a big world can outlast the beat period).

    With Redis the run is spread over the ranking workers (feeds/runs.py); the embedded
    default has one worker and ranks in this task.
    """
    if get_ranking_redis() is not None:
        return runs.run_start()
    return explore_rank()


def rank_into_store(ranker: Ranker, user_ids: list[int], *, progress: Callable[[int, int], None] | None = None) -> int:
    """Rank `user_ids` in numpy batches and replace each batch's lists; returns the lists written.

    Users without any signal lose their list (they see trending).
    """
    store = get_store()
    size, batch = settings.EXPLORE_LIST_SIZE, settings.EXPLORE_BATCH_SIZE
    written = 0
    for start in range(0, len(user_ids), batch):
        chunk = user_ids[start : start + batch]
        lists = ranker.rank(chunk, size=size)
        store.replace_many(ranked_list(user_key(uid), lists.get(uid, [])) for uid in chunk)
        written += len(lists)
        if progress:
            progress(min(start + batch, len(user_ids)), len(user_ids))
    return written


def _personalized(user_ids: Iterable[int]) -> list[int]:
    """Of `user_ids`, those who want personalization; the others' lists are removed now."""
    wanted = set(User.objects.filter(pk__in=list(user_ids), personalization_enabled=True).values_list("id", flat=True))
    dropped = [uid for uid in user_ids if uid not in wanted]
    get_store().replace_many(RankedList(user_key(uid), []) for uid in dropped)
    return sorted(wanted)


def ranked_list(key: str, items: list[tuple[int, float, str]]) -> RankedList:
    scores = unique_scores(score for _, score, _ in items)
    return RankedList(key, [(note_id, s, reason) for (note_id, _, reason), s in zip(items, scores, strict=True)])


def trending_lists(world: World, model: ItemModel) -> list[RankedList]:
    """The global trending list plus one per channel (its notes carry one of the channel's tags)."""
    lists = [ranked_list(trending_key(), trending(world, model))]
    tag_index = {name.lower(): i for i, name in enumerate(world.tag_names)}
    for channel in Channel.objects.filter(is_active=True).prefetch_related("tags"):
        columns = [tag_index[t.name.lower()] for t in channel.tags.all() if t.name.lower() in tag_index]
        if not channel.tags.all():
            continue  # "recommended": the global list
        mask = np.asarray(world.note_tags[:, columns].sum(axis=1)).ravel() > 0 if columns else None
        items = trending(world, model, item_mask=mask) if mask is not None else []
        lists.append(ranked_list(trending_key(channel.slug), items))
    return lists
