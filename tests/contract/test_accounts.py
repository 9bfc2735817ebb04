"""API.md "Accounts", walked as a client: register, token, me, profiles, follow, block, logout."""

import pytest
from rest_framework.test import APIClient

from tests.contract.conftest import (
    PASSWORD,
    USER_FIELDS,
    api,
    assert_error,
    assert_list,
    assert_user,
    jpeg,
    post_note,
)

pytestmark = pytest.mark.django_db


def register(client, username, **extra):
    return client.post(api("auth/register/"), {"username": username, "password": PASSWORD, **extra}, format="json")


def token_client(username, password=PASSWORD) -> APIClient:
    client = APIClient()
    response = client.post(api("auth/token/"), {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    assert set(response.json()) >= {"token"} and response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def test_register_token_me_and_profile_edit():
    anon = APIClient()
    response = register(anon, "mei", email="mei@example.com", display_name="Mei 美")
    assert response.status_code == 201, response.content
    user = response.json()
    assert_user(user)
    assert user["username"] == "mei" and user["display_name"] == "Mei 美"
    assert user["is_brand"] is False and user["is_verified"] is False
    assert user["followers_count"] == user["following_count"] == user["notes_count"] == 0
    assert "password" not in user

    client = token_client("mei")
    me = client.get(api("me/"))
    assert me.status_code == 200
    assert_user(me.json())
    assert me.json()["username"] == "mei"

    patched = client.patch(api("me/"), {"display_name": "Mei Lin", "bio": "skincare nerd"}, format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["display_name"] == "Mei Lin" and patched.json()["bio"] == "skincare nerd"
    assert_user(patched.json())

    with_avatar = client.patch(api("me/"), {"avatar": jpeg("me.jpg", size=(400, 400))}, format="multipart")
    assert with_avatar.status_code == 200, with_avatar.content
    avatar_url = with_avatar.json()["avatar_url"]
    assert avatar_url and "/media/" in avatar_url
    served = client.get(avatar_url.split("testserver", 1)[-1])
    assert served.status_code == 200

    public = anon.get(api("users/mei/"))
    assert public.status_code == 200
    assert_user(public.json())
    assert public.json()["display_name"] == "Mei Lin"
    assert public.json()["followed_by_me"] is False


def test_register_brand_account_is_brand():
    response = register(APIClient(), "glowco", account_type="brand")
    assert response.status_code == 201, response.content
    assert response.json()["is_brand"] is True
    assert response.json()["is_verified"] is False  # granted by staff only


def test_register_duplicate_username_and_bad_input_are_4xx():
    anon = APIClient()
    assert register(anon, "dup").status_code == 201
    assert_error(register(anon, "dup"), 409)  # API.md: 409 for a duplicate
    assert_error(register(anon, "dup2", account_type="admin"), 400)
    assert_error(anon.post(api("auth/register/"), {"username": "x"}, format="json"), 400)
    assert_error(anon.post(api("auth/register/"), {"username": "weak", "password": "123"}, format="json"), 400)


def test_token_with_wrong_password_is_4xx_and_unauthenticated_me_is_401(alice):
    anon = APIClient()
    bad = anon.post(api("auth/token/"), {"username": "alice", "password": "nope-nope-nope"}, format="json")
    assert_error(bad, 400, 401)
    assert_error(anon.get(api("me/")), 401)
    assert_error(anon.patch(api("me/"), {"bio": "x"}, format="json"), 401)


def test_a_burst_of_failed_logins_is_throttled(alice):
    anon = APIClient()
    statuses = [
        anon.post(api("auth/token/"), {"username": "alice", "password": f"wrong-{i}"}, format="json").status_code
        for i in range(15)
    ]
    assert 429 in statuses, statuses
    assert 500 not in statuses


def test_logout_revokes_the_token(alice):
    client = token_client("alice", "correct-horse-9")
    assert client.get(api("me/")).status_code == 200
    assert client.post(api("auth/logout/")).status_code == 204
    assert_error(client.get(api("me/")), 401)


def test_follow_unfollow_idempotent_with_counts_and_lists(alice_client, bob_client, alice, bob, carol):
    url = api("users/bob/follow/")
    assert alice_client.post(url).status_code == 201
    assert alice_client.post(url).status_code == 201  # idempotent
    bob_view = alice_client.get(api("users/bob/")).json()
    assert bob_view["followers_count"] == 1 and bob_view["followed_by_me"] is True
    assert alice_client.get(api("users/alice/")).json()["following_count"] == 1

    followers = assert_list(alice_client.get(api("users/bob/followers/")))
    assert [u["username"] for u in followers] == ["alice"]
    for row in followers:
        assert_fields_user(row)
    following = assert_list(alice_client.get(api("users/alice/following/")))
    assert [u["username"] for u in following] == ["bob"]
    assert following[0]["followed_by_me"] is True

    assert alice_client.delete(url).status_code == 204
    assert alice_client.delete(url).status_code == 204  # idempotent
    assert alice_client.get(api("users/bob/")).json()["followers_count"] == 0
    assert assert_list(alice_client.get(api("users/bob/followers/"))) == []

    assert_error(alice_client.post(api("users/alice/follow/")), 400, 403, 409)  # no self-follow
    assert_error(alice_client.post(api("users/nobody-here/follow/")), 404)
    assert_error(APIClient().post(url), 401)


def assert_fields_user(row):
    assert set(row) >= USER_FIELDS
    assert_user(row)


def test_user_notes_list(alice_client, bob_client):
    first = post_note(alice_client, title="first")
    second = post_note(alice_client, title="second")
    rows = assert_list(bob_client.get(api("users/alice/notes/")))
    assert [r["id"] for r in rows] == [second["id"], first["id"]]
    assert bob_client.get(api("users/alice/")).json()["notes_count"] == 2
    assert_error(bob_client.get(api("users/nobody-here/notes/")), 404)
    assert_error(bob_client.get(api("users/nobody-here/")), 404)


def test_block_hides_each_from_the_other_and_stops_follows(alice_client, bob_client):
    note = post_note(bob_client, title="bob's note")
    assert alice_client.post(api("users/bob/follow/")).status_code == 201
    assert bob_client.post(api("users/alice/block/")).status_code == 201
    assert bob_client.post(api("users/alice/block/")).status_code == 201  # idempotent
    # The block ends the follow and the blocked user cannot follow again.
    assert bob_client.get(api("users/bob/")).json()["followers_count"] == 0
    assert_error(alice_client.post(api("users/bob/follow/")), 403, 404)
    # The blocked user no longer sees the blocker's content.
    assert alice_client.get(api(f"notes/{note['id']}/")).status_code == 404
    listed = alice_client.get(api("users/bob/notes/"))
    assert listed.status_code == 404 or note["id"] not in [n["id"] for n in assert_list(listed)]
    alice_note = post_note(alice_client, title="alice's")
    assert bob_client.get(api(f"notes/{alice_note['id']}/")).status_code == 404  # both ways
    assert_error(alice_client.post(api(f"notes/{note['id']}/comments/"), {"body": "hi"}, format="json"), 403, 404)
    assert bob_client.delete(api("users/alice/block/")).status_code == 204
    assert bob_client.delete(api("users/alice/block/")).status_code == 204
    assert alice_client.get(api(f"notes/{note['id']}/")).status_code == 200
