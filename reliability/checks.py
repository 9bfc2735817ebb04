"""Consistency checks run after the fault suite and the load test.

Each check returns a list of human-readable problems (empty = consistent). They read
the source of truth (rows) and compare it with what the services keep denormalized,
in a handful of aggregate queries, so they run on a large database too.
"""

import json
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from accounts.models import Block, Follow, User
from analytics.rollups import rollup_mismatches
from moderation.models import AuditLogEntry
from notifications.models import Notification
from posts.models import Collection, Comment, Like, Note, NoteView, Reshare, Save
from reliability.sweeps import unnotified_decisions
from search.models import IndexBacklog, NoteDocument, ProductDocument
from shop.models import Order, OrderItem, Product, Variant

SAMPLE = 5  # problems listed per check; the count says how many there are
# Orders whose units left stock for good or are still held; the others gave them back.
UNITS_TAKEN = [Order.Status.PENDING_PAYMENT, Order.Status.PAID, Order.Status.SHIPPED, Order.Status.DELIVERED]
UNITS_SOLD = [Order.Status.PAID, Order.Status.SHIPPED, Order.Status.DELIVERED]


def _rows_counted(model, fk: str, *, where: Q | None = None) -> Subquery:
    """The number of `model` rows pointing at the outer row through `fk`, as a subquery."""
    rows = model.objects.filter(**{fk: OuterRef("pk")})
    if where is not None:
        rows = rows.filter(where)
    counted = rows.order_by().values(fk).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _report(name: str, rows: list) -> list[str]:
    if not rows:
        return []
    return [f"{name}: {len(rows)} wrong, e.g. {rows[:SAMPLE]}"]


def _counter_problems(model, field: str, counted: Subquery) -> list[str]:
    wrong = list(
        model.objects.annotate(actual=counted).exclude(**{field: F("actual")}).values_list("pk", field, "actual")
    )
    return _report(f"{model.__name__}.{field} != rows (pk, stored, rows)", wrong)


def counters() -> list[str]:
    """Denormalized counters equal the rows they count."""
    published = Q(status=Note.Status.PUBLISHED, is_hidden=False)
    checks = [
        (Note, "like_count", _rows_counted(Like, "note")),
        (Note, "save_count", _rows_counted(Save, "note")),
        (Note, "reshare_count", _rows_counted(Reshare, "note")),
        (Note, "comment_count", _rows_counted(Comment, "note", where=Q(is_removed=False))),
        (User, "followers_count", _rows_counted(Follow, "followee")),
        (User, "following_count", _rows_counted(Follow, "follower")),
        (User, "notes_count", _rows_counted(Note, "author", where=published)),
        (Collection, "notes_count", _rows_counted(Save, "collection")),
        (Comment, "reply_count", _rows_counted(Comment, "parent", where=Q(is_removed=False))),
    ]
    return [problem for model, field, counted in checks for problem in _counter_problems(model, field, counted)]


def view_counts(offsets: dict[int, int] | None = None) -> list[str]:
    """Views: one NoteView row per counted view (run after the buffer is flushed).

    `offsets` (from a baseline) allow for counts a seed script set without rows.
    """
    offsets = offsets or {}
    annotated = Note.objects.annotate(rows=_rows_counted(NoteView, "note")).values_list("pk", "view_count", "rows")
    wrong = [(pk, stored, rows) for pk, stored, rows in annotated if stored != rows + offsets.get(pk, 0)]
    return _report("Note.view_count != rows (pk, stored, rows)", wrong)


def view_offsets() -> dict[int, int]:
    annotated = Note.objects.annotate(rows=_rows_counted(NoteView, "note")).exclude(view_count=F("rows"))
    return {pk: stored - rows for pk, stored, rows in annotated.values_list("pk", "view_count", "rows")}


def orders() -> list[str]:
    """Every order has lines; its subtotal is their sum and its total adds shipping."""
    line = ExpressionWrapper(F("items__unit_price") * F("items__quantity"), output_field=DecimalField())
    annotated = Order.objects.annotate(lines=Count("items"), lines_sum=Coalesce(Sum(line), Decimal("0")))
    empty = list(annotated.filter(lines=0).values_list("number", flat=True))
    wrong = list(
        annotated.filter(lines__gt=0)
        .filter(~Q(subtotal=F("lines_sum")) | ~Q(total=F("subtotal") + F("shipping_fee")))
        .values_list("number", "subtotal", "total", "lines_sum")
    )
    return _report("orders without lines", empty) + _report(
        "order totals != lines (number, subtotal, total, sum)", wrong
    )


def _units(statuses) -> dict[int, int]:
    lines = OrderItem.objects.filter(order__status__in=statuses, variant__isnull=False)
    return dict(lines.values("variant_id").annotate(q=Sum("quantity")).values_list("variant_id", "q"))


def stock(baseline: dict[int, int] | None = None) -> list[str]:
    """Units held equal unpaid orders' lines; with a baseline (stock before the run),
    stock now equals initial - taken by live orders (released ones came back)."""
    held = _units([Order.Status.PENDING_PAYMENT])
    variants = Variant.objects.values_list("pk", "stock", "reserved")
    wrong_held = [(pk, reserved, held.get(pk, 0)) for pk, _stock, reserved in variants if reserved != held.get(pk, 0)]
    problems = _report("Variant.reserved != unpaid lines (pk, reserved, lines)", wrong_held)
    if baseline is not None:
        taken = _units(UNITS_TAKEN)
        wrong = [
            (pk, now, baseline[pk], taken.get(pk, 0))
            for pk, now, _reserved in variants
            if pk in baseline and now != baseline[pk] - taken.get(pk, 0)
        ]
        problems += _report("stock != initial - taken (pk, stock, initial, taken)", wrong)
    return problems


def stock_baseline() -> dict[int, int]:
    """What each variant had before any of today's orders: stock now plus units taken."""
    taken = _units(UNITS_TAKEN)
    return {pk: stock + taken.get(pk, 0) for pk, stock in Variant.objects.values_list("pk", "stock")}


def sold_counts() -> list[str]:
    sold = OrderItem.objects.sales().filter(product=OuterRef("pk"), order__status__in=UNITS_SOLD).order_by()
    counted = Coalesce(
        Subquery(sold.values("product").annotate(q=Sum("quantity")).values("q"), output_field=IntegerField()), 0
    )
    return _counter_problems(Product, "sold_count", counted)


def like_notifications(since=None) -> list[str]:
    """Every like by someone else (not blocked) left exactly one notification (run when the queue is drained)."""
    blocked = Block.objects.filter(
        Q(blocker=OuterRef("user"), blocked=OuterRef("note__author"))
        | Q(blocker=OuterRef("note__author"), blocked=OuterRef("user"))
    )
    expected = Like.objects.exclude(user=F("note__author")).exclude(Exists(blocked))
    if since is not None:  # e.g. the likes of a load run, not those a seed script inserted
        expected = expected.filter(created_at__gte=since)
    keys = set(Notification.objects.filter(verb=Notification.Verb.LIKE).values_list("dedupe_key", flat=True))
    pairs = expected.values_list("user_id", "note_id")
    missing = [(user_id, note_id) for user_id, note_id in pairs if f"like:{user_id}:{note_id}" not in keys]
    return _report("likes without their notification (user, note)", missing)


def decision_notifications(since=None) -> list[str]:
    """Every moderation decision that owed notifications made them (run when the queue is drained)."""
    entries = AuditLogEntry.objects.all() if since is None else AuditLogEntry.objects.filter(created_at__gte=since)
    return _report("moderation decisions that notified nobody (entry)", sorted(unnotified_decisions(entries)))


def search_index() -> list[str]:
    """Documents exist for exactly the public notes and listed products, none older than
    its note's last edit, and no indexing is pending (run when the queue is drained)."""
    public, listed = Note.objects.public(), Product.objects.listed()
    wrong = {
        "public notes without a document": public.exclude(Exists(NoteDocument.objects.filter(note=OuterRef("pk")))),
        "documents of notes not public": NoteDocument.objects.exclude(Exists(public.filter(pk=OuterRef("pk")))),
        "documents older than their note's last edit": NoteDocument.objects.filter(
            indexed_at__lt=F("note__updated_at")
        ),
        "listed products without a document": listed.exclude(
            Exists(ProductDocument.objects.filter(product=OuterRef("pk")))
        ),
        "documents of products not listed": ProductDocument.objects.exclude(Exists(listed.filter(pk=OuterRef("pk")))),
        "index backlog entries left (entry)": IndexBacklog.objects.all(),
    }
    return [
        problem for name, rows in wrong.items() for problem in _report(name, list(rows.values_list("pk", flat=True)))
    ]


@dataclass
class Baseline:
    """Taken before a run: each variant's initial stock, and view counts that have no rows."""

    stock: dict[int, int]
    view_offsets: dict[int, int]

    @classmethod
    def take(cls) -> "Baseline":
        return cls(stock=stock_baseline(), view_offsets=view_offsets())

    def dumps(self) -> str:
        return json.dumps({"stock": self.stock, "view_offsets": self.view_offsets})

    @classmethod
    def loads(cls, text: str) -> "Baseline":
        data = json.loads(text)
        return cls(**{name: {int(pk): n for pk, n in data[name].items()} for name in ("stock", "view_offsets")})


def analytics_rollups() -> list[str]:
    """Daily rollups equal what the raw events say, for every day not yet pruned."""
    return rollup_mismatches(sample=SAMPLE)


def run_all(
    *, baseline: Baseline | None = None, views: bool = False, notifications_since=None, analytics: bool = False
) -> list[str]:
    problems = counters() + orders() + stock(baseline.stock if baseline else None) + sold_counts()
    if analytics:  # rollups lag the events by a minute: the caller refreshes them first
        problems += analytics_rollups()
    if views:
        problems += view_counts(baseline.view_offsets if baseline else None)
    if notifications_since is not None:
        problems += like_notifications(since=notifications_since) + decision_notifications(since=notifications_since)
    return problems
