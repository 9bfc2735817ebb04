"""kill -9 Celery workers in the middle of notification, ranking, order-expiry, search
index and moderation-decision tasks, many times; then nothing is lost, nothing is done
twice, and a fresh worker answers the canary within a minute."""

import random
import time

import pytest
from django.utils import timezone

from feeds.store import get_store, user_key
from feeds.tasks import rank_active_users, rank_user
from notifications.models import Notification
from outbox.services import enqueue_on_commit
from posts.models import Note
from reliability import checks
from search import indexing
from shop.models import Order
from tests.factories import UserFactory
from tests.faults import actions
from tests.faults.conftest import (
    CANARY_DEADLINE,
    SHORT,
    broker,
    canary_answers_within,
    catch_up_made,
    search_catch_up_made,
    wait_for_drain,
)

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


@pytest.fixture
def flagged_notes(transactional_db) -> list[Note]:
    """Notes the rounds report, take down and restore (apart from those that get liked)."""
    author = UserFactory(notes_count=4)
    notes = [Note.objects.create(author=author, title=f"flagged {i}", body="too good to be true") for i in range(4)]
    indexing.notes_index(note_ids=[note.pk for note in notes])
    return notes


def test_killed_workers_lose_nothing_and_do_nothing_twice(world, workers, flagged_notes, settings):
    settings.SEARCH_INDEX_INLINE = False  # every index write is a task a kill can meet
    rng = random.Random(8)
    baseline = checks.stock_baseline()
    moderator = UserFactory(is_staff=True, is_superuser=True)
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
        actions.edit_a_note(world, rng, token=f"r{round_number}")
        actions.moderate(rng, flagged_notes, moderator, world.users)
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
    # Beat's catch-up sweeps (every 5 minutes) redo what a killed worker dropped between
    # taking a message off Redis and recording it as unacknowledged.
    made_by_sweep = catch_up_made()
    reindexed_by_sweep = search_catch_up_made()

    cut_short = sum(w.tasks_cut_short() for w in started)
    print(f"\nkills: {kills}, tasks killed mid-run seen by a surviving parent: {cut_short}")
    print(f"canary answered {canary_seconds:.1f}s after the last restart")
    print(f"notifications the catch-up sweep made: {made_by_sweep}; re-indexed by the search one: {reindexed_by_sweep}")
    print(f"drained {time.monotonic() - restarted_at:.0f}s after the last restart")
    assert checks.like_notifications() == [], "a notification task was lost"
    assert checks.decision_notifications() == [], "a moderation decision notified nobody"
    assert checks.search_index() == [], "an index task was lost"
    assert Notification.objects.filter(verb=Notification.Verb.LIKE).count() == actions.likes_by_others()
    assert checks.orders() == []
    assert checks.stock(baseline) == [], "a release was lost or done twice"
    assert checks.counters() == []
    assert checks.sold_counts() == []
    overdue = Order.objects.filter(status=Order.Status.PENDING_PAYMENT, expires_at__lte=timezone.now())
    assert not overdue.exists(), "an expiry was lost"
    assert Order.objects.filter(status=Order.Status.CANCELLED).exists()
    lists = {user_key(user_id) for user_id in ranked}
    assert get_store().existing(list(lists)) == lists, "a ranking was lost"
