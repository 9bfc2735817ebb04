"""A shared note shows only to a reader who may open it: a block either way or a
suspended author makes it unavailable (null), at a bounded number of queries."""

import pytest

from accounts.services import block_create, user_suspend
from posts.models import Note
from tests.factories import UserFactory
from tests.messaging.conftest import start

pytestmark = pytest.mark.django_db


def _share(client, cid, note) -> dict:
    response = client.post(f"/api/v1/conversations/{cid}/messages/", {"note_id": note.pk}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _notes_seen(client, cid) -> list:
    return [m["note"] for m in client.get(f"/api/v1/conversations/{cid}/messages/").json()["results"]]


@pytest.mark.parametrize("how", ["author_blocked_reader", "reader_blocked_author", "author_suspended"])
def test_a_note_the_reader_may_not_open_is_unavailable(pair, how):
    _alice, bob, a, b = pair
    carol = UserFactory()
    note = Note.objects.create(author=carol, title="secret title", body="b", status=Note.Status.PUBLISHED)
    cid = start(a, "bob")
    assert _share(a, cid, note)["note"]["title"] == "secret title"
    assert _notes_seen(b, cid)[0]["title"] == "secret title"

    if how == "author_blocked_reader":
        block_create(blocker=carol, blocked=bob)
    elif how == "reader_blocked_author":
        block_create(blocker=bob, blocked=carol)
    else:
        user_suspend(user=carol, reason="x")

    assert _notes_seen(b, cid) == [None]
    assert b.get("/api/v1/conversations/").json()["results"][0]["last_message"]["note"] is None
    assert b.get(f"/api/v1/conversations/{cid}/").json()["last_message"]["note"] is None
    if how != "author_suspended":  # the sender, not involved in the block, still sees it
        assert _notes_seen(a, cid)[0]["title"] == "secret title"


def test_shared_notes_cost_no_query_per_message(pair, django_assert_max_num_queries):
    _alice, _bob, a, b = pair
    cid = start(a, "bob")
    for i in range(6):
        _share(a, cid, Note.objects.create(author=UserFactory(), title=f"n{i}", body="b", status=Note.Status.PUBLISHED))
    with django_assert_max_num_queries(10):
        seen = _notes_seen(b, cid)
    assert len(seen) == 6 and all(seen)
