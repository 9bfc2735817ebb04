"""What people search for: trending queries, queries suggested to others, and each
signed-in user's recent searches.

Privacy first. A query reaches anyone else (trending, suggestions) only once at least
SEARCH_PUBLIC_QUERY_ACCOUNTS distinct signed-in accounts searched it, so no one
person's history is shown to another; anonymous searches count for nothing (30 of
them cannot push a phrase into trending), trending counts only accounts at least
SEARCH_TRENDING_MIN_ACCOUNT_DAYS old (a burst of fresh sign-ups counts for nothing),
and spam keywords (moderation) and queries staff banned (BannedQuery) never show.
A user's recent searches are theirs alone, and they can clear them.

With Redis, a search costs one pipelined round trip: a script counts an account once
per query per day in today's trending sorted set, and the (account, query) pair waits
in a hash that the beat task `search.flush_query_counts` folds into QueryAccount /
QueryReach (the distinct accounts suggestions read) and QueryCount. Recent searches are
a short Redis list per user. Without Redis (embedded default) all of it is written to
the database directly. Redis failing costs a few counts, never the search.
"""

import logging
import unicodedata
from datetime import date, timedelta

import redis
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from moderation.models import SpamKeyword
from redbook.redis import get_redis
from search.models import BannedQuery, QueryAccount, QueryCount, QueryReach, RecentSearch

logger = logging.getLogger(__name__)

QUERY_MAX_LENGTH = 100  # longer queries are searched, but logged truncated
RECENT_LIMIT = 10
TRENDING_LIMIT = 10
DAY_TTL = 3 * 24 * 3600
RECENT_TTL = 90 * 24 * 3600
PENDING_KEY = "search:pending"  # "day|query" -> new trending accounts, for QueryCount
PENDING_ACCOUNTS_KEY = "search:pending-accounts"  # "user_id|query" -> day, for QueryAccount


def normalize(query: str) -> str:
    return " ".join(query.lower().split())[:QUERY_MAX_LENGTH]


def _folded(text: str) -> str:
    """As moderation folds text for spam keywords (width, case, spacing)."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _day_key(day: date) -> str:
    return f"search:trending:{day.isoformat()}"  # distinct accounts (":day:" counted searches)


def _seen_key(day: date) -> str:
    return f"search:seen:{day.isoformat()}"


def _recent_key(user_id: int) -> str:
    return f"search:recent:{user_id}"


def counts_for_trending(user) -> bool:
    """Whether this account's searches count in trending: signed in, in good standing, not new."""
    if not (user and user.is_authenticated) or user.is_suspended:
        return False
    return user.date_joined <= timezone.now() - timedelta(days=settings.SEARCH_TRENDING_MIN_ACCOUNT_DAYS)


# Counts the account once per query per day in trending (and in the pending counts
# for QueryCount), and leaves the (account, query) pair for the flush.
# KEYS: seen set, day's sorted set, pending counts, pending accounts.
# ARGV: "user_id|query", query, "day|query", day, ttl, "1" if it counts for trending.
_LOG_SCRIPT = """
if ARGV[6] == '1' and redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[5])
  redis.call('ZINCRBY', KEYS[2], 1, ARGV[2])
  redis.call('EXPIRE', KEYS[2], ARGV[5])
  redis.call('HINCRBY', KEYS[3], ARGV[3], 1)
end
redis.call('HSET', KEYS[4], ARGV[1], ARGV[4])
"""


def _count_in_db(*, day: date, query: str, n: int) -> None:
    updated = QueryCount.objects.filter(day=day, query=query).update(count=F("count") + n)
    if updated:
        return
    try:
        with transaction.atomic():
            QueryCount.objects.create(day=day, query=query, count=n)
    except IntegrityError:  # another request created it first
        QueryCount.objects.filter(day=day, query=query).update(count=F("count") + n)


def _account_searched(*, user_id: int, query: str, day: date) -> bool:
    """Record that this account searched `query` on `day`; True if it had not that day.

    A first search by the account adds one to the query's QueryReach.
    """
    with transaction.atomic():
        row, created = QueryAccount.objects.select_for_update().get_or_create(
            query=query, user_id=user_id, defaults={"day": day}
        )
        if created:
            QueryReach.objects.get_or_create(query=query)
            QueryReach.objects.filter(query=query).update(accounts=F("accounts") + 1)
            return True
        if row.day < day:
            QueryAccount.objects.filter(pk=row.pk).update(day=day)
            return True
    return False


def _remember_in_db(*, user_id: int, query: str) -> None:
    searched = RecentSearch(user_id=user_id, query=query, searched_at=timezone.now())
    RecentSearch.objects.bulk_create(
        [searched], update_conflicts=True, unique_fields=["user", "query"], update_fields=["searched_at"]
    )
    stale = RecentSearch.objects.filter(user_id=user_id).order_by("-searched_at").values("pk")[RECENT_LIMIT:]
    RecentSearch.objects.filter(pk__in=list(stale)).delete()


def search_log(*, user, query: str) -> None:
    """Count one search of `query` today by `user` (anonymous: nothing), and remember it for them."""
    query = normalize(query)
    if not query or not (user and user.is_authenticated):
        return
    day = timezone.localdate()
    trending = counts_for_trending(user)
    client = get_redis()
    if client is None:
        if _account_searched(user_id=user.pk, query=query, day=day) and trending:
            _count_in_db(day=day, query=query, n=1)
        _remember_in_db(user_id=user.pk, query=query)
        return
    pipe = client.pipeline(transaction=False)
    keys = [_seen_key(day), _day_key(day), PENDING_KEY, PENDING_ACCOUNTS_KEY]
    member = f"{user.pk}|{query}"
    args = [member, query, f"{day.isoformat()}|{query}", day.isoformat(), DAY_TTL, "1" if trending else "0"]
    pipe.eval(_LOG_SCRIPT, len(keys), *keys, *args)  # EVAL, not EVALSHA: no round trip to load it
    key = _recent_key(user.pk)
    pipe.lrem(key, 0, query).lpush(key, query).ltrim(key, 0, RECENT_LIMIT - 1).expire(key, RECENT_TTL)
    try:
        pipe.execute()
    except redis.RedisError as exc:
        logger.warning("search log skipped, Redis unavailable: %s", exc)


def _take_hash(client, key: str) -> dict:
    """The hash's fields, removed from Redis: renamed first, so new writes start a new hash."""
    batch_key = f"{key}:{timezone.now().timestamp()}"
    try:
        client.rename(key, batch_key)
    except redis.ResponseError:  # no such key: nothing searched since the last flush
        return {}
    pending = client.hgetall(batch_key)
    client.delete(batch_key)
    return {field.decode(): value.decode() for field, value in pending.items()}


def flush_counts() -> int:
    """Fold the pending Redis counts and accounts into the database; returns how many rows moved."""
    client = get_redis()
    if client is None:
        return 0
    counts = _take_hash(client, PENDING_KEY)
    for field, n in counts.items():
        day, _, query = field.partition("|")
        _count_in_db(day=date.fromisoformat(day), query=query, n=int(n))
    accounts = _take_hash(client, PENDING_ACCOUNTS_KEY)
    for field, day in accounts.items():
        user_id, _, query = field.partition("|")
        _account_searched(user_id=int(user_id), query=query, day=date.fromisoformat(day))
    return len(counts) + len(accounts)


def recent(*, user_id: int) -> list[str]:
    client = get_redis()
    if client is None:
        rows = RecentSearch.objects.filter(user_id=user_id).order_by("-searched_at")
        return list(rows.values_list("query", flat=True)[:RECENT_LIMIT])
    try:
        return [value.decode() for value in client.lrange(_recent_key(user_id), 0, RECENT_LIMIT - 1)]
    except redis.RedisError:
        return []


def recent_clear(*, user_id: int, query: str = "") -> None:
    """Forget one of the user's recent searches (`query`), or all of them."""
    query = normalize(query)
    client = get_redis()
    if client is None:
        rows = RecentSearch.objects.filter(user_id=user_id)
        (rows.filter(query=query) if query else rows).delete()
        return
    if query:
        client.lrem(_recent_key(user_id), 0, query)
    else:
        client.delete(_recent_key(user_id))


def _shown_to_others(queries: list[str]) -> list[str]:
    """`queries` minus those staff banned and those holding a spam keyword (order kept)."""
    if not queries:
        return []
    banned = set(BannedQuery.objects.filter(query__in=queries).values_list("query", flat=True))
    spam = [_folded(phrase) for phrase in SpamKeyword.objects.filter(is_active=True).values_list("phrase", flat=True)]
    spam = [phrase for phrase in spam if phrase]
    return [q for q in queries if q not in banned and not any(phrase in _folded(q) for phrase in spam)]


TRENDING_READ = 5 * TRENDING_LIMIT  # read past the limit: some may be banned or spam


def trending(*, limit: int = TRENDING_LIMIT) -> list[str]:
    """Today's queries searched by the most distinct accounts (at least the public minimum)."""
    day = timezone.localdate()
    least = settings.SEARCH_PUBLIC_QUERY_ACCOUNTS
    client = get_redis()
    if client is None:
        rows = QueryCount.objects.filter(day=day, count__gte=least).order_by("-count", "query")
        queries = list(rows.values_list("query", flat=True)[:TRENDING_READ])
    else:
        try:
            rows = client.zrevrangebyscore(_day_key(day), "+inf", least, start=0, num=TRENDING_READ)
        except redis.RedisError:
            return []
        queries = [value.decode() for value in rows]
    return _shown_to_others(queries)[:limit]


def popular_completions(*, prefix: str, limit: int) -> list[str]:
    """Queries starting with `prefix` that enough distinct accounts searched, most searched first."""
    rows = QueryReach.objects.filter(
        query__startswith=normalize(prefix), accounts__gte=settings.SEARCH_PUBLIC_QUERY_ACCOUNTS
    ).order_by("-accounts", "query")
    return _shown_to_others(list(rows.values_list("query", flat=True)[: 2 * limit]))[:limit]


def queries_ban(*, queries, moderator) -> int:
    """Keep these queries out of trending and suggestions for good; returns how many are new bans."""
    normalized = {normalize(query) for query in queries} - {""}
    with transaction.atomic():
        existing = set(BannedQuery.objects.filter(query__in=normalized).values_list("query", flat=True))
        BannedQuery.objects.bulk_create(
            [BannedQuery(query=query, created_by=moderator) for query in sorted(normalized - existing)],
            ignore_conflicts=True,
        )
    return len(normalized - existing)
