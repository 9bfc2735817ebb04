"""Dashboard reads: rollups only (never raw events), a handful of queries per request.

Each dashboard is a JSON-ready dict (money as decimal strings, days as ISO dates),
shared by the API, the pages and the CSV export, and cached until the next rollup
rebuild (at most a minute).
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.models import DailyStat, Scope
from posts.models import Note
from redbook.exceptions import Invalid
from shop.models import Product

MAX_DAYS = 366
DEFAULT_DAYS = 30
TOP = 10
CACHE_SECONDS = 60
CURRENCY = "CNY"
BRAND_FIELDS = ("product_views", "note_clicks", "add_to_cart", "orders", "units", "revenue")
# The creator's figures, named as API.md has them (product_clicks is the rollups' note_clicks).
CREATOR_FIELDS = {
    "views": "views",
    "likes": "likes",
    "saves": "saves",
    "comments": "comments",
    "new_followers": "new_followers",
    "product_clicks": "note_clicks",
    "orders": "orders",
}
FUNNEL = ("note_clicks", "product_views", "add_to_cart", "orders")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The same number of days just before."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def each_day(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]


def _parse_day(value, *, field: str) -> date:
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        raise Invalid(_("Send %(field)s as a date, YYYY-MM-DD.") % {"field": field}, code="invalid_date")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(_("%(field)s is not a real date.") % {"field": field}, code="invalid_date") from None


def period_from(params) -> Period:
    """`from` and `to` (inclusive; default: the last 30 days to today), at most 366 days."""
    today = timezone.localdate()
    end = _parse_day(params["to"], field="to") if params.get("to") else today
    start = _parse_day(params["from"], field="from") if params.get("from") else end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise Invalid(_("The start date is after the end date."), code="invalid_range")
    if (end - start).days + 1 > MAX_DAYS:
        raise Invalid(_("Pick at most %(n)d days.") % {"n": MAX_DAYS}, code="range_too_long")
    return Period(start, end)


def _money(value) -> str:
    return f"{Decimal(value or 0):.2f}"


def _stats(scope: int, owner: dict, period: Period):
    return DailyStat.objects.filter(scope=scope, day__gte=period.start, day__lte=period.end, **owner)


def _daily(scope: int, owner: dict, period: Period, fields: dict) -> list[dict]:
    """One row per day of the period, zeros where nothing happened."""
    rows = {row["day"]: row for row in _stats(scope, owner, period).values("day", *fields.values())}
    return [
        {"date": day.isoformat(), **{name: rows.get(day, {}).get(column, 0) for name, column in fields.items()}}
        for day in period.each_day()
    ]


def _totals(scope: int, owner: dict, period: Period, fields: dict) -> dict:
    sums = _stats(scope, owner, period).aggregate(**{name: Sum(column) for name, column in fields.items()})
    return {name: value or 0 for name, value in sums.items()}


def _with_money(row: dict) -> dict:
    if "revenue" in row:
        row["revenue"] = _money(row["revenue"])
    return row


def _deltas(current: dict, previous: dict) -> dict:
    """Change against the previous period, in percent; None where the previous was zero."""
    return {
        name: None
        if not previous[name]
        else float(round((Decimal(current[name]) - previous[name]) * 100 / previous[name], 1))
        for name in current
    }


def _funnel(totals: dict) -> list[dict]:
    """Each step with its rate from the step before (None for the first or after a zero)."""
    steps = []
    for i, name in enumerate(FUNNEL):
        before = totals[FUNNEL[i - 1]] if i else None
        rate = round(totals[name] * 100 / before, 1) if before else None
        steps.append({"step": name, "count": totals[name], "rate": rate})
    return steps


def _note_summaries(note_ids, *, visible_only: bool) -> dict[int, dict]:
    """id, title, links to the note and its author; a brand sees notes still public only."""
    notes = Note.objects.public() if visible_only else Note.objects.exclude(status=Note.Status.DELETED)
    found = (
        notes.filter(pk__in=list(note_ids))
        .select_related("author")
        .only("pk", "title", "author__username", "author__display_name")
    )
    return {
        note.pk: {
            "id": note.pk,
            "title": note.title,
            "url": reverse("posts:note-detail", args=[note.pk]),
            "author": {
                "username": note.author.username,
                "display_name": note.author.display_name or note.author.username,
                "url": reverse("accounts:profile", args=[note.author.username]),
            },
        }
        for note in found
    }


VERSION_KEY = "analytics:rollup-version"


def rollups_changed() -> None:
    """Called after every rebuild: cached dashboards of the older rollups are not read again."""
    cache.set(VERSION_KEY, timezone.now().timestamp(), None)


def _cached(key: str, build):
    key = f"{key}:{cache.get(VERSION_KEY, 0)}"
    data = cache.get(key)
    if data is None:
        data = build()
        cache.set(key, data, CACHE_SECONDS)
    return data


def brand_dashboard(*, brand, period: Period) -> dict:
    """The brand's own figures: totals, deltas, daily, funnel, top notes and products."""
    key = f"analytics:brand:{brand.pk}:{period.start}:{period.end}"
    return _cached(key, lambda: _brand_dashboard(brand.pk, period))


def _brand_dashboard(brand_id: int, period: Period) -> dict:
    owner, fields = {"brand_id": brand_id}, {name: name for name in BRAND_FIELDS}
    daily = _daily(Scope.BRAND, owner, period, fields)
    totals = {name: sum((row[name] for row in daily), 0) for name in BRAND_FIELDS}
    previous = _totals(Scope.BRAND, owner, period.previous(), fields)
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "currency": CURRENCY,
        "totals": _with_money(dict(totals)),
        "previous": _with_money(dict(previous)),
        "deltas": _deltas(totals, previous),
        "daily": [_with_money(row) for row in daily],
        "funnel": _funnel(totals),
        "top_notes": _brand_top_notes(owner, period),
        "top_products": _brand_top_products(owner, period),
    }


def _brand_top_notes(owner: dict, period: Period) -> list[dict]:
    rows = list(
        _stats(Scope.BRAND_NOTE, owner, period)
        .values("note_id")
        .annotate(clicks=Sum("note_clicks"), orders=Sum("orders"), units=Sum("units"), revenue=Sum("revenue"))
        .order_by("-revenue", "-orders", "-clicks", "note_id")[:TOP]
    )
    notes = _note_summaries([row["note_id"] for row in rows], visible_only=True)
    return [{"note": notes.get(row.pop("note_id")), **_with_money(row)} for row in rows]


def _brand_top_products(owner: dict, period: Period) -> list[dict]:
    sums = {name: Sum(name) for name in BRAND_FIELDS}
    rows = list(
        _stats(Scope.PRODUCT, owner, period)
        .values("product_id")
        .annotate(**sums)
        .order_by("-revenue", "-orders", "-product_views", "product_id")[:TOP]
    )
    names = dict(Product.objects.filter(pk__in=[row["product_id"] for row in rows]).values_list("pk", "name"))
    return [
        {
            "product": {
                "id": row["product_id"],
                "name": names.get(row["product_id"], ""),
                "url": reverse("shop:product-detail", args=[row["product_id"]]),
            },
            **_with_money({name: row[name] for name in BRAND_FIELDS}),
        }
        for row in rows
    ]


def creator_dashboard(*, creator, period: Period) -> dict:
    """A creator's aggregate figures (no buyer, no viewer is ever named)."""
    key = f"analytics:creator:{creator.pk}:{period.start}:{period.end}"
    return _cached(key, lambda: _creator_dashboard(creator.pk, period))


def _creator_dashboard(creator_id: int, period: Period) -> dict:
    owner = {"creator_id": creator_id}
    daily = _daily(Scope.CREATOR, owner, period, CREATOR_FIELDS)
    totals = {name: sum(row[name] for row in daily) for name in CREATOR_FIELDS}
    previous = _totals(Scope.CREATOR, owner, period.previous(), CREATOR_FIELDS)
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "totals": totals,
        "previous": previous,
        "deltas": _deltas(totals, previous),
        "daily": daily,
        "top_notes": _creator_top_notes(owner, period),
    }


def _creator_top_notes(owner: dict, period: Period) -> list[dict]:
    sums = {name: Sum(column) for name, column in CREATOR_FIELDS.items() if name != "new_followers"}
    rows = list(
        _stats(Scope.NOTE, owner, period)
        .values("note_id")
        .annotate(**sums)
        .order_by("-orders", "-product_clicks", "-views", "-likes", "note_id")[:TOP]
    )
    notes = _note_summaries([row["note_id"] for row in rows], visible_only=False)
    return [{"note": notes.get(row.pop("note_id")), **row} for row in rows]
