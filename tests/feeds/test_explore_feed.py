"""Explore: precomputed lists read page by page, filtered, author-diverse, each item with a reason."""

from collections import Counter

import pytest
import redis

from accounts.models import Block, User
from feeds import services
from feeds.models import MutedKeyword, NotInterested
from feeds.store import RankedList, RedisStore, get_store, trending_key, user_key
from posts.models import Like, Note, NoteView
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.feeds.conftest import make_note, planted_world

URL = "/api/v1/feeds/explore/"


def _items(client, url=URL):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _all_pages(client, url, *, max_pages=50):
    ids = []
    while url and max_pages:
        response = client.get(url)
        ids += [item["id"] for item in response.json()["results"]]
        url, max_pages = response.json()["next"], max_pages - 1
    return ids


@pytest.fixture
def food_lover(db):
    """A user who liked food notes, in a world of food and travel notes by many authors."""
    authors = UserFactory.create_batch(12)
    lover = UserFactory()
    for i, author in enumerate(authors):
        for j in range(4):
            topic = "food" if i % 2 == 0 else "travel"
            make_note(author, title=f"{topic} {i}.{j}", tags=[topic])
    food = Note.objects.filter(tags__name="food").order_by("id")
    Like.objects.bulk_create(Like(user=lover, note=note) for note in food[:4])
    return lover


def test_a_user_who_likes_one_topic_sees_mostly_that_topic(food_lover):
    services.explore_rank(user_ids=[food_lover.pk])
    items = _items(client_for(food_lover))
    assert len(items) == 20
    food_share = sum("food" in item["tags"] for item in items[:10]) / 10
    assert food_share >= 0.8
    assert all(item["reason"] for item in items)
    assert any(item["reason_code"] == "tag:food" and "#food" in item["reason"] for item in items)
    liked = set(Like.objects.filter(user=food_lover).values_list("note_id", flat=True))
    assert not liked & {item["id"] for item in items}


def test_anonymous_and_new_users_get_trending_with_reasons(food_lover, anon_client):
    services.explore_rank()  # active users (none here) and the trending lists
    for client in (anon_client, client_for(UserFactory())):
        items = _items(client)
        assert items and all(item["reason"] for item in items)


def test_before_any_ranking_run_a_live_popular_list_serves(food_lover, anon_client):
    items = _items(anon_client)
    assert len(items) == 20
    assert {item["reason_code"] for item in items} == {"popular"}


def test_what_must_not_show_is_dropped(food_lover):
    services.explore_rank(user_ids=[food_lover.pk])
    before = [item["id"] for item in _items(client_for(food_lover))]
    hidden, deleted, viewed, not_interested, muted = (Note.objects.get(pk=pk) for pk in before[:5])
    Note.objects.filter(pk=hidden.pk).update(is_hidden=True)
    Note.objects.filter(pk=deleted.pk).update(status=Note.Status.DELETED)
    NoteView.objects.create(note=viewed, viewer=food_lover, viewer_key=f"u:{food_lover.pk}", day="2026-01-01")
    NotInterested.objects.create(user=food_lover, note=not_interested)
    Note.objects.filter(pk=muted.pk).update(title="spicy hotpot")
    MutedKeyword.objects.create(user=food_lover, keyword="hotpot")
    blocked_author = Note.objects.get(pk=before[5]).author
    Block.objects.create(blocker=blocked_author, blocked=food_lover)
    after = _all_pages(client_for(food_lover), URL)
    gone = {hidden.pk, deleted.pk, viewed.pk, not_interested.pk, muted.pk}
    assert not gone & set(after)
    assert not Note.objects.filter(pk__in=after, author=blocked_author).exists()


def test_muted_words_match_title_body_and_tags_in_any_case_and_blocks_count_both_ways(food_lover):
    services.explore_rank(user_ids=[food_lover.pk])
    before = [item["id"] for item in _items(client_for(food_lover))]
    in_title, in_body, in_tag = (Note.objects.get(pk=pk) for pk in before[:3])
    Note.objects.filter(pk=in_title.pk).update(title="Spicy HOTPOT night")
    Note.objects.filter(pk=in_body.pk).update(body="the best hotpot in town")
    in_tag.tags.add("HotPotLovers")
    MutedKeyword.objects.create(user=food_lover, keyword="hotPot")
    blocked_by_viewer = Note.objects.get(pk=before[3]).author
    Block.objects.create(blocker=food_lover, blocked=blocked_by_viewer)
    after = set(_all_pages(client_for(food_lover), URL))
    assert not {in_title.pk, in_body.pk, in_tag.pk} & after
    assert not Note.objects.filter(pk__in=after, author=blocked_by_viewer).exists()
    assert set(before[4:]) - set(Note.objects.filter(author=blocked_by_viewer).values_list("pk", flat=True)) <= after


def test_at_most_two_notes_per_author_in_a_page_of_20(db):
    prolific, lover = UserFactory(), UserFactory()
    for i in range(30):
        make_note(prolific, title=f"p{i}", tags=["food"])
    for author in UserFactory.create_batch(10):
        for _ in range(3):
            make_note(author, tags=["food"])
    Like.objects.create(user=lover, note=Note.objects.filter(author=prolific).first())
    services.explore_rank(user_ids=[lover.pk])
    items = _items(client_for(lover))
    assert max(Counter(item["author"]["username"] for item in items).values()) <= 2


def test_pages_never_repeat_a_note(food_lover, django_assert_max_num_queries):
    services.explore_rank()
    services.explore_rank(user_ids=[food_lover.pk])
    client = client_for(food_lover)
    with django_assert_max_num_queries(20):  # 16 with Redis; the table store reads lists by query
        client.get(URL + "?page_size=50")
    ids = _all_pages(client, URL + "?page_size=7")
    assert len(ids) == len(set(ids)) >= 30


def test_personalization_off_means_trending_and_drops_the_list(food_lover):
    services.explore_rank()
    services.explore_rank(user_ids=[food_lover.pk])
    assert user_key(food_lover.pk) in get_store().existing([user_key(food_lover.pk)])
    services.personalization_set(user=food_lover, enabled=False)
    assert user_key(food_lover.pk) not in get_store().existing([user_key(food_lover.pk)])
    food_lover.refresh_from_db()
    services.explore_rank(user_ids=[food_lover.pk])
    assert user_key(food_lover.pk) not in get_store().existing([user_key(food_lover.pk)])
    reasons = {item["reason_code"] for item in _items(client_for(food_lover))}
    assert not any(code.startswith(("tag:", "similar", "liked_by")) for code in reasons)


def test_channel_filters_by_its_tags(food_lover, anon_client):
    services.explore_rank()
    services.explore_rank(user_ids=[food_lover.pk])
    for client in (client_for(food_lover), anon_client):
        items = _items(client, URL + "?channel=travel")
        assert items and all("travel" in item["tags"] for item in items)
    assert anon_client.get(URL + "?channel=nope").status_code == 400


def test_channels_are_listed_in_order(anon_client, db):
    response = anon_client.get("/api/v1/feeds/channels/")
    assert response.status_code == 200
    slugs = [c["slug"] for c in response.json()]
    assert slugs[0] == "recommended" and {"skincare", "fashion", "food", "travel"} <= set(slugs)
    assert all(set(c) == {"slug", "name"} for c in response.json())


def test_the_database_store_serves_when_no_redis(food_lover, settings):
    settings.REDIS_URL = settings.RANKING_REDIS_URL = ""
    services.explore_rank()
    services.explore_rank(user_ids=[food_lover.pk])
    items = _items(client_for(food_lover))
    assert sum("food" in item["tags"] for item in items[:10]) >= 8


def test_rank_explore_covers_users_active_this_week(db):
    people, _ = planted_world(users=8, notes_per_topic=10, likes_per_user=5)
    User.objects.filter(pk=people[0].pk).update(last_active_at=None)
    figures = services.explore_rank()
    assert figures["users"] == 7 and figures["lists"] == 7
    assert user_key(people[0].pk) not in get_store().existing([user_key(people[0].pk)])
    assert user_key(people[1].pk) in get_store().existing([user_key(people[1].pk)])


def test_trending_after_the_own_list_skips_it_even_a_whole_chunk(db, monkeypatch):
    monkeypatch.setattr("feeds.selectors.EXPLORE_CHUNK", 5)
    viewer = UserFactory()
    notes = [make_note(UserFactory(), title=f"t{i}") for i in range(12)]
    # the own list holds exactly the 5 hottest trending notes: trending's first chunk is all skipped
    get_store().replace_many(
        [
            RankedList(user_key(viewer.pk), [(n.pk, 10.0 - i, "similar") for i, n in enumerate(notes[:5])]),
            RankedList(trending_key(), [(n.pk, 100.0 - i, "popular") for i, n in enumerate(notes)]),
        ]
    )
    ids = _all_pages(client_for(viewer), URL + "?page_size=4")
    assert sorted(ids) == sorted(n.pk for n in notes)
    assert ids[:5] == [n.pk for n in notes[:5]]


def test_with_the_store_down_explore_serves_the_live_list(food_lover, monkeypatch):
    # A store on a port where no Redis listens: every call fails as in an outage.
    nobody = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    monkeypatch.setattr("feeds.selectors.get_store", lambda: RedisStore(client=nobody))
    items = _items(client_for(food_lover))
    assert len(items) == 20 and {item["reason_code"] for item in items} == {"popular"}
