"""Nearby: nearest first within the radius, distances that match haversine, cursor paging, 400s."""

import math

import pytest

from accounts.models import Block
from tests.conftest import client_for
from tests.feeds.conftest import make_note

URL = "/api/v1/feeds/nearby/"
PEOPLES_SQUARE = (31.2304, 121.4737)


def haversine(lat1, lng1, lat2, lng2, radius=6371.0):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(a))


@pytest.fixture
def places(other_user):
    """Notes spread from 0.2 km to ~150 km north-east of People's Square, one without a place."""
    notes = []
    for i, step in enumerate([0.002, 0.01, 0.03, 0.05, 0.08, 0.12, 0.2, 0.4, 0.7, 1.0]):
        lat, lng = PEOPLES_SQUARE[0] + step, PEOPLES_SQUARE[1] + step * (1 + i % 3) / 2
        notes.append(make_note(other_user, title=f"p{i}", lat=lat, lng=lng))
    make_note(other_user, title="nowhere")
    return notes


def _get(client, **params):
    return client.get(URL, {"lat": PEOPLES_SQUARE[0], "lng": PEOPLES_SQUARE[1], **params})


def test_nearest_first_with_haversine_distances_inside_the_radius(anon_client, places, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = _get(anon_client, radius_km=50)
    assert response.status_code == 200
    items = response.json()["results"]
    distances = [item["distance_km"] for item in items]
    assert distances == sorted(distances)
    assert all(d <= 50 for d in distances)
    for item in items:
        expected = haversine(*PEOPLES_SQUARE, item["location"]["lat"], item["location"]["lng"])
        assert item["distance_km"] == pytest.approx(expected, abs=0.001)
    inside = [n for n in places if haversine(*PEOPLES_SQUARE, n.lat, n.lng) <= 50]
    assert {item["id"] for item in items} == {n.pk for n in inside}


def test_default_radius_is_10_km_and_100_is_the_most(anon_client, places):
    default = _get(anon_client).json()["results"]
    assert default and max(item["distance_km"] for item in default) <= 10
    huge = _get(anon_client, radius_km=5000, page_size=50).json()["results"]
    assert max(item["distance_km"] for item in huge) <= 100
    assert len(huge) > len(default)


def test_cursor_pages_without_duplicates(anon_client, places):
    ids, url, params = [], URL, {"lat": PEOPLES_SQUARE[0], "lng": PEOPLES_SQUARE[1], "radius_km": 100, "page_size": 3}
    while url:
        response = anon_client.get(url, params) if url == URL else anon_client.get(url)
        ids += [item["id"] for item in response.json()["results"]]
        url = response.json()["next"]
    assert len(ids) == len(set(ids)) == len([n for n in places if haversine(*PEOPLES_SQUARE, n.lat, n.lng) <= 100])


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "abc", "lng": "121"},
        {"lat": "91", "lng": "121"},
        {"lat": "31", "lng": "-181"},
        {"lat": "nan", "lng": "121"},
        {"lat": "31"},
        {},
        {"lat": "31", "lng": "121", "radius_km": "-1"},
        {"lat": "31", "lng": "121", "radius_km": "far"},
        {"lat": "31", "lng": "121", "cursor": "garbage"},
    ],
)
def test_bad_coordinates_are_a_400_with_a_message(anon_client, params, db):
    response = anon_client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_blocked_and_hidden_notes_are_left_out(user, other_user, places):
    make_note(user, title="mine", lat=PEOPLES_SQUARE[0], lng=PEOPLES_SQUARE[1], is_hidden=True)
    Block.objects.create(blocker=other_user, blocked=user)
    assert _get(client_for(user), radius_km=100).json()["results"] == []
