"""Stop Redis (cache, broker, view buffer, Explore store) while users write through
gunicorn: every write still succeeds, its task is parked and sent later, reads keep
answering, /readyz says why it is not ready, and the worker resumes by itself."""

import time

import pytest
import requests

from outbox.models import PendingTask
from outbox.services import outbox_resend
from posts.models import Comment, Like
from posts.view_counts import views_flush
from reliability import checks
from shop.models import Order
from tests.faults.conftest import (
    CANARY_DEADLINE,
    SHORT,
    canary_answers_within,
    catch_up_made,
    search_catch_up_made,
    wait_for_drain,
)
from tests.faults.processes import wait_until
from tests.faults.traffic import Traffic

pytestmark = pytest.mark.faults

OUTAGE_SECONDS = 8 if SHORT else 20  # at least; longer until a write has met the outage
MET_DEADLINE = 60  # beyond OUTAGE_SECONDS, for a write to park its task


def _readyz(server) -> tuple[int, str]:
    response = requests.get(server.url + "/readyz", timeout=10)
    return response.status_code, response.text


@pytest.mark.parametrize("crash", [True] if SHORT else [True, False], ids=lambda crash: "kill -9" if crash else "stop")
def test_writes_succeed_and_nothing_is_lost_while_redis_is_down(world, workers, server, private_redis, crash):
    baseline = checks.stock_baseline()
    workers()
    traffic = Traffic(server.url, world)
    threads = traffic.run_in_threads(4, writes=("like", "save", "follow", "comment", "post", "checkout"))
    time.sleep(4)

    private_redis.stop(crash=crash)
    traffic.phase = "outage"
    down_at = time.monotonic()
    # Down for OUTAGE_SECONDS and until a write's task was parked: proof that writes met
    # the outage, whatever the machine's load does to the timing.
    wait_until(
        lambda: time.monotonic() - down_at >= OUTAGE_SECONDS and PendingTask.objects.exists(),
        timeout=OUTAGE_SECONDS + MET_DEADLINE,
        what="a write to park its task",
    )
    readiness_during = _readyz(server)
    down_for = time.monotonic() - down_at
    parked = PendingTask.objects.count()
    private_redis.start()
    traffic.phase = "after"
    back_at = time.monotonic()
    time.sleep(4)
    traffic.stop(threads)

    canary_answers_within(CANARY_DEADLINE)
    recovered_after = time.monotonic() - back_at
    while outbox_resend()[0]:  # what beat's outbox.resend_pending does every minute
        pass
    wait_for_drain()
    views_flush()
    # Beat's catch-up sweep: a message Redis handed out (BRPOP) as it died never reached a worker.
    made_by_sweep = catch_up_made()
    reindexed_by_sweep = search_catch_up_made()

    print(f"\noutage {down_for:.0f}s; writes during it: {dict(traffic.statuses(write=True, phase='outage'))}")
    print(f"reads during it: {dict(traffic.statuses(write=False, phase='outage'))}")
    print(f"parked tasks during the outage: {parked}; canary answered {recovered_after:.1f}s after restart")
    print(f"notifications the catch-up sweep made: {made_by_sweep}; re-indexed by the search one: {reindexed_by_sweep}")
    assert traffic.failures(write=True, allowed=()) == [], "a write failed while Redis was down"
    assert traffic.failures(write=False, allowed=()) == [], "a read failed while Redis was down"
    outage_writes = traffic.statuses(write=True, phase="outage")
    assert sum(n for (name, status), n in outage_writes.items() if status < 300) > 0
    assert readiness_during[0] == 503 and "redis" in readiness_during[1]
    assert _readyz(server)[0] == 200
    assert parked > 0, "no task was parked: the outage did not meet a write"
    assert recovered_after < CANARY_DEADLINE
    assert Like.objects.exists() and Comment.objects.exists() and Order.objects.exists()
    assert checks.like_notifications() == [], "a parked notification was never sent"
    assert checks.search_index() == [], "a parked index task was never run"
    assert checks.orders() == []
    assert checks.stock(baseline) == []
    assert checks.counters() == []
    assert checks.view_counts() == []
