"""A full Explore run spread over ranking workers (feeds/runs.py): batches over one shared
item model, a run that ends when its last batch does, and a lock only its run releases."""

import time

import numpy as np
import pytest

from feeds import runs, services
from feeds.ranking import ItemModel, Ranker
from feeds.store import get_store, trending_key, user_key
from feeds.world import load_world, world_of_users
from redbook.redis import get_redis
from tests.conftest import requires_redis
from tests.feeds.conftest import planted_world

pytestmark = requires_redis


def _batches(size: int) -> list[list[int]]:
    users = services.active_user_ids()
    return [users[start : start + size] for start in range(0, len(users), size)]


def _lists(user_ids) -> dict[int, list[int]]:
    store = get_store()
    return {uid: [note_id for note_id, _s, _r in store.page(user_key(uid), below=None, limit=300)] for uid in user_ids}


def test_ranking_a_batch_on_its_own_users_rows_gives_the_full_rankers_lists(db):
    people, _topics = planted_world(users=24, notes_per_topic=12, likes_per_user=8)
    world = load_world()
    model = ItemModel(world)
    everyone = sorted(p.pk for p in people)
    full = Ranker(world, users=np.asarray(everyone), items=model).rank(everyone, size=50)
    batched = {}
    for start in range(0, len(everyone), 7):
        batch = everyone[start : start + 7]
        batched |= Ranker(world_of_users(world, batch), users=np.asarray(batch), items=model).rank(batch, size=50)
    assert batched == full
    assert len(full) == len(everyone)


@pytest.mark.django_db(transaction=True)
def test_a_run_is_split_into_batches_that_the_worker_takes_and_then_it_ends(celery_worker, settings):
    # given: 20 active users with likes, batches of 6 (4 batches)
    settings.EXPLORE_RUN_BATCH_USERS = 6
    people, topics = planted_world(users=20, notes_per_topic=10, likes_per_user=8)
    # when: beat's task starts a run
    figures = services.explore_rank_all_once()
    assert figures["batches"] == 4 and figures["users"] == 20 and figures["model_bytes"] > 0
    # then: the worker ranks every batch, the last one ends the run: lock and shared model gone
    deadline = time.monotonic() + 60
    while get_redis().exists(runs.RUN_LOCK) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not get_redis().exists(runs.RUN_LOCK)
    assert not get_redis().exists(runs.MODEL_KEY.format(run=figures["run"]))
    lists = _lists(p.pk for p in people)
    assert all(len(ids) > 0 for ids in lists.values())
    # the planted taste shows: most of a user's top 5 comes from their topic
    topic_of = {note.pk: topic for topic, notes in topics.items() for note in notes}
    planted = [sum(topic_of[n] == topic_of[lists[p.pk][0]] for n in lists[p.pk][:5]) for p in people]
    assert sum(planted) / len(planted) >= 3
    assert trending_key() in get_store().existing([trending_key()])


def test_a_redone_batch_counts_once_and_the_last_batch_ends_the_run(db, settings):
    settings.EXPLORE_RUN_BATCH_USERS = 5
    planted_world(users=10, notes_per_topic=6, likes_per_user=5)
    run = runs.run_start()["run"]  # no worker here: this test plays the workers
    first, second = _batches(5)
    runs.run_batch(run=run, index=0, user_ids=first)
    runs.run_batch(run=run, index=0, user_ids=first)  # redelivered after a worker was killed
    assert runs.run_state(run) == {"batches": 2, "done": 1}
    assert get_redis().exists(runs.RUN_LOCK)
    assert runs.run_batch(run=run, index=1, user_ids=second) == 5
    assert runs.run_state(run) == {}
    assert not get_redis().exists(runs.RUN_LOCK)
    # a batch delivered once more after the run ended changes nothing
    assert runs.run_batch(run=run, index=1, user_ids=second) is None


def test_a_run_that_outlived_its_lock_never_releases_the_next_runs_lock(db, settings):
    # given: run A, whose lock expired while its batches were still queued, and run B holding the lock
    settings.EXPLORE_RUN_BATCH_USERS = 50
    planted_world(users=6, notes_per_topic=6, likes_per_user=5)
    run_a = runs.run_start()["run"]
    client = get_redis()
    client.delete(runs.RUN_LOCK)  # what expiry does
    run_b = runs.run_lock(client)
    assert run_b.acquire(blocking=False)
    # when: A's last batch finishes and A releases "its" lock
    (batch,) = _batches(50)
    runs.run_batch(run=run_a, index=0, user_ids=batch)
    # then: B's lock is untouched (a token-checked release, not a DELETE), A's keys are gone
    assert client.get(runs.RUN_LOCK) == run_b.local.token
    assert runs.run_state(run_a) == {}
    assert services.explore_rank_all_once() is None  # B's run still counts as going
    run_b.release()


def test_the_lock_of_a_run_still_planning_expires_sooner_than_a_running_ones(db, settings):
    settings.EXPLORE_RUN_BATCH_USERS = 50
    planted_world(users=4, notes_per_topic=4, likes_per_user=3)
    held = runs.run_lock(get_redis())
    assert held.acquire(blocking=False)
    assert get_redis().ttl(runs.RUN_LOCK) <= runs.PLAN_SECONDS  # a coordinator dying now blocks runs briefly
    held.release()
    runs.run_start()  # planned, its batch queued (no worker here)
    assert get_redis().ttl(runs.RUN_LOCK) > runs.PLAN_SECONDS
