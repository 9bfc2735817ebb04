"""The home tab pages, the feed settings page and the topic follow button."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from feeds import services
from feeds.models import MutedKeyword, TopicFollow
from tests.factories import UserFactory
from tests.feeds.conftest import make_note


@pytest.fixture
def web(client, user):
    client.force_login(user)
    return client


def test_explore_page_shows_channel_tabs_cards_and_reasons(client, db, django_assert_max_num_queries):
    for i in range(25):
        make_note(UserFactory(), title=f"note <b>{i}</b>", tags=["food"])
    with django_assert_max_num_queries(20):
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="?channel=food"' in html and "feed-reason" in html
    assert "note &lt;b&gt;24&lt;/b&gt;" in html and "<b>24</b>" not in html
    assert 'class="feed-next" data-cursor="' in html


def test_the_next_page_comes_as_cards_only(client, db):
    for i in range(25):
        make_note(UserFactory(), title=f"n{i}")
    first = client.get("/")
    cursor = first.context["next_cursor"]
    partial = client.get("/", {"cursor": cursor, "partial": 1})
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert partial.content.decode().count('class="feed-item"') == 5


def test_follow_page_needs_login_and_lists_followed_notes(client, web, user, other_user):
    from accounts.models import Follow

    assert client.logout() is None
    assert client.get("/follow/").status_code == 302
    web.force_login(user)
    Follow.objects.create(follower=user, followee=other_user)
    make_note(other_user, title="from a friend")
    assert "from a friend" in web.get("/follow/").content.decode()


def test_nearby_page_with_a_city_or_coordinates(client, other_user):
    make_note(other_user, title="near the bund", lat=31.24, lng=121.49)
    assert "near the bund" in client.get("/nearby/", {"city": "shanghai"}).content.decode()
    assert "near the bund" in client.get("/nearby/", {"lat": "31.23", "lng": "121.47"}).content.decode()
    picker = client.get("/nearby/").content.decode()
    assert "near the bund" not in picker and 'value="beijing"' in picker
    assert client.get("/nearby/", {"lat": "95", "lng": "0"}).status_code == 400


def test_settings_page_mutes_and_switches_personalization(web, user):
    assert web.get("/settings/feeds/").status_code == 200
    web.post("/settings/feeds/", {"action": "mute", "keyword": "Durian"})
    assert list(MutedKeyword.objects.filter(user=user).values_list("keyword", flat=True)) == ["durian"]
    response = web.post("/settings/feeds/", {"action": "mute", "keyword": ""}, follow=True)
    assert "Enter a keyword." in response.content.decode()
    keyword = MutedKeyword.objects.get(user=user)
    web.post("/settings/feeds/", {"action": "unmute", "keyword_id": keyword.pk})
    assert not MutedKeyword.objects.exists()
    web.post("/settings/feeds/", {"action": "personalization"})
    user.refresh_from_db()
    assert user.personalization_enabled is False


def test_topic_follow_button_renders_state_and_toggles(web, user, other_user):
    make_note(other_user, tags=["travel"])
    request = RequestFactory().get("/tags/travel/")
    request.user = user
    html = render_to_string("feeds/_topic_follow_button.html", {"tag_name": "travel", "user": user}, request=request)
    assert 'value="follow"' in html
    response = web.post("/tags/travel/follow/", {"action": "follow", "next": "/tags/travel/"})
    assert response.status_code == 302 and response["Location"] == "/tags/travel/"
    assert TopicFollow.objects.filter(user=user, tag__name="travel").exists()
    html = render_to_string("feeds/_topic_follow_button.html", {"tag_name": "travel", "user": user}, request=request)
    assert 'value="unfollow"' in html
    web.post("/tags/travel/follow/", {"action": "unfollow", "next": "https://evil.example/"})
    assert not TopicFollow.objects.exists()


def test_a_ranked_explore_page_shows_personal_reasons(web, user, other_user):
    from posts.models import Like

    notes = [make_note(other_user, tags=["food"]) for _ in range(5)]
    Like.objects.create(user=user, note=notes[0])
    services.explore_rank(user_ids=[user.pk])
    assert "Because you liked #food" in web.get("/").content.decode()


def test_feed_items_follow_each_viewer_and_each_change(client, user, other_user):
    """Feed items are drawn once per process for their values: the "not interested" button
    (never on your own note) and the re-sharer's name follow each viewer and each change."""
    from accounts.models import Follow
    from posts import services as post_services

    theirs = make_note(other_user, title="theirs", lat=31.24, lng=121.49)
    mine = make_note(user, title="mine", lat=31.24, lng=121.49)

    def hide_buttons() -> set[int]:
        html = client.get("/nearby/", {"city": "shanghai"}).content.decode()
        return {int(pk) for pk in re.findall(r'data-action="not-interested" data-note-id="(\d+)"', html)}

    client.force_login(user)
    assert hide_buttons() == {theirs.pk}
    client.force_login(other_user)
    assert hide_buttons() == {mine.pk}
    client.logout()
    assert hide_buttons() == set()

    resharer = UserFactory(display_name="Sam <S>")
    Follow.objects.create(follower=user, followee=resharer)
    post_services.note_reshare(user=resharer, note=theirs)
    client.force_login(user)
    assert "Re-shared by Sam &lt;S&gt;" in client.get("/follow/").content.decode()
    type(user).objects.filter(pk=resharer.pk).update(display_name="Renamed")
    assert "Re-shared by Renamed" in client.get("/follow/").content.decode()
