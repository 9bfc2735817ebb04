"""What people search for: per-day query counts (trending, popular completions) and
each signed-in user's recent searches.

With Redis, a search costs one pipelined round trip: today's counts live in a sorted
set (trending reads it directly) and increments wait in a hash that the beat task
`search.flush_query_counts` folds into QueryCount (popular completions read that
table through a prefix index). Recent searches are a short Redis list per user.
Without Redis (embedded default) both are written to the database directly.
Redis failing costs a few counts, never the search: errors are logged and skipped.
"""

import logging
from datetime import date, timedelta

import redis
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from redbook.redis import get_redis
from search.models import QueryCount, RecentSearch

logger = logging.getLogger(__name__)

QUERY_MAX_LENGTH = 100  # longer queries are searched, but logged truncated
RECENT_LIMIT = 10
TRENDING_LIMIT = 10
DAY_TTL = 3 * 24 * 3600
RECENT_TTL = 90 * 24 * 3600
PENDING_KEY = "search:pending"


def normalize(query: str) -> str:
    return " ".join(query.lower().split())[:QUERY_MAX_LENGTH]


def _day_key(day: date) -> str:
    return f"search:day:{day.isoformat()}"


def _recent_key(user_id: int) -> str:
    return f"search:recent:{user_id}"


def _count_in_db(*, day: date, query: str, n: int) -> None:
    updated = QueryCount.objects.filter(day=day, query=query).update(count=F("count") + n)
    if updated:
        return
    try:
        with transaction.atomic():
            QueryCount.objects.create(day=day, query=query, count=n)
    except IntegrityError:  # another request created it first
        QueryCount.objects.filter(day=day, query=query).update(count=F("count") + n)


def _remember_in_db(*, user_id: int, query: str) -> None:
    searched = RecentSearch(user_id=user_id, query=query, searched_at=timezone.now())
    RecentSearch.objects.bulk_create(
        [searched], update_conflicts=True, unique_fields=["user", "query"], update_fields=["searched_at"]
    )
    stale = RecentSearch.objects.filter(user_id=user_id).order_by("-searched_at").values("pk")[RECENT_LIMIT:]
    RecentSearch.objects.filter(pk__in=list(stale)).delete()


def search_log(*, user_id: int | None, query: str) -> None:
    """Count one search of `query` today, and remember it for the user."""
    query = normalize(query)
    if not query:
        return
    day = timezone.localdate()
    client = get_redis()
    if client is None:
        _count_in_db(day=day, query=query, n=1)
        if user_id:
            _remember_in_db(user_id=user_id, query=query)
        return
    pipe = client.pipeline(transaction=False)
    pipe.zincrby(_day_key(day), 1, query).expire(_day_key(day), DAY_TTL)
    pipe.hincrby(PENDING_KEY, f"{day.isoformat()}|{query}", 1)
    if user_id:
        key = _recent_key(user_id)
        pipe.lrem(key, 0, query).lpush(key, query).ltrim(key, 0, RECENT_LIMIT - 1).expire(key, RECENT_TTL)
    try:
        pipe.execute()
    except redis.RedisError as exc:
        logger.warning("search log skipped, Redis unavailable: %s", exc)


def flush_counts() -> int:
    """Fold the pending Redis increments into QueryCount; returns how many rows moved.

    The hash is renamed first, so increments arriving meanwhile start a new one.
    """
    client = get_redis()
    if client is None:
        return 0
    batch_key = f"{PENDING_KEY}:{timezone.now().timestamp()}"
    try:
        client.rename(PENDING_KEY, batch_key)
    except redis.ResponseError:  # no such key: nothing searched since the last flush
        return 0
    pending = client.hgetall(batch_key)
    for field, n in pending.items():
        day, _, query = field.decode().partition("|")
        _count_in_db(day=date.fromisoformat(day), query=query, n=int(n))
    client.delete(batch_key)
    return len(pending)


def recent(*, user_id: int) -> list[str]:
    client = get_redis()
    if client is None:
        rows = RecentSearch.objects.filter(user_id=user_id).order_by("-searched_at")
        return list(rows.values_list("query", flat=True)[:RECENT_LIMIT])
    try:
        return [value.decode() for value in client.lrange(_recent_key(user_id), 0, RECENT_LIMIT - 1)]
    except redis.RedisError:
        return []


def trending(*, limit: int = TRENDING_LIMIT) -> list[str]:
    """Today's most searched queries."""
    day = timezone.localdate()
    client = get_redis()
    if client is None:
        rows = QueryCount.objects.filter(day=day).order_by("-count", "query")
        return list(rows.values_list("query", flat=True)[:limit])
    try:
        return [value.decode() for value in client.zrevrange(_day_key(day), 0, limit - 1)]
    except redis.RedisError:
        return []


POPULAR_DAYS = 7
POPULAR_MIN_COUNT = 2  # a query typed once is not a suggestion


def popular_completions(*, prefix: str, limit: int) -> list[str]:
    """The most searched queries of the last week starting with `prefix` (indexed prefix scan)."""
    since = timezone.localdate() - timedelta(days=POPULAR_DAYS)
    rows = (
        QueryCount.objects.filter(day__gte=since, query__startswith=normalize(prefix))
        .values("query")
        .annotate(total=Sum("count"))
        .filter(total__gte=POPULAR_MIN_COUNT)
        .order_by("-total", "query")
    )
    return [row["query"] for row in rows[:limit]]
