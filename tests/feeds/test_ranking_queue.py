"""The full Explore ranking has a queue of its own ("ranking"); a like's refresh stays on the
short tasks' queue, and a worker started without -Q (the embedded mode, the tests') consumes both."""

import time

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from feeds.store import get_store, trending_key, user_key
from posts.models import Like
from redbook.celery import app
from tests.conftest import requires_redis
from tests.factories import UserFactory
from tests.feeds.conftest import make_note

BEAT_RANKING = settings.CELERY_BEAT_SCHEDULE["feeds-rank-explore"]["task"]


def _queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_the_full_ranking_goes_to_the_ranking_queue_and_a_likes_refresh_does_not():
    assert _queue_of(BEAT_RANKING) == "ranking"
    # The refresh after a like keeps its minute: behind a full run it could wait for minutes.
    assert _queue_of("feeds.rank_user") == settings.CELERY_TASK_DEFAULT_QUEUE


def test_every_queue_a_task_is_routed_to_is_consumed_by_a_worker_without_q():
    declared = {queue.name for queue in settings.CELERY_TASK_QUEUES}
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed | {settings.CELERY_TASK_DEFAULT_QUEUE} <= declared
    keys = [queue.routing_key for queue in app.amqp.queues.values()]
    assert len(set(keys)) == len(keys)  # a key shared by two queues would deliver a message to both


@requires_redis
@pytest.mark.django_db(transaction=True)
def test_beats_full_ranking_runs_on_the_tests_worker(celery_worker):
    # given: the suite's worker consuming every declared queue, and an active user who likes food
    consumed = {queue.name for queue in celery_worker.consumer.task_consumer.queues}
    assert consumed == {queue.name for queue in settings.CELERY_TASK_QUEUES}
    lover = UserFactory()
    User.objects.filter(pk=lover.pk).update(last_active_at=timezone.now())
    liked, unseen = make_note(UserFactory(), tags=["food"]), make_note(UserFactory(), tags=["food"])
    Like.objects.create(user=lover, note=liked)
    # when: beat's ranking task is sent as beat sends it (by name, routed by the settings)
    app.send_task(BEAT_RANKING)
    # then: the worker takes it off the "ranking" queue and writes the lists
    deadline = time.monotonic() + 30
    while user_key(lover.pk) not in get_store().existing([user_key(lover.pk)]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert get_store().page(user_key(lover.pk), below=None, limit=1)[0][0] == unseen.pk
    assert trending_key() in get_store().existing([trending_key()])
