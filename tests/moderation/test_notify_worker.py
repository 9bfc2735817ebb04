"""Through the real broker and a real worker: a decision reaches the reporter's notifications."""

import time

import pytest

from moderation import services
from notifications.models import Notification
from posts.models import Note
from tests.conftest import requires_redis
from tests.factories import UserFactory

pytestmark = [requires_redis, pytest.mark.django_db(transaction=True)]


def test_the_reporter_is_notified_after_commit(celery_worker, moderator):
    author, reporter = UserFactory(), UserFactory()
    note = Note.objects.create(author=author, title="Too good to be true")
    services.report_create(reporter=reporter, target_type="note", target_id=str(note.pk), reason="fake")

    services.target_take_down(target_type="note", target_id=note.pk, moderator=moderator, reason="paid review")

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and Notification.objects.filter(verb="system").count() < 2:
        time.sleep(0.2)
    texts = dict(Notification.objects.filter(verb="system").values_list("recipient_id", "text"))
    assert "took it down" in texts[reporter.pk]
    assert "paid review" in texts[author.pk]
