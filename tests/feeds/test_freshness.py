"""Freshness: a user's own like refreshes their Explore list through a real worker, within a minute."""

import time

import pytest

from feeds import runs, services
from feeds.store import get_store, user_key
from feeds.world import world_for_user
from posts import services as post_services
from posts.models import Like
from redbook.redis import get_redis
from tests.conftest import requires_redis
from tests.factories import UserFactory
from tests.feeds.conftest import make_note

pytestmark = requires_redis


def _wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_like_refreshes_the_users_list_through_the_worker(celery_worker):
    # given: a user whose list says food, and travel notes they have not touched
    lover = UserFactory()
    food = [make_note(UserFactory(), tags=["food"]) for _ in range(4)]
    travel = [make_note(UserFactory(), tags=["travel"]) for _ in range(4)]
    post_services.note_like(user=lover, note=food[0])
    assert _wait_for(lambda: user_key(lover.pk) in get_store().existing([user_key(lover.pk)]))
    first = get_store().page(user_key(lover.pk), below=None, limit=1)[0]
    assert first[2] == "tag:food"
    # when: they like travel notes
    for note in travel[:3]:
        post_services.note_like(user=lover, note=note)

    # then: the worker recomputes their list, now led by the remaining travel note
    def led_by_travel():
        top = get_store().page(user_key(lover.pk), below=None, limit=1)
        return bool(top) and top[0][0] == travel[3].pk

    assert _wait_for(led_by_travel)


def test_refresh_requests_are_debounced_until_the_task_starts(db):
    user = UserFactory()
    services.explore_refresh_request(user_id=user.pk)
    assert get_redis().exists(services.DEBOUNCE_KEY.format(user_id=user.pk))
    services.explore_refresh_started(user_id=user.pk)
    assert not get_redis().exists(services.DEBOUNCE_KEY.format(user_id=user.pk))


def test_a_one_user_refresh_reads_that_users_rows_on_the_cached_world(db):
    me, someone = UserFactory(), UserFactory()
    first, second = make_note(UserFactory(), tags=["food"]), make_note(UserFactory(), tags=["food"])
    Like.objects.create(user=me, note=first)
    _world, cached_items = world_for_user(me.pk)  # loads and caches the world and its item model
    Like.objects.create(user=me, note=second)
    Like.objects.create(user=someone, note=second)
    world, items = world_for_user(me.pk)
    pairs = set(zip(world.act_users.tolist(), world.note_ids[world.act_items].tolist(), strict=True))
    # my new like is read fresh; someone else's waits for the next full load (the item model is reused)
    assert pairs == {(me.pk, first.pk), (me.pk, second.pk)}
    assert items is cached_items
    assert items.endorsements.sum() == 1


def test_the_beat_run_skips_while_a_previous_run_is_going(db):
    held = runs.run_lock(get_redis())
    assert held.acquire(blocking=False)
    assert services.explore_rank_all_once() is None
    held.release()
    assert services.explore_rank_all_once()["users"] == 0
    assert not get_redis().exists(runs.RUN_LOCK)  # a run with no batch ends at once
