"""Where precomputed Explore lists live: Redis sorted sets, or a table without Redis.

A list is a ranking of note ids by score with a reason code per note. Lists are read
by score keyset (`below` = the last score the reader has seen), so a page boundary
stays exact inside one list and degrades gracefully when the list is replaced
between two pages. Scores inside one list are unique (see `unique_scores`).

A refresh replaces a whole list atomically: readers see the old list or the new
one, never half of each, even if the writer dies midway.
"""

import math
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from feeds.models import RankedItem
from redbook.redis import get_ranking_redis

KEY_PREFIX = "explore:"
# Lists of users who stop coming back expire by themselves (Mastodon keeps a week).
LIST_TTL_SECONDS = 8 * 24 * 3600


@dataclass(frozen=True)
class RankedList:
    key: str
    items: list[tuple[int, float, str]]  # (note_id, score, reason code), best first


def user_key(user_id: int) -> str:
    return f"u:{user_id}"


def trending_key(channel_slug: str | None = None) -> str:
    return f"trending:{channel_slug}" if channel_slug else "trending"


def unique_scores(scores: Iterable[float]) -> list[float]:
    """Nudge ties (already sorted best first) down so every score is strictly lower than the one before."""
    result: list[float] = []
    for score in scores:
        if result and score >= result[-1]:
            score = math.nextafter(result[-1], -math.inf)
        result.append(score)
    return result


class RedisStore:
    """A sorted set `explore:<key>` of note ids plus a hash `explore:<key>:why` of reason codes."""

    def __init__(self, client):
        self.client = client

    def replace_many(self, lists: Iterable[RankedList]) -> None:
        # Write every list under a temporary name first (one pipeline, no transaction:
        # a crash here leaves only garbage keys that expire), then swap them in with
        # RENAMEs inside MULTI/EXEC, so each list flips from old to new at once.
        suffix = secrets.token_hex(4)
        swaps = []
        write = self.client.pipeline(transaction=False)
        for ranked in lists:
            key = KEY_PREFIX + ranked.key
            tmp = f"{key}:tmp:{suffix}"
            write.delete(tmp, tmp + ":why")
            if ranked.items:
                write.zadd(tmp, {note_id: score for note_id, score, _ in ranked.items})
                write.hset(tmp + ":why", mapping={note_id: reason for note_id, _, reason in ranked.items})
                write.expire(tmp, 600)
                write.expire(tmp + ":why", 600)
            swaps.append((key, tmp, bool(ranked.items)))
        write.execute()
        swap = self.client.pipeline(transaction=True)
        for key, tmp, has_items in swaps:
            if has_items:
                swap.rename(tmp, key)
                swap.rename(tmp + ":why", key + ":why")
                swap.expire(key, LIST_TTL_SECONDS)
                swap.expire(key + ":why", LIST_TTL_SECONDS)
            else:
                swap.delete(key, key + ":why")
        swap.execute()

    def page(self, key: str, *, below: float | None, limit: int) -> list[tuple[int, float, str]]:
        key = KEY_PREFIX + key
        upper = "+inf" if below is None else f"({below!r}"
        rows = self.client.zrevrangebyscore(key, upper, "-inf", start=0, num=limit, withscores=True)
        if not rows:
            return []
        reasons = self.client.hmget(key + ":why", [member for member, _ in rows])
        return [
            (int(member), score, (reason or b"").decode())
            for (member, score), reason in zip(rows, reasons, strict=True)
        ]

    def existing(self, keys: list[str]) -> set[str]:
        """Which of these lists exist, in one round trip."""
        pipe = self.client.pipeline(transaction=False)
        for key in keys:
            pipe.exists(KEY_PREFIX + key)
        return {key for key, found in zip(keys, pipe.execute(), strict=True) if found}

    def note_ids(self, key: str) -> set[int]:
        return {int(member) for member in self.client.zrange(KEY_PREFIX + key, 0, -1)}


class DatabaseStore:
    """The same lists as rows of `RankedItem`, replaced in one transaction."""

    def replace_many(self, lists: Iterable[RankedList]) -> None:
        for ranked in lists:
            with transaction.atomic():
                RankedItem.objects.filter(list_key=ranked.key).delete()
                RankedItem.objects.bulk_create(
                    [
                        RankedItem(list_key=ranked.key, note_id=note_id, score=score, reason=reason[:120])
                        for note_id, score, reason in ranked.items
                    ],
                    batch_size=1000,
                )

    def page(self, key: str, *, below: float | None, limit: int) -> list[tuple[int, float, str]]:
        rows = RankedItem.objects.filter(list_key=key)
        if below is not None:
            rows = rows.filter(score__lt=below)
        return list(rows.order_by("-score").values_list("note_id", "score", "reason")[:limit])

    def existing(self, keys: list[str]) -> set[str]:
        return set(RankedItem.objects.filter(list_key__in=keys).values_list("list_key", flat=True).distinct())

    def note_ids(self, key: str) -> set[int]:
        return set(RankedItem.objects.filter(list_key=key).values_list("note_id", flat=True))


def get_store() -> RedisStore | DatabaseStore:
    client = get_ranking_redis() if settings.RANKING_REDIS_URL else None
    return RedisStore(client) if client is not None else DatabaseStore()
