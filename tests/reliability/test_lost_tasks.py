"""A task a worker took off Redis and died with is gone for good; beat's catch-up sweeps
still make its side effect, through the real broker and a real worker.

The loss is made as a kill -9 makes it: the message is popped off the queue (the
worker's BRPOP) and never recorded as unacknowledged, so no visibility timeout brings
it back. Then only the sweep, sent to a worker as beat sends it, can redo the work.
"""

import json
import time
from datetime import timedelta

import pytest

from moderation import services as moderation_services
from notifications.models import Notification
from posts import services as note_services
from posts.models import Note
from redbook.celery import app
from redbook.redis import get_redis
from reliability import sweeps
from reliability.tasks import notifications_catch_up
from search.models import IndexBacklog, NoteDocument
from search.tasks import index_backlog_catch_up
from tests.conftest import real_worker, requires_redis
from tests.factories import UserFactory

pytestmark = [requires_redis, pytest.mark.django_db(transaction=True)]


def lose_every_queued_task() -> list[str]:
    """Take every queued message off Redis and drop it; returns the tasks' names."""
    client, lost = get_redis(), []
    for queue in app.amqp.queues:
        while (message := client.rpop(queue)) is not None:
            lost.append(json.loads(message)["headers"]["task"])
    return lost


def wait_for(condition, *, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_a_lost_index_task_is_redone_by_the_search_catch_up(settings):
    settings.SEARCH_INDEX_INLINE = False  # the index write goes through Celery
    author = UserFactory()
    note = Note.objects.create(author=author, title="旧标题", body="b")
    note_services.note_update(note=note, editor=author, title="保湿面霜推荐")

    assert "search.index_notes" in lose_every_queued_task()
    with real_worker():
        time.sleep(1)  # the worker has nothing to run: the index task is gone
        assert not NoteDocument.objects.filter(pk=note.pk).exists()
        index_backlog_catch_up.delay(grace_seconds=0)
        wait_for(lambda: NoteDocument.objects.filter(pk=note.pk).exists(), what="the catch-up to index the note")

    assert not IndexBacklog.objects.exists()


def test_a_lost_decision_notification_is_made_by_the_notification_catch_up():
    author, reporter = UserFactory(), UserFactory()
    moderator = UserFactory(is_staff=True, is_superuser=True)
    note = Note.objects.create(author=author, title="Too good to be true")
    moderation_services.report_create(reporter=reporter, target_type="note", target_id=str(note.pk), reason="fake")
    moderation_services.target_take_down(target_type="note", target_id=note.pk, moderator=moderator, reason="paid")

    assert "moderation.notify_decision" in lose_every_queued_task()
    with real_worker():
        time.sleep(1)
        assert not Notification.objects.filter(verb=Notification.Verb.SYSTEM).exists()
        notifications_catch_up.delay(grace_seconds=0)
        system = Notification.objects.filter(verb=Notification.Verb.SYSTEM)
        wait_for(lambda: system.count() == 2, what="the catch-up to notify the reporter and the author")

    assert set(system.values_list("recipient_id", flat=True)) == {reporter.pk, author.pk}
    assert sweeps.notifications_catch_up(grace=timedelta(0))["AuditLogEntry"] == 0  # nothing owed twice
