"""90 days of shop analytics: note clicks, product views, add-to-cart, orders attributed to notes.

Orders come from `seed_orders`; here a share of the recent paid lines whose product a
note tags become that note's sales (`source_note_id`), and the events a real funnel
leaves are drawn around them: clicks from notes (each sale had one), product views,
add-to-cart, plus the browsing that did not end in a sale. Then the daily rollups are
built, as beat would, so the dashboards are full on a fresh `make run`.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.db.models import F, Max
from django.utils import timezone

from analytics.models import Event, Kind
from analytics.rollups import RAW_EVENT_DAYS, days_rebuild
from demo.bulk import Timer, insert, next_id
from demo.world import World
from shop.models import Order, OrderItem

ATTRIBUTED_SHARE = 0.45  # recent sales of products some note tags that a note led to
CLICKS_PER_SALE = 7  # note clicks for each attributed sale (most clicks buy nothing)
VIEWS_PER_CLICK = 1.6  # product views per note click (people also arrive from search and the mall)
CARTS_PER_SALE = 2.2  # add-to-cart per sale (carts are abandoned)
PAID = (Order.Status.PAID, Order.Status.SHIPPED, Order.Status.DELIVERED, Order.Status.REFUNDED)
REFUNDED_OR_CANCELLED = (Order.Status.REFUNDED, Order.Status.CANCELLED)


def seed_analytics(world: World) -> None:
    if len(world.note_products) == 0:
        return
    rng = world.rng("analytics")
    run = next_id(Event)  # the demo's browsing events are named per run: seeding twice adds
    with Timer(world.log, "analytics") as timer:
        since = timezone.now() - timedelta(days=RAW_EVENT_DAYS)
        sales = _recent_sales(since)
        notes_of = _notes_by_product(world)
        sale_notes = _attribute(rng, sales, notes_of)
        columns = _merge(
            _sale_events(world, sales, sale_notes),
            _funnel_events(world, rng, sales, sale_notes, since, run=run),
        )
        timer.rows = insert(Event, columns, log=world.log, desc="analytics events")
        today = timezone.localdate()
        days_rebuild(today - timedelta(days=RAW_EVENT_DAYS), today)


def _recent_sales(since) -> dict[str, np.ndarray]:
    """Lines of orders paid since `since` by someone other than the selling brand, that an
    earlier seeding (into the same database) did not count already."""
    counted = Event.objects.filter(kind=Kind.ORDER).aggregate(top=Max("order_id"))["top"] or 0
    rows = list(
        OrderItem.objects.filter(order__paid_at__gte=since, product__isnull=False, order_id__gt=counted)
        .exclude(order__buyer_id=F("order__brand_id"))
        .values_list(
            "pk",
            "order_id",
            "product_id",
            "quantity",
            "unit_price",
            "order__brand_id",
            "order__paid_at",
            "order__status",
        )
        .order_by("pk")
    )
    if not rows:
        return {}
    pk, order, product, quantity, price, brand, paid_at, status = zip(*rows, strict=True)
    return {
        "pk": np.array(pk),
        "order": np.array(order),
        "product": np.array(product),
        "quantity": np.array(quantity),
        "price": np.array([float(p) for p in price]),
        "brand": np.array(brand),
        "paid_at": np.array([p.replace(tzinfo=None) for p in paid_at], dtype="datetime64[s]"),
        "refunded": np.isin(np.array(status), REFUNDED_OR_CANCELLED),
    }


def _notes_by_product(world: World) -> dict[int, np.ndarray]:
    """Product id -> (note id, author user id) rows of the notes that tag it."""
    pairs = world.note_products
    order = np.argsort(pairs[:, 1], kind="stable")
    pairs = pairs[order]
    products = world.product_ids[pairs[:, 1]]
    notes = np.stack([world.note_ids[pairs[:, 0]], world.user_ids[world.note_author[pairs[:, 0]]]], axis=1)
    bounds = np.flatnonzero(np.diff(products)) + 1
    return {
        int(group_products[0]): group_notes
        for group_products, group_notes in zip(np.split(products, bounds), np.split(notes, bounds), strict=True)
    }


def _attribute(rng, sales: dict, notes_of: dict) -> np.ndarray:
    """(note id, creator id) per sale line, -1 where no note led to it; written to the order lines."""
    if not sales:
        return np.zeros((0, 2), np.int64)
    chosen = np.full((len(sales["pk"]), 2), -1, np.int64)
    draws = rng.random(len(sales["pk"]))
    for i, product_id in enumerate(sales["product"].tolist()):
        notes = notes_of.get(product_id)
        if notes is not None and draws[i] < ATTRIBUTED_SHARE:
            chosen[i] = notes[rng.integers(0, len(notes))]
    attributed = chosen[:, 0] >= 0
    items = [
        OrderItem(pk=pk, source_note_id=note)
        for pk, note in zip(sales["pk"][attributed].tolist(), chosen[attributed, 0].tolist(), strict=True)
    ]
    OrderItem.objects.bulk_update(items, ["source_note_id"], batch_size=2000)
    return chosen


def _local_days(moments: np.ndarray) -> np.ndarray:
    offset = timezone.now().astimezone(ZoneInfo(settings.TIME_ZONE)).utcoffset()
    return (moments + np.timedelta64(int(offset.total_seconds()), "s")).astype("datetime64[D]")


def _columns(kind, ids, moments, brand, product, note, creator, order=None, units=None, revenue=None) -> dict:
    n = len(ids)
    return {
        "event_id": ids,
        "kind": np.full(n, int(kind)),
        "day": _local_days(moments).astype(str).tolist(),
        "occurred_at": [f"{m}+00:00" for m in moments.astype(str).tolist()],
        "brand_id": brand,
        "product_id": product,
        "note_id": _nullable(note),
        "creator_id": _nullable(creator),
        "order_id": _nullable(order if order is not None else np.full(n, -1)),
        "units": units if units is not None else np.zeros(n, np.int64),
        "revenue": [f"{r:.2f}" for r in (revenue if revenue is not None else np.zeros(n))],
        "currency": ["CNY"] * n,
    }


def _nullable(values: np.ndarray) -> list:
    return [None if v < 0 else v for v in values.tolist()]


def _sale_events(world: World, sales: dict, notes: np.ndarray) -> list[dict]:
    if not sales:
        return []
    revenue = sales["price"] * sales["quantity"]
    paid = _columns(
        Kind.ORDER, [f"o:{pk}" for pk in sales["pk"].tolist()], sales["paid_at"], sales["brand"], sales["product"],
        notes[:, 0], notes[:, 1], sales["order"], sales["quantity"], revenue,
    )  # fmt: skip
    back = sales["refunded"]
    refunds = _columns(
        Kind.REFUND, [f"r:{pk}" for pk in sales["pk"][back].tolist()], sales["paid_at"][back], sales["brand"][back],
        sales["product"][back], notes[back, 0], notes[back, 1], sales["order"][back], -sales["quantity"][back],
        -revenue[back],
    )  # fmt: skip
    return [paid, refunds]


def _funnel_events(world: World, rng, sales: dict, notes: np.ndarray, since, *, run: int) -> list[dict]:
    """Clicks (one before each attributed sale, the rest at random), views and carts around them."""
    now = np.datetime64(timezone.now().replace(tzinfo=None), "s")
    start = np.datetime64(since.replace(tzinfo=None), "s")
    pairs = world.note_products
    product_brand = world.user_ids[world.product_brand]
    attributed = notes[:, 0] >= 0 if sales else np.zeros(0, bool)
    n_sales = max(int(attributed.sum()), len(pairs) // 20, 1)
    n_clicks = n_sales * CLICKS_PER_SALE
    picked = pairs[rng.integers(0, len(pairs), n_clicks)]
    # More recent days are busier: RedBook is growing.
    moments = start + (np.sqrt(rng.random(n_clicks)) * (now - start).astype(np.int64)).astype("timedelta64[s]")
    product_idx = picked[:, 1]
    click = {
        "product": world.product_ids[product_idx],
        "brand": product_brand[product_idx],
        "note": world.note_ids[picked[:, 0]],
        "creator": world.user_ids[world.note_author[picked[:, 0]]],
        "at": moments,
    }
    if sales:  # the click that led to each attributed sale, an hour before it
        for name, values in (
            ("product", sales["product"][attributed]),
            ("brand", sales["brand"][attributed]),
            ("note", notes[attributed, 0]),
            ("creator", notes[attributed, 1]),
            ("at", sales["paid_at"][attributed] - np.timedelta64(1, "h")),
        ):
            click[name] = np.concatenate([click[name], values])
    total = len(click["product"])
    clicks = _columns(
        Kind.NOTE_CLICK, [f"demo:{run}:nc:{i}" for i in range(total)], click["at"], click["brand"], click["product"],
        click["note"], click["creator"],
    )  # fmt: skip
    n_views = int(total * VIEWS_PER_CLICK)
    from_click = rng.integers(0, total, n_views)
    views = _columns(
        Kind.PRODUCT_VIEW, [f"demo:{run}:pv:{i}" for i in range(n_views)],
        click["at"][from_click] + np.timedelta64(5, "s"), click["brand"][from_click], click["product"][from_click],
        np.full(n_views, -1), np.full(n_views, -1),
    )  # fmt: skip
    n_carts = int(max(len(sales.get("pk", [])), 1) * CARTS_PER_SALE)
    from_click = rng.integers(0, total, n_carts)
    with_note = rng.random(n_carts) < 0.5
    carts = _columns(
        Kind.ADD_TO_CART, [f"demo:{run}:ac:{i}" for i in range(n_carts)],
        click["at"][from_click] + np.timedelta64(60, "s"), click["brand"][from_click], click["product"][from_click],
        np.where(with_note, click["note"][from_click], -1), np.where(with_note, click["creator"][from_click], -1),
    )  # fmt: skip
    return [clicks, views, carts]


def _merge(*groups: list[dict]) -> dict:
    parts = [part for group in groups for part in group if part["event_id"]]
    merged = {}
    for name in parts[0]:
        values = [part[name] for part in parts]
        merged[name] = (
            np.concatenate(values) if isinstance(values[0], np.ndarray) else [v for value in values for v in value]
        )
    return merged
