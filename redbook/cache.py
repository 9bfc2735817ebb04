"""The Django cache on Redis, failing open: with Redis down a read is a miss and a
write is a no-op, so pages and the API keep answering (slower) instead of 500ing.

Why open: everything kept in this cache can be recomputed from the database, so
losing it for the length of an outage costs speed, not correctness. The abuse limits
do not count in this cache when Redis is configured: `redbook/throttling.py` counts on
Redis directly and each scope says there whether it fails open or closed (sign-up and
password guessing fail closed).

Only connection-level errors are swallowed; anything else is a bug and still raises.
"""

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import transaction
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
_WARN_EVERY_SECONDS = 10.0  # one line per outage burst per process, not one per request
_last_warning_at = 0.0


def _warn_unavailable(operation: str, exc: Exception) -> None:
    global _last_warning_at
    now = time.monotonic()
    if now - _last_warning_at >= _WARN_EVERY_SECONDS:
        _last_warning_at = now
        logger.warning("cache unavailable, failing open (%s): %s", operation, exc)


def _fail_open(method, fallback):
    """Run the client `method`; if Redis cannot be reached return `fallback(*args)`."""

    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except REDIS_UNAVAILABLE as exc:
            _warn_unavailable(method.__name__, exc)
            return fallback(*args, **kwargs)

    return guarded


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


class FailOpenRedisCacheClient(RedisCacheClient):
    get = _fail_open(RedisCacheClient.get, lambda key, default: default)
    get_many = _fail_open(RedisCacheClient.get_many, lambda keys: {})
    has_key = _fail_open(RedisCacheClient.has_key, _false)
    add = _fail_open(RedisCacheClient.add, _false)
    set = _fail_open(RedisCacheClient.set, _nothing)
    set_many = _fail_open(RedisCacheClient.set_many, _nothing)
    touch = _fail_open(RedisCacheClient.touch, _false)
    delete = _fail_open(RedisCacheClient.delete, _false)
    delete_many = _fail_open(RedisCacheClient.delete_many, _nothing)
    clear = _fail_open(RedisCacheClient.clear, _false)
    # A counter that cannot be read counts as a first hit: any rate built on it lets
    # the request through (open), as documented above.
    incr = _fail_open(RedisCacheClient.incr, lambda key, delta: delta)

    def get_client(self, key=None, *, write=False):
        # Django builds a new redis.Redis around the pool on every operation (~60 us of CPU
        # each); a client is thread-safe, so one per pool serves every request.
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        if index not in clients:
            clients[index] = self._client(connection_pool=self._get_connection_pool(index))
        return clients[index]


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailOpenRedisCacheClient


def cached_many(ids: list, *, key: Callable[[Any], str], read: Callable[[list], dict], seconds: int) -> dict:
    """id -> value for those of `ids` that exist: from the cache, and the missing ones from
    `read(missing)` (one call, id -> value), which are then cached for `seconds` (0: the
    cache is not used). Read models of many rows per page use it (note cards, products)."""
    keys = {pk: key(pk) for pk in ids}
    found = {}
    if seconds:
        cached = cache.get_many(list(keys.values()))
        found = {pk: cached[keys[pk]] for pk in ids if keys[pk] in cached}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        read_now = read(missing)
        found.update(read_now)
        if seconds and read_now:
            cache.set_many({keys[pk]: value for pk, value in read_now.items()}, seconds)
    return found


def forget_many(keys: list[str], *, seconds: int) -> None:
    """Drop these keys of a `cached_many` read model (cached for `seconds`): now, and again
    once the transaction commits, as a reader between the two may have cached the rows as
    they were before the commit."""
    if keys and seconds:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))
