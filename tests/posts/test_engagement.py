"""Likes, saves, boards, re-shares, shares, comments: counters, idempotence, authorization."""

import threading

import pytest
from django.db import connection
from django.test import Client

from accounts.models import Block
from accounts.services import block_create, user_suspend
from moderation.services import target_take_down
from posts import services
from posts.models import Collection, Comment, Like, Note, Reshare, Save
from redbook.exceptions import Forbidden, Invalid
from reliability import checks
from tests.conftest import client_for, requires_postgres
from tests.factories import UserFactory
from tests.moderation.conftest import ensure_moderators_group
from tests.posts.test_lists_and_pages import browser_for

pytestmark = pytest.mark.django_db


def _counts(note) -> tuple:
    note.refresh_from_db()
    return note.like_count, note.save_count, note.comment_count, note.reshare_count, note.share_count


def test_like_and_unlike_are_idempotent(note, other_user):
    client = client_for(other_user)
    url = f"/api/v1/notes/{note.pk}/like/"
    assert client.post(url).status_code == 201
    assert client.post(url).json() == {"like_count": 1}
    assert client.get(f"/api/v1/notes/{note.pk}/").json()["liked_by_me"] is True
    assert client.delete(url).status_code == 204
    assert client.delete(url).status_code == 204
    assert _counts(note)[0] == 0 and not Like.objects.exists()


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_likes_count_once(make_note, other_user):
    note = make_note()
    barrier = threading.Barrier(4)

    def like():
        barrier.wait()
        try:
            services.note_like(user=other_user, note=note)
        finally:
            connection.close()

    threads = [threading.Thread(target=like) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Like.objects.filter(note=note).count() == 1
    assert _counts(note)[0] == 1


def test_save_goes_to_saved_or_a_board_and_moves(note, other_user):
    client = client_for(other_user)
    url = f"/api/v1/notes/{note.pk}/save/"
    assert client.post(url).status_code == 201
    default = Collection.objects.get(owner=other_user, is_default=True)
    board = client.post("/api/v1/collections/", {"name": "Cafés", "is_private": True}, format="json").json()
    assert client.post(url, {"collection_id": board["id"]}, format="json").json() == {"save_count": 1}
    default.refresh_from_db()
    assert default.notes_count == 0
    assert Collection.objects.get(pk=board["id"]).notes_count == 1
    assert client.delete(url).status_code == 204 and client.delete(url).status_code == 204
    assert _counts(note)[1] == 0 and not Save.objects.exists()
    assert Collection.objects.get(pk=board["id"]).notes_count == 0


def test_saving_into_someone_elses_board_is_404(note, user, other_user):
    board = services.collection_create(owner=user, name="Mine")
    response = client_for(other_user).post(f"/api/v1/notes/{note.pk}/save/", {"collection_id": board.pk}, format="json")
    assert response.status_code == 404
    assert not Save.objects.exists()


def test_boards_private_ones_are_404_to_others(note, user, other_user, anon_client):
    owner = client_for(other_user)
    private = owner.post("/api/v1/collections/", {"name": "Secret", "is_private": True}, format="json").json()
    public = owner.post("/api/v1/collections/", {"name": "Public"}, format="json").json()
    owner.post(f"/api/v1/notes/{note.pk}/save/", {"collection_id": private["id"]}, format="json")
    assert owner.get(f"/api/v1/collections/{private['id']}/notes/").json()["results"][0]["id"] == note.pk
    assert client_for(user).get(f"/api/v1/collections/{private['id']}/notes/").status_code == 404
    assert anon_client.get(f"/api/v1/collections/{private['id']}/notes/").status_code == 404
    assert anon_client.get(f"/api/v1/collections/{public['id']}/notes/").status_code == 200
    listed = client_for(user).get(f"/api/v1/collections/?username={other_user.username}").json()["results"]
    assert [c["name"] for c in listed] == ["Public"]
    assert {c["name"] for c in owner.get("/api/v1/collections/").json()["results"]} == {"Secret", "Public"}
    assert owner.post("/api/v1/collections/", {"name": "Public"}, format="json").status_code == 409
    assert owner.post("/api/v1/collections/", {"name": ""}, format="json").status_code == 400


def test_a_boards_count_is_what_its_viewer_can_open(make_note, user, other_user, anon_client):
    # given: a board of five notes by five authors, each note saved by someone else too
    authors = UserFactory.create_batch(5)
    notes = [make_note(author) for author in authors]
    board = services.collection_create(owner=other_user, name="Trips")
    for note in notes:
        services.note_save(user=other_user, note=note, collection_id=board.pk)
        services.note_save(user=UserFactory(), note=note)
    # when: one note is deleted, one taken down, one's author suspended, one's author blocks `user`
    services.note_delete(note=notes[0], actor=authors[0])
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(ensure_moderators_group())
    target_take_down(target_type="note", target_id=notes[1].pk, moderator=moderator)
    user_suspend(user=authors[2])
    block_create(blocker=authors[3], blocked=user)
    # then: every viewer's count is the length of the list they open, in the API and on the pages
    for client, browser, expected in ((client_for(user), browser_for(user), 1), (anon_client, Client(), 2)):
        boards = client.get(f"/api/v1/collections/?username={other_user.username}").json()["results"]
        opened = client.get(f"/api/v1/collections/{board.pk}/notes/").json()["results"]
        assert [b["notes_count"] for b in boards if b["id"] == board.pk] == [len(opened)] == [expected]
        counted = f"{expected} note{'s' if expected > 1 else ''}"
        assert counted in browser.get(f"/collections/{board.pk}/").content.decode()
        assert counted in browser.get(f"/u/{other_user.username}/?tab=collections").content.decode()


def test_boards_list_counts_in_bounded_queries(make_note, user, other_user, django_assert_max_num_queries):
    notes = [make_note() for _ in range(3)]
    for i in range(12):
        board = services.collection_create(owner=other_user, name=f"Board {i}")
        services.note_save(user=other_user, note=notes[i % 3], collection_id=board.pk)  # moves it: the last 3 keep one
    client = client_for(user)
    # token, blocks, the owner, the boards with their counts, the activity mark: none per board
    with django_assert_max_num_queries(5):
        boards = client.get(f"/api/v1/collections/?username={other_user.username}&page_size=50").json()
    assert sorted(b["notes_count"] for b in boards["results"]) == [0] * 9 + [1] * 3


def test_reshare_and_share(note, other_user, anon_client):
    client = client_for(other_user)
    url = f"/api/v1/notes/{note.pk}/reshare/"
    assert client.post(url).status_code == 201 and client.post(url).status_code == 201
    assert Reshare.objects.filter(user=other_user, note=note).count() == 1
    share = anon_client.post(f"/api/v1/notes/{note.pk}/share/").json()
    assert share["share_count"] == 1 and share["share_url"].endswith(f"/notes/{note.pk}/")
    assert _counts(note)[3:] == (1, 1)
    assert client.delete(url).status_code == 204
    assert _counts(note)[3] == 0


def test_writes_need_login(note, anon_client):
    for path in ("like", "save", "reshare", "comments"):
        assert anon_client.post(f"/api/v1/notes/{note.pk}/{path}/").status_code == 401


def test_comments_replies_stay_one_level(note, user, other_user):
    client = client_for(other_user)
    url = f"/api/v1/notes/{note.pk}/comments/"
    root = client.post(url, {"body": "Where is this?"}, format="json").json()
    assert set(root) >= {"id", "author", "body", "parent_id", "created_at", "reply_count"}
    reply = client_for(user).post(url, {"body": "Jing'an", "parent_id": root["id"]}, format="json").json()
    nested = client.post(url, {"body": "thanks!", "parent_id": reply["id"]}, format="json").json()
    assert reply["parent_id"] == root["id"] and nested["parent_id"] == root["id"]
    assert Comment.objects.get(pk=root["id"]).reply_count == 2
    assert _counts(note)[2] == 3
    listing = client.get(url).json()["results"]
    assert [c["id"] for c in listing] == [root["id"]]
    assert [r["id"] for r in listing[0]["replies"]] == [reply["id"], nested["id"]]
    replies = client.get(url + f"?parent_id={root['id']}").json()["results"]
    assert len(replies) == 2


@pytest.mark.parametrize(
    "payload", [{"body": ""}, {"body": "x" * 1001}, {"body": "hi", "parent_id": 999999}, {"parent_id": "x"}]
)
def test_bad_comments_are_400(note, other_user, payload):
    response = client_for(other_user).post(f"/api/v1/notes/{note.pk}/comments/", payload, format="json")
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_comment_delete_by_comment_or_note_author_only(note, user, other_user):
    third = UserFactory()
    url = f"/api/v1/notes/{note.pk}/comments/"
    root = client_for(other_user).post(url, {"body": "root"}, format="json").json()
    client_for(third).post(url, {"body": "reply", "parent_id": root["id"]}, format="json")
    assert client_for(third).delete(f"/api/v1/comments/{root['id']}/").status_code == 403
    assert client_for(user).delete(f"/api/v1/comments/{root['id']}/").status_code == 204  # note author
    assert not Comment.objects.exists()
    assert _counts(note)[2] == 0
    mine = client_for(third).post(url, {"body": "again"}, format="json").json()
    assert client_for(third).delete(f"/api/v1/comments/{mine['id']}/").status_code == 204


def test_blocked_users_cannot_comment(note, user, other_user):
    Block.objects.create(blocker=user, blocked=other_user)
    response = client_for(other_user).post(f"/api/v1/notes/{note.pk}/comments/", {"body": "hi"}, format="json")
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_blocked_replies_are_refused_too(note, other_user):
    third = UserFactory()
    root = services.comment_create(author=third, note=note, body="root")
    Block.objects.create(blocker=third, blocked=other_user)
    with pytest.raises(Forbidden):
        services.comment_create(author=other_user, note=note, body="hey", parent_id=root.pk)


def test_comment_likes(note, other_user):
    comment = services.comment_create(author=other_user, note=note, body="nice")
    client = client_for(other_user)
    assert client.post(f"/api/v1/comments/{comment.pk}/like/").json() == {"like_count": 1}
    assert client.post(f"/api/v1/comments/{comment.pk}/like/").json() == {"like_count": 1}
    assert client.get(f"/api/v1/notes/{note.pk}/comments/").json()["results"][0]["liked_by_me"] is True
    assert client.delete(f"/api/v1/comments/{comment.pk}/like/").status_code == 204
    comment.refresh_from_db()
    assert comment.like_count == 0


def test_drafts_cannot_be_commented(make_note, user):
    draft = make_note(images=0, draft=True)
    with pytest.raises(Invalid):
        services.comment_create(author=user, note=draft, body="hi")


def test_hidden_notes_refuse_interactions(note, other_user):
    Note.objects.filter(pk=note.pk).update(is_hidden=True)
    client = client_for(other_user)
    for path in ("like", "save", "reshare", "view", "comments"):
        assert client.post(f"/api/v1/notes/{note.pk}/{path}/", {"body": "x"}, format="json").status_code == 404


def test_deleting_a_root_comment_keeps_counts_that_moderation_already_took(note, user, other_user):
    """Moderation subtracts a removed reply (or root) from the counters once; the delete must not again."""
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(ensure_moderators_group())
    root = services.comment_create(author=other_user, note=note, body="root")
    removed_reply = services.comment_create(author=user, note=note, body="spam", parent_id=root.pk)
    services.comment_create(author=user, note=note, body="kept", parent_id=root.pk)
    other_root = services.comment_create(author=user, note=note, body="another thread")
    target_take_down(target_type="comment", target_id=removed_reply.pk, moderator=moderator)
    assert _counts(note)[2] == 3

    services.comment_delete(comment=root, actor=other_user)

    assert _counts(note)[2] == 1
    assert list(Comment.objects.values_list("pk", flat=True)) == [other_root.pk]
    assert checks.counters() == []


def test_deleting_a_removed_reply_leaves_the_counts_alone(note, user, other_user):
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(ensure_moderators_group())
    root = services.comment_create(author=other_user, note=note, body="root")
    reply = services.comment_create(author=user, note=note, body="spam", parent_id=root.pk)
    target_take_down(target_type="comment", target_id=reply.pk, moderator=moderator)

    services.comment_delete(comment=reply, actor=user)

    assert _counts(note)[2] == 1
    root.refresh_from_db()
    assert root.reply_count == 0
    assert checks.counters() == []
