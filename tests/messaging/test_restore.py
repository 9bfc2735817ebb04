"""A message a spam keyword held and a moderator restored reaches the recipient as a
send would have delivered it."""

import pytest

from messaging.models import Message
from moderation.models import SpamKeyword
from moderation.services import target_restore
from notifications.models import Notification
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.messaging.conftest import send, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_keyword(db):
    SpamKeyword.objects.create(phrase="cheap pills", action=SpamKeyword.Action.HOLD)


def _restore(message_id: int) -> None:
    staff = UserFactory(is_staff=True, is_superuser=True)
    target_restore(target_type="message", target_id=message_id, moderator=staff)


@pytest.mark.parametrize("follows", [True, False])
def test_a_restored_held_message_reaches_the_recipient(held_keyword, follows, pair):
    if follows:
        _alice, bob, a, b = pair
    else:  # strangers: the first message lands in requests
        bob = UserFactory(username="stranger")
        a, b = pair[2], client_for(bob)
    cid = start(a, bob.username)
    held = send(a, cid, "buy CHEAP pills now")
    assert b.get("/api/v1/conversations/").json()["results"] == []
    assert not Notification.objects.filter(recipient=bob).exists()

    _restore(held["id"])

    folder = "inbox" if follows else "requests"
    rows = b.get(f"/api/v1/conversations/?folder={folder}").json()["results"]
    assert [row["id"] for row in rows] == [cid]
    assert rows[0]["last_message"]["id"] == held["id"] and rows[0]["unread_count"] == 1
    assert [m["id"] for m in b.get(f"/api/v1/conversations/{cid}/messages/").json()["results"]] == [held["id"]]
    if follows:
        assert b.get("/api/v1/messages/unread-count/").json() == {"count": 1}
    assert Notification.objects.filter(recipient=bob, dedupe_key=f"message:first:{cid}:{bob.pk}").count() == 1
    assert Message.objects.get(pk=held["id"]).is_hidden is False
