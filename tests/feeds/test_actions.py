"""Not interested, topic follows and muted keywords: the writes that steer Explore."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from taggit.models import Tag

from accounts.models import User
from feeds.models import MutedKeyword, NotInterested, TopicFollow
from feeds.services import ACTIVE_MARK_SECONDS
from posts.models import Note
from tests.conftest import client_for
from tests.feeds.conftest import make_note

NOT_INTERESTED = "/api/v1/feeds/not-interested/"
MUTED = "/api/v1/feeds/muted-keywords/"


def test_not_interested_is_204_and_idempotent(api_client, user, other_user):
    note = make_note(other_user)
    for _ in range(2):
        assert api_client.post(NOT_INTERESTED, {"note_id": note.pk}, format="json").status_code == 204
    assert NotInterested.objects.filter(user=user, note=note).count() == 1


@pytest.mark.parametrize("body", [{}, {"note_id": "abc"}, {"note_id": None}])
def test_not_interested_needs_a_note_id(api_client, body):
    response = api_client.post(NOT_INTERESTED, body, format="json")
    assert response.status_code == 400
    assert "note_id" in response.json()
    assert not NotInterested.objects.exists()


def test_not_interested_in_what_you_cannot_see_is_a_404(api_client, other_user):
    hidden = make_note(other_user, is_hidden=True)
    deleted = make_note(other_user, status=Note.Status.DELETED)
    for note_id in (hidden.pk, deleted.pk, 999999):
        assert api_client.post(NOT_INTERESTED, {"note_id": note_id}, format="json").status_code == 404
    assert not NotInterested.objects.exists()


def test_anonymous_cannot_write(anon_client, other_user):
    note = make_note(other_user, tags=["food"])
    assert anon_client.post(NOT_INTERESTED, {"note_id": note.pk}, format="json").status_code == 401
    assert anon_client.post("/api/v1/tags/food/follow/").status_code == 401
    assert anon_client.get(MUTED).status_code == 401


def test_topic_follow_and_unfollow(api_client, user, other_user):
    make_note(other_user, tags=["food"])
    assert api_client.post("/api/v1/tags/food/follow/").status_code == 201
    assert api_client.post("/api/v1/tags/Food/follow/").status_code == 201  # idempotent, any case
    assert TopicFollow.objects.filter(user=user, tag__name="food").count() == 1
    assert api_client.delete("/api/v1/tags/food/follow/").status_code == 204
    assert api_client.delete("/api/v1/tags/food/follow/").status_code == 204
    assert not TopicFollow.objects.exists()


def test_following_an_unknown_tag_is_a_404(api_client, db):
    assert api_client.post("/api/v1/tags/nothing-here/follow/").status_code == 404
    assert not Tag.objects.filter(name="nothing-here").exists()


def test_muted_keywords_list_add_remove(api_client, user, other_user):
    created = api_client.post(MUTED, {"keyword": "  Hotpot "}, format="json")
    assert created.status_code == 201 and created.json()["keyword"] == "hotpot"
    assert api_client.post(MUTED, {"keyword": "hotpot"}, format="json").status_code == 200
    listed = api_client.get(MUTED).json()["results"]
    assert [k["keyword"] for k in listed] == ["hotpot"]
    other = client_for(other_user)
    assert other.delete(f"{MUTED}{listed[0]['id']}/").status_code == 404  # not theirs
    assert api_client.delete(f"{MUTED}{listed[0]['id']}/").status_code == 204
    assert not MutedKeyword.objects.filter(user=user).exists()


@pytest.mark.parametrize("keyword", ["", "   ", "x" * 31])
def test_bad_keywords_are_a_400(api_client, keyword):
    response = api_client.post(MUTED, {"keyword": keyword}, format="json")
    assert response.status_code == 400 and response.json()["detail"]
    assert not MutedKeyword.objects.exists()


def test_last_active_is_recorded_at_most_once_per_few_minutes(api_client, user, django_assert_max_num_queries):
    api_client.get("/api/v1/feeds/channels/")
    user.refresh_from_db()
    first = user.last_active_at
    assert first is not None
    api_client.get("/api/v1/feeds/channels/")
    user.refresh_from_db()
    assert user.last_active_at == first


def test_last_active_is_rewritten_only_once_the_loaded_row_is_stale(api_client, user):
    """The row the request loaded decides first: a fresh one costs no Redis call, a stale one is rewritten."""
    for age, rewritten in ((60, False), (ACTIVE_MARK_SECONDS + 60, True)):
        cache.clear()  # the Redis mark alone would no longer stop a write
        seen = timezone.now() - timedelta(seconds=age)
        User.objects.filter(pk=user.pk).update(last_active_at=seen)
        api_client.get("/api/v1/feeds/channels/")
        user.refresh_from_db()
        assert (user.last_active_at != seen) is rewritten, age
