"""Crash Postgres (immediate stop: every connection cut mid-transaction) while users
check out through gunicorn: they get clean 503s, never a 500, for as long as it is
down; the app recovers by itself; no order is half-written and stock reconciles."""

import json
import time

import pytest
from django.db import connections

from reliability import checks
from shop.models import Order
from tests.faults.conftest import CANARY_DEADLINE, SHORT, canary_answers_within, wait_for_drain
from tests.faults.processes import wait_until
from tests.faults.traffic import Traffic

pytestmark = pytest.mark.faults

DOWN_SECONDS = 5 if SHORT else 12  # at least; longer until a request has met the crash
MET_DEADLINE = 60  # beyond DOWN_SECONDS, for a request to answer 503 (the pool waits 10 s)
RECOVERY_DEADLINE = 30  # seconds from Postgres accepting connections to a served request


def test_checkouts_through_a_postgres_crash(world, workers, server, private_postgres):
    baseline = checks.stock_baseline()
    workers()
    traffic = Traffic(server.url, world)
    threads = traffic.run_in_threads(4, writes=("checkout", "checkout", "like"))
    time.sleep(4)

    private_postgres.crash()
    traffic.phase = "outage"
    down_at = time.monotonic()
    # Down for DOWN_SECONDS and until a request has met the crash (a 503). Not a fixed
    # sleep: on a loaded machine every thread can be inside a request that waits in the
    # pool (DB_POOL_TIMEOUT, 10 s) through a short outage and then succeeds, proving nothing.
    wait_until(
        lambda: time.monotonic() - down_at >= DOWN_SECONDS and traffic.answered(503) > 0,
        timeout=DOWN_SECONDS + MET_DEADLINE,
        what="a request to meet the crash (a 503)",
    )
    down_for = time.monotonic() - down_at
    private_postgres.start()
    back_at = time.monotonic()
    connections.close_all()  # this test's own connection died too (a request would start afresh)
    traffic.phase = "after"
    time.sleep(10)
    traffic.stop(threads)
    canary_seconds = canary_answers_within(CANARY_DEADLINE)
    wait_for_drain()

    unavailable = [o for o in traffic.outcomes if o.status == 503]
    served_after = [o.at - back_at for o in traffic.outcomes if o.at > back_at and o.status < 500]
    for phase in ("before", "outage", "after"):
        print(f"\n{phase} (Postgres down {down_for:.1f}s): {dict(traffic.statuses(phase=phase))}", end="")
    print()
    print(f"first request served {min(served_after):.1f}s after Postgres was back; canary {canary_seconds:.1f}s")
    assert traffic.failures(allowed=(503,)) == [], "a 500 or a dropped connection while Postgres restarted"
    assert unavailable, "the crash met no request"
    api_503 = [o for o in unavailable if o.name != "page"]
    assert all(json.loads(o.body)["code"] == "service_unavailable" for o in api_503)
    assert min(served_after) < RECOVERY_DEADLINE
    assert traffic.statuses(phase="after")[("checkout", 201)] > 0, "checkouts did not recover"

    placed = set(Order.objects.values_list("idempotency_key", flat=True))
    confirmed = {key for key, status in traffic.checkouts.items() if status in (200, 201)}
    assert confirmed <= placed, "a confirmed checkout has no order"
    assert checks.orders() == [], "a half-written order"
    assert checks.stock(baseline) == []
    assert checks.counters() == []
