"""Redis clients, one factory per role (README "Redis roles"); None on the embedded default.

- `get_redis()`: the shared state on REDIS_URL: view and search buffers, debounce keys.
- `get_ranking_redis()`: the ranking store on RANKING_REDIS_URL: Explore lists and the
  lock of a full ranking run.
The other roles have their own clients: the Django cache (CACHE_URL, redbook/cache.py),
the Celery broker (CELERY_BROKER_URL, redbook/broker.py) and the rate limits
(REDIS_URL, with short timeouts of their own: redbook/throttling.py).
"""

from functools import cache

import redis
from django.conf import settings


def _client(url: str) -> redis.Redis | None:
    if not url:
        return None
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30)


@cache
def get_redis() -> redis.Redis | None:
    return _client(settings.REDIS_URL)


@cache
def get_ranking_redis() -> redis.Redis | None:
    return _client(settings.RANKING_REDIS_URL)
