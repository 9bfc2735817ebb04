"""The partners' daily log: API calls, 4xx answers and clicks back, per partner and day.

With Redis a call costs one HINCRBY on a buffer hash, never a database write; the beat
task `partners.flush_days` moves the hash aside (RENAME, so new hits start a fresh one),
adds its counts to the PartnerDay rows and then deletes it. A flush that dies after its
commit and before the delete counts that batch again on the next run: these are
operational statistics, where a rare double count is preferred to losing the batch.
Without Redis (the embedded default) each hit adds to its row at once.
"""

import logging
from collections import Counter

import redis
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from partners.models import Partner, PartnerDay
from redbook.redis import get_redis

logger = logging.getLogger(__name__)

BUFFER_KEY = "rb:partners:days"
FLUSHING_KEY = "rb:partners:days:flushing"
KINDS = ("calls", "client_errors", "clicks")


def count(*, partner_id: int, kind: str, n: int = 1) -> None:
    """Add `n` to today's `kind` for the partner."""
    assert kind in KINDS
    field = f"{timezone.localdate().isoformat()}:{partner_id}:{kind}"
    client = get_redis()
    if client is not None:
        try:
            client.hincrby(BUFFER_KEY, field, n)
            return
        except redis.RedisError as exc:  # Redis away: straight to the table instead
            logger.warning("partner day buffer unavailable, counting in the database: %s", exc)
    _add(Counter({field: n}))


def days_flush() -> int:
    """Buffered counts into PartnerDay rows; returns how many fields were flushed."""
    client = get_redis()
    if client is None:
        return 0
    if not client.exists(FLUSHING_KEY):  # else: a batch a failed flush left, first
        try:
            client.rename(BUFFER_KEY, FLUSHING_KEY)
        except redis.ResponseError:  # nothing buffered
            return 0
    fields = client.hgetall(FLUSHING_KEY)
    _add(Counter({key.decode(): int(value) for key, value in fields.items()}))
    client.delete(FLUSHING_KEY)
    return len(fields)


def _add(counts: Counter) -> None:
    per_row: dict[tuple[str, int], Counter] = {}
    for field, n in counts.items():
        day, partner_id, kind = field.split(":")
        per_row.setdefault((day, int(partner_id)), Counter())[kind] += n
    live = set(Partner.objects.filter(pk__in={pid for _day, pid in per_row}).values_list("pk", flat=True))
    per_row = {row: kinds for row, kinds in per_row.items() if row[1] in live}  # a deleted partner's: dropped
    with transaction.atomic():
        PartnerDay.objects.bulk_create(
            [PartnerDay(partner_id=partner_id, day=day) for day, partner_id in per_row], ignore_conflicts=True
        )
        for (day, partner_id), kinds in sorted(per_row.items()):
            increments = {kind: F(kind) + n for kind, n in kinds.items() if kind in KINDS}
            PartnerDay.objects.filter(partner_id=partner_id, day=day).update(**increments)
