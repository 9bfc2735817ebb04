"""Redis list buffers for high-volume writes (note views, analytics events).

A request appends one JSON entry to a list (one round trip, no database write); a beat
task drains the list in batches. Each batch is handled (committed) first and trimmed
off the list only afterwards, so a crash in between re-reads the batch: handlers must
be idempotent (the rows they insert carry a natural or event id and skip duplicates).
One drainer at a time, by a Redis lock.
"""

import json
from collections.abc import Callable

from redbook.redis import get_redis

LOCK_TIMEOUT = 300


def encode(entry: dict) -> str:
    return json.dumps(entry, separators=(",", ":"))


def drain(
    *,
    buffer_key: str,
    lock_key: str,
    handle_batch: Callable[[list[dict]], int],
    trim_batch: Callable[[object, int, list[dict]], None] | None = None,
    batch_size: int = 1000,
    max_batches: int = 50,
) -> int:
    """Feed the buffer to `handle_batch` in batches; returns the sum of what it returned.

    `trim_batch(client, length, entries)` removes a handled batch (default: LTRIM), for
    buffers that keep side tallies to take out with it, atomically.
    """
    client = get_redis()
    if client is None:
        return 0
    lock = client.lock(lock_key, timeout=LOCK_TIMEOUT, blocking=False)
    if not lock.acquire():
        return 0  # another drainer is at work
    handled = 0
    try:
        for _ in range(max_batches):
            raw = client.lrange(buffer_key, 0, batch_size - 1)
            if not raw:
                break
            entries = [json.loads(item) for item in raw]
            handled += handle_batch(entries)
            # Only after the batch committed.
            if trim_batch is None:
                client.ltrim(buffer_key, len(raw), -1)
            else:
                trim_batch(client, len(raw), entries)
    finally:
        lock.release()
    return handled
