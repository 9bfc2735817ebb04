import pytest

from accounts.services import follow_create
from tests.conftest import client_for
from tests.factories import UserFactory


def start(client, username: str) -> int:
    response = client.post("/api/v1/conversations/", {"username": username}, format="json")
    assert response.status_code in (200, 201), response.content
    return response.json()["id"]


def send(client, conversation_id: int, body: str = "hi", **extra) -> dict:
    response = client.post(f"/api/v1/conversations/{conversation_id}/messages/", {"body": body}, format="json", **extra)
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def pair(db):
    """Two accounts that follow each other, with API clients."""
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    follow_create(follower=alice, followee=bob)
    follow_create(follower=bob, followee=alice)
    return alice, bob, client_for(alice), client_for(bob)
