"""Recording events: browsing events buffered in Redis, sales written with the sale.

Product views, note clicks and add-to-cart are high-volume: a request appends one entry
to a Redis list (redbook/buffers.py, the buffer note views use) and `events_flush`
writes them in batches. Orders and refunds are written by the payment's or refund's
own transaction, so a sale is counted if and only if it happened.

Every event has an `event_id` (unique): a flush retried after a crash, a buffered event
written again, a double-sent signal all insert nothing the second time, so rollups,
which count rows, count each event once.
"""

import hashlib
import logging
from datetime import date, datetime, timedelta

import redis
from django.db import transaction
from django.utils import timezone

from analytics.models import DirtyDay, Event
from redbook import buffers
from redbook.redis import get_redis

logger = logging.getLogger(__name__)

BUFFER_KEY = "rb:analytics:events"
LOCK_KEY = "rb:analytics:flush-lock"


def event_id_for(prefix: str, *parts) -> str:
    """A short, stable id for an event defined by its parts (who, what, which day)."""
    digest = hashlib.blake2b(":".join(str(part) for part in parts).encode(), digest_size=16).hexdigest()
    return f"{prefix}:{digest}"


def event_record(
    *,
    event_id: str,
    kind: int,
    brand_id: int,
    product_id: int,
    note_id: int | None = None,
    creator_id: int | None = None,
    at: datetime | None = None,
) -> None:
    """Buffer one browsing event (one RPUSH); written directly when Redis is absent or away."""
    at = at or timezone.now()
    entry = {
        "i": event_id,
        "k": kind,
        "d": timezone.localdate(at).isoformat(),
        "t": at.isoformat(),
        "b": brand_id,
        "p": product_id,
        "n": note_id,
        "c": creator_id,
    }
    client = get_redis()
    if client is not None:
        try:
            client.rpush(BUFFER_KEY, buffers.encode(entry))
            return
        except redis.RedisError as exc:  # the event id makes a later duplicate harmless
            logger.warning("analytics buffer unavailable, writing the event now: %s", exc)
    _insert_entries([entry])


def events_flush(*, batch_size: int = 2000, max_batches: int = 100) -> int:
    """Write buffered events in batches; returns how many entries were handled."""
    return buffers.drain(
        buffer_key=BUFFER_KEY,
        lock_key=LOCK_KEY,
        handle_batch=_insert_entries,
        batch_size=batch_size,
        max_batches=max_batches,
    )


def pending_count() -> int:
    client = get_redis()
    return client.llen(BUFFER_KEY) if client is not None else 0


def _insert_entries(entries: list[dict]) -> int:
    rows = [
        Event(
            event_id=e["i"],
            kind=e["k"],
            day=date.fromisoformat(e["d"]),
            occurred_at=datetime.fromisoformat(e["t"]),
            brand_id=e["b"],
            product_id=e["p"],
            note_id=e["n"],
            creator_id=e["c"],
        )
        for e in entries
    ]
    with transaction.atomic():
        events_insert(rows)
    return len(rows)


def events_insert(rows: list[Event]) -> None:
    """Insert events, skipping ids already written; call inside a transaction.

    Today's and yesterday's rollups are rebuilt on every run; an event landing on an
    older day marks that day for rebuilding.
    """
    Event.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    days_mark_dirty({row.day for row in rows})


def days_mark_dirty(days) -> None:
    recent = timezone.localdate() - timedelta(days=1)
    older = sorted(day for day in days if day < recent)
    if older:
        DirtyDay.objects.bulk_create([DirtyDay(day=day) for day in older], ignore_conflicts=True)
