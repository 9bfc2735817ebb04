"""Analytics in `make bench`: the brand dashboard endpoint, the cost of recording an event,
and the rollup of a day of events at the volume of scale L.

- `endpoint()`: `brand/analytics/` over 90 days for the brand with the most figures
  (measured by wrk like the others; its p99 / B1 is in the table).
- `recording_figure()`: the time `event_record` adds to the request that records it
  (one Redis RPUSH), in process, over many calls.
- `rollup_figure()`: inserts a day of events as 100k active users leave them (views,
  note clicks, carts, orders) into a day of its own, then times `days_rebuild` of that
  day: the work beat's rollup does for a day at L, whatever the seeded scale.
"""

import statistics
import time
from datetime import timedelta

import numpy as np
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from accounts.services import token_issue
from analytics.events import event_record
from analytics.models import DailyStat, Event, Kind, Scope
from analytics.rollups import days_rebuild
from redbook.redis import get_redis
from shop.models import Product

L_USERS = 100_000
# Per active user and day: what a shopping social app's users leave.
PER_USER = {Kind.PRODUCT_VIEW: 4.0, Kind.NOTE_CLICK: 2.0, Kind.ADD_TO_CART: 0.4, Kind.ORDER: 0.08}
RECORDINGS = 5_000


def endpoint():
    from tests.bench.targets import Endpoint

    top = (
        DailyStat.objects.filter(scope=Scope.BRAND)
        .values("brand_id")
        .annotate(revenue=Sum("revenue"))
        .order_by("-revenue")
        .first()
    )
    if top is None:
        return None
    from accounts.models import User

    brand = User.objects.get(pk=top["brand_id"])
    today = timezone.localdate()
    path = f"/api/v1/brand/analytics/?from={today - timedelta(days=89)}&to={today}"
    header = {"Authorization": f"Token {token_issue(user=brand, name='bench')[1]}"}
    return Endpoint("brand_analytics", "/api/v1/brand/analytics/ (90 days, top brand)", [path], [header])


def recording_figure() -> str:
    """Mean and p99 of one `event_record` (what a product view or a note click adds to its request)."""
    product = Product.objects.order_by("pk").first()
    if product is None or get_redis() is None:
        return "n/a"
    timings = []
    for i in range(RECORDINGS):
        started = time.perf_counter()
        event_record(event_id=f"bench:pv:{i}", kind=Kind.PRODUCT_VIEW, brand_id=product.brand_id, product_id=product.pk)
        timings.append((time.perf_counter() - started) * 1000)
    get_redis().delete("rb:analytics:events")  # not part of the seeded world
    timings.sort()
    return (
        f"mean {statistics.fmean(timings):.3f} ms, p99 {timings[int(len(timings) * 0.99)]:.3f} ms ({RECORDINGS} calls)"
    )


def rollup_figure(users: int = L_USERS) -> str:
    """Seconds to rebuild one day holding the events of `users` active users (a day far back, removed after)."""
    day = timezone.localdate() - timedelta(days=400)
    products = np.array(Product.objects.values_list("pk", "brand_id"))
    notes = np.array(_notes_with_authors())
    if len(products) == 0 or len(notes) == 0:
        return "n/a"
    rng = np.random.default_rng(16)
    count = _insert_day(rng, day, users, products, notes)
    started = time.perf_counter()
    rows = days_rebuild(day)
    seconds = time.perf_counter() - started
    Event.objects.filter(day=day).delete()
    DailyStat.objects.filter(day=day).delete()
    return f"{seconds:.1f} s for {count:,} events of {users:,} users ({rows:,} rollup rows)"


def _notes_with_authors() -> list:
    from posts.models import Note

    return list(Note.objects.order_by("-pk").values_list("pk", "author_id")[:50_000])


def _insert_day(rng, day, users: int, products: np.ndarray, notes: np.ndarray) -> int:
    total = 0
    statement = (
        f"COPY {Event._meta.db_table} (event_id, kind, day, occurred_at, brand_id, product_id, note_id, creator_id,"
        " order_id, units, revenue, currency) FROM STDIN"
    )
    moment = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())) + timedelta(hours=12)
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for kind, per_user in PER_USER.items():
            n = int(users * per_user)
            product = products[rng.integers(0, len(products), n)]
            note = notes[rng.integers(0, len(notes), n)]
            from_note = rng.random(n) < (1.0 if kind == Kind.NOTE_CLICK else 0.4)
            for i in range(n):
                note_id, creator_id = (int(note[i, 0]), int(note[i, 1])) if from_note[i] else (None, None)
                is_order = kind == Kind.ORDER
                copy.write_row(
                    (
                        f"bench:{day}:{int(kind)}:{i}", int(kind), day, moment, int(product[i, 1]), int(product[i, 0]),
                        note_id, creator_id, i if is_order else None, 1 if is_order else 0,
                        "99.00" if is_order else "0", "CNY",
                    )
                )  # fmt: skip
            total += n
    return total
