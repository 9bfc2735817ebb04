"""Daily rollups, rebuilt a whole day at a time from the raw events (and, for creators,
from the rows of views, likes, saves, comments and follows).

Rebuilding a day (delete its rows, insert them again, one transaction) is idempotent and
exact: a rerun, a late event or a refund changes nothing but what it should. Beat runs
`rollups_refresh` every minute: flush the event buffer, then rebuild today, yesterday
and any day marked dirty. `event_figures` is the one definition of the figures, used by
the rebuild and by the consistency check alike.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Follow
from analytics.events import events_flush
from analytics.models import DailyStat, DirtyDay, Event, Kind, Scope
from analytics.selectors import rollups_changed
from posts.models import Comment, Like, NoteView, Save

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


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def engagement_figures(day: date) -> dict[tuple, dict]:
    """{(note_id, creator_id): {views, likes, saves, comments}} for notes that had any that day."""
    start, end = _day_bounds(day)
    sources = {
        "views": NoteView.objects.filter(day=day),
        "likes": Like.objects.filter(created_at__gte=start, created_at__lt=end),
        "saves": Save.objects.filter(created_at__gte=start, created_at__lt=end),
        "comments": Comment.objects.filter(created_at__gte=start, created_at__lt=end),
    }
    figures = defaultdict(dict)
    for field, rows in sources.items():
        for note_id, author_id, n in rows.order_by().values_list("note_id", "note__author_id").annotate(n=Count("pk")):
            figures[(note_id, author_id)][field] = n
    return figures


def new_followers(day: date) -> dict[int, int]:
    start, end = _day_bounds(day)
    rows = Follow.objects.filter(created_at__gte=start, created_at__lt=end).order_by().values_list("followee_id")
    return dict(rows.annotate(n=Count("pk")))


def _stat(day: date, scope: int, ids: tuple, figures: dict) -> DailyStat:
    return DailyStat(day=day, scope=scope, **dict(zip(SCOPE_KEYS[scope], ids, strict=True)), **figures)


def day_rows(day: date) -> list[DailyStat]:
    """Every rollup row of one day, built from the source rows."""
    events = Event.objects.filter(day=day)
    by_scope = {scope: {key[1:]: figures for key, figures in event_figures(events, scope).items()} for scope in Scope}
    notes, creators = by_scope[Scope.NOTE], by_scope[Scope.CREATOR]
    for (note_id, creator_id), engagement in engagement_figures(day).items():
        notes[(note_id, creator_id)] = {**notes.get((note_id, creator_id), {}), **engagement}
        totals = creators.setdefault((creator_id,), {})
        for field, value in engagement.items():
            totals[field] = totals.get(field, 0) + value
    for creator_id, n in new_followers(day).items():
        creators.setdefault((creator_id,), {})["new_followers"] = n
    return [_stat(day, scope, ids, figures) for scope, rows in by_scope.items() for ids, figures in rows.items()]


def day_rebuild(day: date) -> int:
    """Replace one day's rollups; returns the number of rows written."""
    with transaction.atomic():
        DirtyDay.objects.filter(day=day).delete()
        rows = day_rows(day)
        DailyStat.objects.filter(day=day).delete()
        DailyStat.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def rollups_refresh() -> dict:
    """Flush buffered events, then rebuild today, yesterday and every dirty day."""
    flushed = events_flush()
    today = timezone.localdate()
    days = {today, today - timedelta(days=1), *DirtyDay.objects.values_list("day", flat=True)}
    rows = sum(day_rebuild(day) for day in sorted(days))
    rollups_changed()
    return {"flushed": flushed, "days": len(days), "rows": rows}


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
