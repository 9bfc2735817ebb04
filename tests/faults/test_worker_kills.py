"""kill -9 Celery workers in the middle of notification, ranking and order-expiry
tasks, many times; then nothing is lost, nothing is done twice, and a fresh worker
answers the canary within a minute."""

import random
import time

import pytest
from django.utils import timezone

from feeds.store import get_store, user_key
from feeds.tasks import rank_active_users, rank_user
from outbox.services import enqueue_on_commit
from posts.models import Notification
from reliability import checks
from shop.models import Order
from tests.faults import actions
from tests.faults.conftest import CANARY_DEADLINE, SHORT, broker, canary_answers_within, catch_up_made, wait_for_drain

pytestmark = pytest.mark.faults

ROUNDS = 8 if SHORT else 30


def _enqueue_ranking(world, rng) -> set[int]:
    users = {user.pk for user in rng.sample(world.users, k=3)}
    for user_id in users:
        enqueue_on_commit(rank_user, user_id=user_id)
    enqueue_on_commit(rank_active_users)
    return users


def _wait_until_busy(timeout: float = 3.0) -> None:
    """Kill while a task is in a worker's hands (taken from the queue, not yet acknowledged)."""
    deadline = time.monotonic() + timeout
    while broker().hlen("unacked") == 0 and time.monotonic() < deadline:
        time.sleep(0.02)


def test_killed_workers_lose_nothing_and_do_nothing_twice(world, workers):
    rng = random.Random(8)
    baseline = checks.stock_baseline()
    worker = workers()
    kills = {"child": 0, "whole worker": 0, "main process": 0}
    started = [worker]
    ranked: set[int] = set()
    for round_number in range(ROUNDS):
        if worker.exited():  # a supervisor (systemd, k8s) restarts a worker that gave up
            worker = workers()
            started.append(worker)
        actions.like_some(world, rng, count=8)
        for user in rng.sample(world.users, k=3):
            actions.checkout(world, rng, user)
        actions.let_holds_lapse(count=2)
        ranked |= _enqueue_ranking(world, rng)
        time.sleep(rng.uniform(0.1, 0.8))
        _wait_until_busy()
        if round_number % 3 == 2:  # the whole worker dies, or only its main process
            if round_number % 2 == 0:
                worker.kill_hard()
                kills["whole worker"] += 1
            else:
                worker.kill_main()
                kills["main process"] += 1
            worker = workers()
            started.append(worker)
        elif worker.kill_a_child():
            kills["child"] += 1

    restarted_at = time.monotonic()
    canary_seconds = canary_answers_within(CANARY_DEADLINE)
    wait_for_drain()
    actions.let_holds_lapse(count=0)  # one last sweep, as beat would send within a minute
    wait_for_drain()
    # Beat's catch-up sweep (every 5 minutes) makes what a killed worker dropped between
    # taking a message off Redis and recording it as unacknowledged.
    made_by_sweep = catch_up_made()

    cut_short = sum(w.tasks_cut_short() for w in started)
    print(f"\nkills: {kills}, tasks killed mid-run seen by a surviving parent: {cut_short}")
    print(f"canary answered {canary_seconds:.1f}s after the last restart")
    print(f"notifications the catch-up sweep made: {made_by_sweep}")
    print(f"drained {time.monotonic() - restarted_at:.0f}s after the last restart")
    assert checks.like_notifications() == [], "a notification task was lost"
    assert Notification.objects.filter(verb=Notification.Verb.LIKE).count() == actions.likes_by_others()
    assert checks.orders() == []
    assert checks.stock(baseline) == [], "a release was lost or done twice"
    assert checks.counters() == []
    assert checks.sold_counts() == []
    overdue = Order.objects.filter(status=Order.Status.PENDING_PAYMENT, expires_at__lte=timezone.now())
    assert not overdue.exists(), "an expiry was lost"
    assert Order.objects.filter(status=Order.Status.CANCELLED).exists()
    assert all(get_store().exists(user_key(user_id)) for user_id in ranked), "a ranking was lost"
