"""API.md "Feeds": Follow, Explore (after `rank_explore`), channels, not-interested, Nearby."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.conftest import client_for
from tests.contract.conftest import (
    api,
    assert_error,
    assert_list,
    assert_note,
    collect_ids,
    haversine_km,
    post_note,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_follow_feed_newest_first_and_unfollow(alice_client, bob_client, carol_client):
    first = post_note(bob_client, title="bob 1")
    other = post_note(carol_client, title="carol 1")
    second = post_note(bob_client, title="bob 2")
    assert alice_client.post(api("users/bob/follow/")).status_code == 201
    rows = assert_list(alice_client.get(api("feeds/follow/")))
    assert [r["id"] for r in rows] == [second["id"], first["id"]]
    for row in rows:
        assert_note(row)
    assert other["id"] not in [r["id"] for r in rows]
    assert alice_client.delete(api("users/bob/follow/")).status_code == 204
    assert assert_list(alice_client.get(api("feeds/follow/"))) == []
    assert_error(APIClient().get(api("feeds/follow/")), 401)


def test_follow_feed_cursor_pages_without_duplicates_or_gaps(alice_client, bob):
    from posts import services
    from tests.contract.conftest import jpeg

    made = [
        services.note_create(author=bob, title=f"b{i}", body="", images=[jpeg(f"{i}.jpg", size=(20, 20))]).pk
        for i in range(25)
    ]
    assert alice_client.post(api("users/bob/follow/")).status_code == 201
    ids = collect_ids(alice_client, api("feeds/follow/?page_size=7"))
    assert ids == sorted(made, reverse=True)


def test_explore_personalizes_after_rank_explore_with_reason_on_every_item(db):
    # 16 authors of two notes each; liked: 4 food notes. At most 2 notes per author in a
    # page leaves 12 unseen food notes by 6 authors to fill the top 10.
    authors = [client_for(UserFactory()) for _ in range(16)]
    food, travel = [], []
    for i, author in enumerate(authors):
        for j in range(2):
            topic = "food" if i % 2 == 0 else "travel"
            note = post_note(author, title=f"{topic} {i}.{j}", tags=topic)
            (food if topic == "food" else travel).append(note["id"])
    lover_user = UserFactory()
    lover = client_for(lover_user)
    for note_id in food[:4]:
        assert lover.post(api(f"notes/{note_id}/like/")).status_code == 201
    call_command("rank_explore", verbosity=0)
    response = lover.get(api("feeds/explore/"))
    items = assert_list(response)
    assert items, "Explore is empty after rank_explore"
    for item in items:
        assert_note(item)
        assert isinstance(item.get("reason"), str) and item["reason"], item.get("reason")
    top = items[:10]
    food_share = sum("food" in item["tags"] for item in top) / len(top)
    assert food_share >= 0.7, [item["tags"] for item in top]

    anon = assert_list(APIClient().get(api("feeds/explore/")))
    assert anon and all(item.get("reason") for item in anon)

    ids = collect_ids(lover, api("feeds/explore/?page_size=5"))
    assert len(ids) == len(set(ids)), "Explore pages repeat notes"


def test_channels_and_channel_filter(alice_client, bob_client):
    from feeds.models import Channel

    if not Channel.objects.filter(is_active=True).exists():
        Channel.objects.create(slug="food", name="Food", is_active=True)
    response = APIClient().get(api("feeds/channels/"))
    assert response.status_code == 200
    body = response.json()
    channels = body["results"] if isinstance(body, dict) else body
    assert channels and all(set(c) >= {"slug", "name"} for c in channels)
    for channel in channels:
        assert APIClient().get(api(f"feeds/explore/?channel={channel['slug']}")).status_code == 200
    assert_error(APIClient().get(api("feeds/explore/?channel=no-such-channel")), 400, 404)


def test_not_interested_removes_the_note_from_explore(db):
    authors = [client_for(UserFactory()) for _ in range(4)]
    notes = [post_note(author, title=f"n{i}.{j}", tags="fashion") for i, author in enumerate(authors) for j in range(2)]
    viewer = client_for(UserFactory())
    call_command("rank_explore", verbosity=0)
    before = [item["id"] for item in assert_list(viewer.get(api("feeds/explore/")))]
    target = before[0] if before else notes[0]["id"]
    response = viewer.post(api("feeds/not-interested/"), {"note_id": target}, format="json")
    assert response.status_code == 204, response.content
    call_command("rank_explore", verbosity=0)
    after = [item["id"] for item in assert_list(viewer.get(api("feeds/explore/")))]
    assert target not in after
    assert_error(viewer.post(api("feeds/not-interested/"), {"note_id": 999999999}, format="json"), 400, 404)
    assert_error(viewer.post(api("feeds/not-interested/"), {}, format="json"), 400)
    assert_error(APIClient().post(api("feeds/not-interested/"), {"note_id": target}, format="json"), 401)


PLACES = [
    ("People's Square", 31.2304, 121.4737),
    ("The Bund", 31.2400, 121.4900),
    ("Xujiahui", 31.1950, 121.4370),
    ("Pudong Airport", 31.1443, 121.8083),  # ~33 km
    ("Hangzhou", 30.2741, 120.1551),  # ~165 km: outside even 100 km
]


def test_nearby_nearest_first_with_haversine_distances(alice_client):
    made = {}
    for name, lat, lng in PLACES:
        made[name] = post_note(alice_client, title=name, lat=str(lat), lng=str(lng), place_name=name)["id"]
    post_note(alice_client, title="nowhere")  # no place: never in Nearby
    here = (31.2310, 121.4740)
    response = APIClient().get(api(f"feeds/nearby/?lat={here[0]}&lng={here[1]}"))
    items = assert_list(response)
    names = [item["title"] for item in items]
    assert names == ["People's Square", "The Bund", "Xujiahui"], names  # default radius 10 km
    for item in items:
        assert_note(item)
        _, lat, lng = next(p for p in PLACES if p[0] == item["title"])
        expected = haversine_km(here[0], here[1], lat, lng)
        assert abs(item["distance_km"] - expected) <= max(0.05, expected * 0.01), (item["distance_km"], expected)
    distances = [item["distance_km"] for item in items]
    assert distances == sorted(distances)

    wide = assert_list(APIClient().get(api(f"feeds/nearby/?lat={here[0]}&lng={here[1]}&radius_km=50")))
    assert [item["title"] for item in wide][-1] == "Pudong Airport"
    capped = assert_list(APIClient().get(api(f"feeds/nearby/?lat={here[0]}&lng={here[1]}&radius_km=1000")))
    assert "Hangzhou" not in [item["title"] for item in capped]  # radius capped at 100 km

    paged = collect_ids(APIClient(), api(f"feeds/nearby/?lat={here[0]}&lng={here[1]}&radius_km=50&page_size=1"))
    assert paged == [item["id"] for item in wide]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "lat=31.2",
        "lng=121.4",
        "lat=abc&lng=121.4",
        "lat=91&lng=0",
        "lat=-91&lng=0",
        "lat=0&lng=181",
        "lat=nan&lng=0",
        "lat=inf&lng=0",
        "lat=0&lng=0&radius_km=-5",
        "lat=0&lng=0&radius_km=zero",
        "lat=0&lng=0&cursor=%%%garbage",
    ],
)
def test_nearby_bad_coordinates_are_400(db, query):
    assert_error(APIClient().get(api(f"feeds/nearby/?{query}")), 400)
