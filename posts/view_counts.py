"""Note views: counted once per viewer per note per day.

With Redis, a request costs one `SET NX` (the day's dedupe key) and, when new, one
`RPUSH` of the view onto a buffer list; no database write. The beat task
`posts.flush_views` drains the buffer in batches: it inserts the NoteView rows and
adds the counts in one transaction, and trims the batch off the list only after
commit. If it dies in between, the next run re-reads the batch, finds its rows
already in the database and counts nothing twice.

Without Redis (the embedded default) a view writes its NoteView row and the count
straight away.
"""

import logging
from collections import Counter, defaultdict

import redis
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from posts.cards import forget_cards
from posts.models import Note, NoteView
from redbook import buffers
from redbook.redis import get_redis

logger = logging.getLogger(__name__)

BUFFER_KEY = "rb:views:buffer"
PENDING_KEY = "rb:views:pending"  # note id -> views buffered and not yet flushed
LOCK_KEY = "rb:views:flush-lock"
SEEN_TTL = 2 * 24 * 3600  # the dedupe key outlives its day, whatever the time zone


def view_record(*, note_id: int, viewer_id: int | None, viewer_key: str) -> bool:
    """Count a view unless this viewer already viewed this note today. Returns whether counted."""
    day = timezone.localdate()
    client = get_redis()
    if client is None:
        return _record_in_db(note_id=note_id, viewer_id=viewer_id, viewer_key=viewer_key, day=day)
    entry = buffers.encode({"n": note_id, "u": viewer_id, "k": viewer_key, "d": day.isoformat()})
    try:
        if not client.set(f"rb:views:seen:{day.isoformat()}:{note_id}:{viewer_key}", 1, nx=True, ex=SEEN_TTL):
            return False
        pipe = client.pipeline(transaction=True)
        pipe.rpush(BUFFER_KEY, entry)
        pipe.hincrby(PENDING_KEY, note_id, 1)
        pipe.execute()
    except redis.RedisError as exc:  # Redis away: count it in the database instead
        # The flush skips views whose NoteView row already exists, so a view counted
        # here and buffered again once Redis is back is still counted once.
        logger.warning("view buffer unavailable, counting in the database: %s", exc)
        return _record_in_db(note_id=note_id, viewer_id=viewer_id, viewer_key=viewer_key, day=day)
    return True


def _record_in_db(*, note_id, viewer_id, viewer_key, day) -> bool:
    try:
        with transaction.atomic():
            NoteView.objects.create(note_id=note_id, viewer_id=viewer_id, viewer_key=viewer_key, day=day)
            Note.objects.filter(pk=note_id).update(view_count=F("view_count") + 1)
        forget_cards([note_id])
    except IntegrityError:  # already counted today (or the note is gone)
        return False
    return True


def pending_count() -> int:
    client = get_redis()
    return client.llen(BUFFER_KEY) if client is not None else 0


def pending_views(note_ids) -> dict[int, int]:
    """Views still in the buffer, per note: shown counts add them, so a view shows at once."""
    client = get_redis()
    note_ids = list(note_ids)
    if client is None or not note_ids:
        return {}
    try:
        values = client.hmget(PENDING_KEY, note_ids)
    except redis.RedisError:
        return {}
    return {note_id: int(value) for note_id, value in zip(note_ids, values, strict=True) if value}


# Trim a flushed batch off the buffer and take its views out of the pending counts, as one step.
_TRIM_BATCH = """
redis.call('LTRIM', KEYS[1], tonumber(ARGV[1]), -1)
for i = 2, #ARGV, 2 do
  if redis.call('HINCRBY', KEYS[2], ARGV[i], -tonumber(ARGV[i + 1])) <= 0 then
    redis.call('HDEL', KEYS[2], ARGV[i])
  end
end
return 1
"""


def views_flush(*, batch_size: int = 1000, max_batches: int = 50) -> int:
    """Drain the Redis buffer into the database; returns the number of views counted."""
    return buffers.drain(
        buffer_key=BUFFER_KEY,
        lock_key=LOCK_KEY,
        handle_batch=_flush_batch,
        trim_batch=_trim_batch,
        batch_size=batch_size,
        max_batches=max_batches,
    )


def _trim_batch(client, length: int, entries: list[dict]) -> None:
    per_note = Counter(entry["n"] for entry in entries)
    args = [length, *[value for item in per_note.items() for value in item]]
    client.eval(_TRIM_BATCH, 2, BUFFER_KEY, PENDING_KEY, *args)


def _flush_batch(entries: list[dict]) -> int:
    rows = {(e["n"], e["k"], e["d"]): e["u"] for e in entries}
    note_ids = {note_id for note_id, _key, _day in rows}
    user_ids = {uid for uid in rows.values() if uid}
    with transaction.atomic():
        live_notes = set(Note.objects.filter(pk__in=note_ids).values_list("pk", flat=True))
        live_users = set(User.objects.filter(pk__in=user_ids).values_list("pk", flat=True))
        existing = set(
            NoteView.objects.filter(note_id__in=note_ids, viewer_key__in={k for _n, k, _d in rows})
            .filter(day__in={d for _n, _k, d in rows})
            .values_list("note_id", "viewer_key", "day")
        )
        existing = {(n, k, d.isoformat()) for n, k, d in existing}
        new = [
            NoteView(note_id=n, viewer_key=k, day=d, viewer_id=uid if uid in live_users else None)
            for (n, k, d), uid in rows.items()
            if n in live_notes and (n, k, d) not in existing
        ]
        NoteView.objects.bulk_create(new, ignore_conflicts=True)
        _add_counts(Counter(view.note_id for view in new))
    return len(new)


def _add_counts(per_note: Counter) -> None:
    """One UPDATE per distinct increment (most notes get +1 in a 30 s window)."""
    by_increment = defaultdict(list)
    for note_id, increment in per_note.items():
        by_increment[increment].append(note_id)
    for increment, note_ids in by_increment.items():
        Note.objects.filter(pk__in=note_ids).update(view_count=F("view_count") + increment)
    # Cards add the buffered views to the stored count: a card cached before this flush
    # would show these views no more.
    forget_cards(per_note)
