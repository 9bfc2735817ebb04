"""Daily rollups, rebuilt a whole day at a time from the raw events (and, for creators,
from the rows of views, likes, saves, comments and follows).

Rebuilding a day (delete its rows, insert them again, one transaction) is idempotent and
exact: a rerun, a late event or a refund changes nothing but what it should. Beat runs
`rollups_refresh` every minute: flush the event buffer, then rebuild today, yesterday
and any day marked dirty. `event_figures` is the one definition of the figures, used by
the rebuild and by the consistency check alike.
"""

import logging
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import redis
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from accounts.models import Follow
from analytics.events import events_flush
from analytics.models import DailyStat, DirtyDay, Event, Kind, Scope
from analytics.selectors import rollups_changed
from posts.models import Comment, Like, NoteView, Save

logger = logging.getLogger(__name__)

# Which ids a row of each scope is keyed by, and whether only note-attributed events count.
SCOPE_KEYS = {
    Scope.BRAND: ("brand_id",),
    Scope.PRODUCT: ("brand_id", "product_id"),
    Scope.BRAND_NOTE: ("brand_id", "note_id", "creator_id"),
    Scope.NOTE: ("note_id", "creator_id"),
    Scope.CREATOR: ("creator_id",),
}
NOTE_SCOPES = {Scope.BRAND_NOTE, Scope.NOTE, Scope.CREATOR}
EVENT_FIELDS = ("product_views", "note_clicks", "add_to_cart", "orders", "units", "revenue", "refunds")
ENGAGEMENT_FIELDS = ("views", "likes", "saves", "comments", "new_followers")


def _event_aggregates() -> dict:
    def count(kind):
        return Count("pk", filter=Q(kind=kind))

    def orders(kind):
        return Count("order_id", distinct=True, filter=Q(kind=kind))

    return {
        "product_views": count(Kind.PRODUCT_VIEW),
        "note_clicks": count(Kind.NOTE_CLICK),
        "add_to_cart": count(Kind.ADD_TO_CART),
        "paid": orders(Kind.ORDER),
        "refunds": orders(Kind.REFUND),
        "units": Coalesce(Sum("units"), Value(0)),
        "revenue": Coalesce(Sum("revenue"), Value(0), output_field=Event._meta.get_field("revenue")),
    }


def event_figures(events, scope: int) -> dict[tuple, dict]:
    """{(day, *ids): figures} of `events` (a queryset) for one scope, one GROUP BY query."""
    if scope in NOTE_SCOPES:
        events = events.filter(note_id__isnull=False)
    keys = ("day", *SCOPE_KEYS[scope])
    figures = {}
    for row in events.order_by().values(*keys).annotate(**_event_aggregates()):
        row["orders"] = row.pop("paid") - row["refunds"]
        figures[tuple(row.pop(key) for key in keys)] = row
    return figures


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(first, time.min))
    return start, timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))


def engagement_figures(first: date, last: date) -> dict[tuple, dict]:
    """{(day, note_id, creator_id): {views, likes, saves, comments}} for notes that had any."""
    start, end = _bounds(first, last)
    stamped = {"created_at__gte": start, "created_at__lt": end}
    sources = {
        "views": NoteView.objects.filter(day__gte=first, day__lte=last).annotate(on=F("day")),
        "likes": Like.objects.filter(**stamped).annotate(on=TruncDate("created_at")),
        "saves": Save.objects.filter(**stamped).annotate(on=TruncDate("created_at")),
        "comments": Comment.objects.filter(**stamped).annotate(on=TruncDate("created_at")),
    }
    figures = defaultdict(dict)
    for field, rows in sources.items():
        grouped = rows.order_by().values_list("on", "note_id", "note__author_id").annotate(n=Count("pk"))
        for day, note_id, author_id, n in grouped:
            figures[(day, note_id, author_id)][field] = n
    return figures


def new_followers(first: date, last: date) -> dict[tuple, int]:
    """{(day, user_id): follows received}."""
    start, end = _bounds(first, last)
    rows = Follow.objects.filter(created_at__gte=start, created_at__lt=end).annotate(on=TruncDate("created_at"))
    return {
        (day, user_id): n
        for day, user_id, n in rows.order_by().values_list("on", "followee_id").annotate(n=Count("pk"))
    }


def _stat(scope: int, key: tuple, figures: dict) -> DailyStat:
    ids = dict(zip(SCOPE_KEYS[scope], key[1:], strict=True))
    return DailyStat(day=key[0], scope=scope, **ids, **figures)


def rows_for(first: date, last: date) -> list[DailyStat]:
    """Every rollup row of the days `first` to `last`, built from the source rows."""
    events = Event.objects.filter(day__gte=first, day__lte=last)
    by_scope = {scope: event_figures(events, scope) for scope in Scope}
    notes, creators = by_scope[Scope.NOTE], by_scope[Scope.CREATOR]
    for (day, note_id, creator_id), engagement in engagement_figures(first, last).items():
        notes[(day, note_id, creator_id)] = {**notes.get((day, note_id, creator_id), {}), **engagement}
        totals = creators.setdefault((day, creator_id), {})
        for field, value in engagement.items():
            totals[field] = totals.get(field, 0) + value
    for key, n in new_followers(first, last).items():
        creators.setdefault(key, {})["new_followers"] = n
    return [_stat(scope, key, figures) for scope, rows in by_scope.items() for key, figures in rows.items()]


def days_rebuild(first: date, last: date | None = None) -> int:
    """Replace the rollups of the days `first` to `last` (one day by default); returns rows written."""
    last = last or first
    with transaction.atomic():
        DirtyDay.objects.filter(day__gte=first, day__lte=last).delete()
        rows = rows_for(first, last)
        DailyStat.objects.filter(day__gte=first, day__lte=last).delete()
        _write(rows)
    return len(rows)


STAT_COLUMNS = ("day", "scope", "brand_id", "product_id", "note_id", "creator_id", *EVENT_FIELDS, *ENGAGEMENT_FIELDS)


def _write(rows: list[DailyStat]) -> None:
    """COPY on Postgres (a day at scale is 100k+ rows: bulk_create spends seconds building SQL)."""
    if connection.vendor != "postgresql":
        DailyStat.objects.bulk_create(rows, batch_size=2000)
        return
    statement = f"COPY {DailyStat._meta.db_table} ({', '.join(STAT_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([getattr(row, column) for column in STAT_COLUMNS])


def rollups_refresh() -> dict:
    """Flush buffered events, then rebuild today, yesterday and every dirty day."""
    try:
        flushed = events_flush()
    except redis.RedisError as exc:  # the buffer waits for Redis; rebuild from what is written
        logger.warning("analytics: event buffer unavailable (%s); rollups from the written events", exc)
        flushed = 0
    today = timezone.localdate()
    dirty = sorted(set(DirtyDay.objects.values_list("day", flat=True)) - {today, today - timedelta(days=1)})
    rows = days_rebuild(today - timedelta(days=1), today) + sum(days_rebuild(day) for day in dirty)
    rollups_changed()
    return {"flushed": flushed, "days": 2 + len(dirty), "rows": rows}


RAW_EVENT_DAYS = 90


def events_prune(*, batch_size: int = 10_000) -> tuple[int, bool]:
    """Delete one batch of raw events older than 90 days (rollups stay); (deleted, has_more)."""
    cutoff = timezone.localdate() - timedelta(days=RAW_EVENT_DAYS)
    ids = list(Event.objects.filter(day__lt=cutoff).values_list("pk", flat=True)[:batch_size])
    Event.objects.filter(pk__in=ids).delete()
    return len(ids), len(ids) == batch_size


def rollup_mismatches(*, sample: int = 5) -> list[str]:
    """Where stored rollups differ from the raw events, for every day not yet pruned."""
    first_day = Event.objects.order_by("day").values_list("day", flat=True).first()
    if first_day is None:
        return []
    problems = []
    for scope in SCOPE_KEYS:
        expected = event_figures(Event.objects.filter(day__gte=first_day), scope)
        stored = {}
        stats = DailyStat.objects.filter(scope=scope, day__gte=first_day)
        for row in stats.values("day", *SCOPE_KEYS[scope], *EVENT_FIELDS):
            if any(row[field] for field in EVENT_FIELDS):
                stored[tuple(row.pop(key) for key in ("day", *SCOPE_KEYS[scope]))] = row
        wrong = [
            (key, expected.get(key), stored.get(key))
            for key in expected.keys() | stored.keys()
            if expected.get(key) != stored.get(key)
        ]
        if wrong:
            name = Scope(scope).label
            problems.append(f"analytics rollups ({name}): {len(wrong)} wrong, e.g. {wrong[:sample]}")
    return problems
