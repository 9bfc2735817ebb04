"""The one Redis client factory for stores, buffers and the rate limiter (None on the embedded default)."""

from functools import cache

import redis
import redis.backoff
import redis.retry
from django.conf import settings

DEFAULT_TIMEOUT = 2.0


@cache
def get_redis(timeout: float = DEFAULT_TIMEOUT) -> redis.Redis | None:
    """A shared client (one per timeout) that retries a failed command once, at once.

    `timeout` bounds the connect and each reply, in seconds. The rate limiter passes a
    shorter one: it sits on every write request's path, so a Redis outage must cost a
    request a fraction of a second there (its scope then fails open or closed).
    """
    if not settings.REDIS_URL:
        return None
    return redis.Redis.from_url(
        settings.REDIS_URL,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        health_check_interval=30,
        retry=redis.retry.Retry(redis.backoff.NoBackoff(), 1),
    )
