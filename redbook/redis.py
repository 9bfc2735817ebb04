"""Redis clients, one factory per role (README "Redis roles"); None on the embedded default.

- `get_redis()`: the shared state on REDIS_URL: view and search buffers, debounce keys,
  and the rate limiter (which passes a short timeout of its own).
- `get_ranking_redis()`: the ranking store on RANKING_REDIS_URL: Explore lists and the
  lock of a full ranking run.
The other roles have their own clients: the Django cache (CACHE_URL, redbook/cache.py)
and the Celery broker (CELERY_BROKER_URL, redbook/broker.py).
"""

from functools import cache

import redis
import redis.backoff
import redis.retry
from django.conf import settings

DEFAULT_TIMEOUT = 2.0


def _client(url: str, timeout: float) -> redis.Redis | None:
    """A client that retries a failed command once, at once; `timeout` bounds the connect
    and each reply, in seconds."""
    if not url:
        return None
    return redis.Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        health_check_interval=30,
        retry=redis.retry.Retry(redis.backoff.NoBackoff(), 1),
    )


@cache
def get_redis(timeout: float = DEFAULT_TIMEOUT) -> redis.Redis | None:
    """The shared client on REDIS_URL (one per timeout). The rate limiter passes a shorter
    one: it sits on every write request's path, so a Redis outage must cost a request a
    fraction of a second there (its scope then fails open or closed)."""
    return _client(settings.REDIS_URL, timeout)


@cache
def get_ranking_redis() -> redis.Redis | None:
    return _client(settings.RANKING_REDIS_URL, DEFAULT_TIMEOUT)
