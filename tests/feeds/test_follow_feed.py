"""Follow feed: followed accounts' notes and re-shares, newest first, by keyset cursor."""

import pytest

from accounts.models import Block, Follow
from posts.models import Note, Reshare
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.feeds.conftest import make_note

URL = "/api/v1/feeds/follow/"


def _ids(response):
    return [item["id"] for item in response.json()["results"]]


@pytest.fixture
def followed(user):
    authors = UserFactory.create_batch(3)
    Follow.objects.bulk_create(Follow(follower=user, followee=a) for a in authors)
    return authors


def test_anonymous_gets_401(anon_client):
    assert anon_client.get(URL).status_code == 401


def test_newest_first_only_followed_accounts(api_client, followed, other_user):
    mine = [make_note(followed[i % 3], title=f"n{i}") for i in range(5)]
    make_note(other_user, title="stranger")
    response = api_client.get(URL)
    assert response.status_code == 200
    assert _ids(response) == [n.pk for n in reversed(mine)]
    assert response.json()["next"] is None
    assert all(item["reshared_by"] is None for item in response.json()["results"])


def test_pages_have_no_duplicates_or_gaps_while_new_notes_arrive(api_client, followed, django_assert_max_num_queries):
    notes = [make_note(followed[i % 3], title=f"n{i}") for i in range(12)]
    seen, url = [], f"{URL}?page_size=5"
    while url:
        with django_assert_max_num_queries(12):
            response = api_client.get(url)
        seen += _ids(response)
        make_note(followed[0], title="late")  # arrives between pages: belongs above the first page
        url = response.json()["next"]
    assert seen == [n.pk for n in reversed(notes)]


def test_reshares_show_the_original_note_with_who_reshared(api_client, followed, other_user):
    original = make_note(other_user, title="original")
    own = make_note(followed[0], title="own")
    Reshare.objects.create(user=followed[1], note=original)
    response = api_client.get(URL)
    items = response.json()["results"]
    assert [i["id"] for i in items] == [original.pk, own.pk]
    assert items[0]["reshared_by"]["username"] == followed[1].username
    assert items[0]["author"]["username"] == other_user.username


def test_unfollow_hidden_deleted_and_suspended_leave_the_feed(api_client, user, followed):
    kept = make_note(followed[0])
    make_note(followed[1])
    make_note(followed[2], is_hidden=True)
    make_note(followed[0], status=Note.Status.DELETED)
    Follow.objects.filter(follower=user, followee=followed[1]).delete()
    followed[0].__class__.objects.filter(pk=followed[2].pk).update(is_suspended=True)
    assert _ids(api_client.get(URL)) == [kept.pk]


def test_a_block_hides_reshared_notes_of_the_blocked_author(user, followed, other_user):
    original = make_note(other_user)
    Reshare.objects.create(user=followed[0], note=original)
    Block.objects.create(blocker=user, blocked=other_user)
    assert _ids(client_for(user).get(URL)) == []


def test_bad_cursor_is_a_400(api_client):
    response = api_client.get(URL + "?cursor=not-a-cursor")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


def test_query_count_does_not_grow_with_page_size(api_client, followed, django_assert_max_num_queries):
    for i in range(40):
        make_note(followed[i % 3], tags=["food"])
    for i in range(10):
        Reshare.objects.create(user=followed[i % 3], note=make_note(UserFactory()))
    with django_assert_max_num_queries(12):
        response = api_client.get(URL + "?page_size=50")
    assert len(response.json()["results"]) == 50
