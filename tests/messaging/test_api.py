"""Conversations and messages through the JSON API (API.md "Messages")."""

import io

import pytest
from PIL import Image

from accounts.services import block_create, follow_create, user_suspend
from messaging.models import Membership, Message
from moderation.models import AuditLogEntry, SpamKeyword
from moderation.services import target_take_down
from notifications.models import Notification
from tests.conftest import client_for
from tests.factories import BrandFactory, UserFactory
from tests.messaging.conftest import send, start

pytestmark = pytest.mark.django_db


def test_one_conversation_per_pair(pair):
    _alice, _bob, a, b = pair
    first = a.post("/api/v1/conversations/", {"username": "bob"}, format="json")
    assert first.status_code == 201
    again = b.post("/api/v1/conversations/", {"username": "alice"}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert first.json()["other"]["username"] == "bob"


def test_message_reaches_the_inbox_with_unread_counts_and_read_receipts(pair):
    _alice, _bob, a, b = pair
    cid = start(a, "bob")
    sent = send(a, cid, "where is this from?")
    assert sent["read_by_other"] is False and sent["sender"]["username"] == "alice"

    inbox = b.get("/api/v1/conversations/").json()["results"]
    assert [row["id"] for row in inbox] == [cid]
    assert inbox[0]["unread_count"] == 1 and inbox[0]["is_request"] is False
    assert inbox[0]["last_message"]["body"] == "where is this from?"
    assert b.get("/api/v1/messages/unread-count/").json() == {"count": 1}

    assert b.post(f"/api/v1/conversations/{cid}/read/", {"up_to": sent["id"]}, format="json").status_code == 204
    assert b.get("/api/v1/messages/unread-count/").json() == {"count": 0}
    mine = a.get(f"/api/v1/conversations/{cid}/messages/").json()["results"]
    assert mine[0]["read_by_other"] is True


def test_newest_activity_first(pair):
    alice, _bob, a, b = pair
    carol = UserFactory(username="carol")
    follow_create(follower=alice, followee=carol)
    c = client_for(carol)
    with_bob, with_carol = start(a, "bob"), start(a, "carol")
    send(c, with_carol, "first")
    send(b, with_bob, "second")
    assert [row["id"] for row in a.get("/api/v1/conversations/").json()["results"]] == [with_bob, with_carol]


def test_strangers_land_in_requests_until_accepted(pair):
    alice, _bob, a, _b = pair
    stranger = UserFactory(username="stranger")
    s = client_for(stranger)
    cid = start(s, "alice")
    send(s, cid, "hello there")
    assert a.get("/api/v1/conversations/").json()["results"] == []
    requests = a.get("/api/v1/conversations/?folder=requests").json()["results"]
    assert [row["id"] for row in requests] == [cid] and requests[0]["is_request"] is True
    # The first message of a conversation is a notification.
    assert Notification.objects.filter(recipient=alice, kind="message_new").count() == 1

    assert a.post(f"/api/v1/conversations/{cid}/accept/").status_code == 200
    assert [row["id"] for row in a.get("/api/v1/conversations/").json()["results"]] == [cid]
    assert a.get("/api/v1/conversations/?folder=requests").json()["results"] == []


def test_declining_hides_until_the_next_message(pair):
    _alice, _bob, a, _b = pair
    s = client_for(UserFactory(username="stranger"))
    cid = start(s, "alice")
    send(s, cid, "one")
    assert a.delete(f"/api/v1/conversations/{cid}/").status_code == 204
    assert a.get("/api/v1/conversations/?folder=requests").json()["results"] == []
    send(s, cid, "two")
    rows = a.get("/api/v1/conversations/?folder=requests").json()["results"]
    assert [row["id"] for row in rows] == [cid] and rows[0]["unread_count"] == 1


def test_brands_receive_everything_in_their_inbox(db):
    brand = BrandFactory()
    shopper = client_for(UserFactory())
    cid = start(shopper, brand.username)
    send(shopper, cid, "does it come in blue?")
    rows = client_for(brand).get("/api/v1/conversations/").json()["results"]
    assert [row["id"] for row in rows] == [cid]


def test_idempotent_send(pair):
    _alice, _bob, a, b = pair
    cid = start(a, "bob")
    first = send(a, cid, "once", HTTP_IDEMPOTENCY_KEY="k-1")
    again = send(a, cid, "once", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again["id"] == first["id"]
    assert Message.objects.filter(conversation_id=cid).count() == 1
    assert b.get("/api/v1/messages/unread-count/").json() == {"count": 1}


@pytest.mark.parametrize("blocker_is_recipient", [True, False])
def test_blocked_either_way_is_403_and_nothing_delivered(pair, blocker_is_recipient):
    alice, bob, a, _b = pair
    cid = start(a, "bob")
    if blocker_is_recipient:
        block_create(blocker=bob, blocked=alice)
    else:
        block_create(blocker=alice, blocked=bob)
    response = a.post(f"/api/v1/conversations/{cid}/messages/", {"body": "hi"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "blocked"
    assert not Message.objects.exists()
    assert a.post("/api/v1/conversations/", {"username": "bob"}, format="json").status_code == 403


def test_suspended_accounts_cannot_send(pair):
    alice, _bob, a, b = pair
    cid = start(a, "bob")
    alice.refresh_from_db()
    user_suspend(user=alice)
    response = a.post(f"/api/v1/conversations/{cid}/messages/", {"body": "hi"}, format="json")
    assert response.status_code in (401, 403)
    # ...and nobody can message them.
    response = b.post(f"/api/v1/conversations/{cid}/messages/", {"body": "hi"}, format="json")
    assert response.status_code == 403
    assert not Message.objects.exists()


def test_outsiders_see_nothing(pair):
    _alice, _bob, a, _b = pair
    cid = start(a, "bob")
    send(a, cid)
    outsider = client_for(UserFactory())
    assert outsider.get(f"/api/v1/conversations/{cid}/messages/").status_code == 404
    assert outsider.post(f"/api/v1/conversations/{cid}/messages/", {"body": "x"}, format="json").status_code == 404
    assert outsider.get(f"/api/v1/conversations/{cid}/").status_code == 404


def test_catch_up_after_a_message_id(pair):
    _alice, _bob, a, b = pair
    cid = start(a, "bob")
    ids = [send(a, cid, f"m{i}")["id"] for i in range(5)]
    caught = b.get(f"/api/v1/conversations/{cid}/messages/?after={ids[1]}").json()
    assert [m["id"] for m in caught["results"]] == ids[2:]
    assert caught["next"] is None
    assert b.get(f"/api/v1/conversations/{cid}/messages/?after=x").status_code == 400


def test_older_pages_by_cursor(pair):
    _alice, _bob, a, b = pair
    cid = start(a, "bob")
    ids = [send(a, cid, f"m{i}")["id"] for i in range(5)]
    first = b.get(f"/api/v1/conversations/{cid}/messages/?page_size=3").json()
    assert [m["id"] for m in first["results"]] == ids[::-1][:3]
    second = b.get(first["next"]).json()
    assert [m["id"] for m in second["results"]] == ids[::-1][3:]


def test_share_a_note_and_a_product_and_a_photo(pair, settings):
    _alice, _bob, a, _b = pair
    cid = start(a, "bob")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    buffer.name = "p.png"
    buffer.seek(0)
    response = a.post(f"/api/v1/conversations/{cid}/messages/", {"image": buffer}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["image"]["width"] == 40
    bad = a.post(f"/api/v1/conversations/{cid}/messages/", {"note_id": "999999"}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_note"
    empty = a.post(f"/api/v1/conversations/{cid}/messages/", {"body": "  "}, format="json")
    assert empty.status_code == 400


def test_spam_keyword_holds_the_message_for_review(pair):
    _alice, _bob, a, b = pair
    SpamKeyword.objects.create(phrase="cheap pills", action=SpamKeyword.Action.HOLD)
    cid = start(a, "bob")
    send(a, cid, "buy CHEAP pills now")
    assert b.get(f"/api/v1/conversations/{cid}/messages/").json()["results"] == []
    assert b.get("/api/v1/messages/unread-count/").json() == {"count": 0}
    assert AuditLogEntry.objects.filter(target_type="message", action=AuditLogEntry.Action.HOLD_SPAM).exists()


def test_report_and_take_down_hides_for_both(pair):
    _alice, _bob, a, b = pair
    cid = start(a, "bob")
    keep = send(a, cid, "fine")
    bad = send(a, cid, "abusive")
    outsider = client_for(UserFactory())
    report = {"target_type": "message", "target_id": bad["id"], "reason": "abuse"}
    assert outsider.post("/api/v1/reports/", report, format="json").status_code == 404
    assert a.post("/api/v1/reports/", report, format="json").status_code == 400  # own message
    assert b.post("/api/v1/reports/", report, format="json").status_code == 201

    staff = UserFactory(is_staff=True, is_superuser=True)
    target_take_down(target_type="message", target_id=bad["id"], moderator=staff, reason="abuse")
    for client in (a, b):
        assert [m["id"] for m in client.get(f"/api/v1/conversations/{cid}/messages/").json()["results"]] == [keep["id"]]
    inbox = b.get("/api/v1/conversations/").json()["results"][0]
    assert inbox["last_message"]["id"] == keep["id"] and inbox["unread_count"] == 1
    assert AuditLogEntry.objects.filter(target_type="message", action=AuditLogEntry.Action.HIDE_MESSAGE).exists()


def test_bad_input_is_a_clear_4xx(pair):
    _alice, _bob, a, _b = pair
    cid = start(a, "bob")
    assert a.get("/api/v1/conversations/?folder=spam").status_code == 400
    assert a.post("/api/v1/conversations/", {"username": "nobody-here"}, format="json").status_code == 404
    assert a.post("/api/v1/conversations/", {"username": "alice"}, format="json").status_code == 400
    assert a.post(f"/api/v1/conversations/{cid}/read/", {"up_to": "abc"}, format="json").status_code == 400
    long_key = {"HTTP_IDEMPOTENCY_KEY": "k" * 65}
    assert a.post(f"/api/v1/conversations/{cid}/messages/", {"body": "x"}, format="json", **long_key).status_code == 400
    assert client_for(UserFactory()).get("/api/v1/conversations/99999999999/messages/").status_code == 404
    assert a.get("/api/v1/conversations/").status_code == 200
    assert client_for(UserFactory()).post("/api/v1/conversations/", {}, format="json").status_code == 400


def test_anonymous_is_401(anon_client):
    assert anon_client.get("/api/v1/conversations/").status_code in (401, 403)
    assert anon_client.post("/api/v1/realtime/ticket/").status_code in (401, 403)


def test_new_accounts_have_a_stricter_daily_limit(pair, settings):
    _alice, _bob, a, _b = pair
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "message_new": "2/day", "message": "100/day"},
    }
    cid = start(a, "bob")
    send(a, cid, "1")
    send(a, cid, "2")
    assert a.post(f"/api/v1/conversations/{cid}/messages/", {"body": "3"}, format="json").status_code == 429


def test_inbox_queries_are_bounded(pair, django_assert_max_num_queries):
    alice, _bob, a, _b = pair
    for i in range(12):
        other = UserFactory()
        c = client_for(other)
        follow_create(follower=alice, followee=other)
        send(c, start(c, "alice"), f"hello {i}")
    with django_assert_max_num_queries(8):
        rows = a.get("/api/v1/conversations/?page_size=50").json()["results"]
    assert len(rows) == 12
    assert Membership.objects.filter(user=alice).count() == 12
