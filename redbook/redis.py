"""One shared Redis client for stores and buffers (None on the embedded default)."""

from functools import cache

import redis
from django.conf import settings


@cache
def get_redis() -> redis.Redis | None:
    if not settings.REDIS_URL:
        return None
    return redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30
    )
