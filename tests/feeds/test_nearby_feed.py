"""Nearby: nearest first within the radius, distances that match haversine, cursor paging, 400s."""

import math

import pytest
from django.db import connection

from accounts.models import Block
from feeds.selectors import _nearest_notes, unit_vectors
from posts.models import Note
from redbook import cursors
from tests.conftest import client_for, requires_postgres
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


def _all_pages(client, page_size: int, **params) -> list[dict]:
    items, response = [], _get(client, page_size=page_size, **params)
    while True:
        items += response.json()["results"]
        if not response.json()["next"]:
            return items
        response = client.get(response.json()["next"])


def test_notes_at_one_spot_page_by_id_across_pages(anon_client, other_user):
    """Ten notes at the same point tie on distance: they page in id order, none lost or
    repeated, though the index orders by distance alone (pages of 3 cut through the tie)."""
    spot = (PEOPLES_SQUARE[0] + 0.01, PEOPLES_SQUARE[1])
    tied = [make_note(other_user, title=f"t{i}", lat=spot[0], lng=spot[1]) for i in range(10)]
    nearer = make_note(other_user, title="nearer", lat=PEOPLES_SQUARE[0] + 0.001, lng=PEOPLES_SQUARE[1])
    farther = make_note(other_user, title="farther", lat=PEOPLES_SQUARE[0] + 0.05, lng=PEOPLES_SQUARE[1])
    items = _all_pages(anon_client, 3, radius_km=50)
    assert [item["id"] for item in items] == [nearer.pk, *sorted(n.pk for n in tied), farther.pk]
    assert len({item["distance_km"] for item in items[1:11]}) == 1


def test_a_page_in_a_dense_spot_reads_a_page_of_rows(anon_client, other_user, django_assert_max_num_queries):
    """Hundreds of notes around: the page still costs its fixed queries (the nearest rows are
    read from the index, not every note in a box)."""
    Note.objects.bulk_create(
        Note(author=other_user, title=f"d{i}", lat=PEOPLES_SQUARE[0] + i * 1e-5, lng=PEOPLES_SQUARE[1])
        for i in range(300)
    )
    with django_assert_max_num_queries(12):
        response = _get(anon_client, page_size=5)
    distances = [item["distance_km"] for item in response.json()["results"]]
    assert len(distances) == 5 and distances == sorted(distances) and distances[-1] < 0.01


@requires_postgres
def test_nearby_reads_the_gist_index_nearest_first(db):
    """The query's expression must stay the one feeds migration 0003 indexes: else Postgres
    falls back to measuring every placed note."""
    query = _nearest_notes(21)
    query.rows(viewer=None, x=0.0, y=0.0, z=1.0, after_c=-1.0, after_i=0)  # compiles it
    x, y, z = (float(v) for v in unit_vectors(*PEOPLES_SQUARE))
    params = query._compiled.bind({"viewer": None, "x": x, "y": y, "z": z, "after_c": -1.0, "after_i": 0}, "postgresql")
    with connection.cursor() as cursor:
        # An almost empty test table: sorting a few rows is cheaper, so ask for a plan without
        # a sort; only an index that matches the expression can give one.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + query._compiled.sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "note_unit_vector" in plan and "Order By" in plan, plan


def test_a_cursor_made_before_chords_still_pages(anon_client, places):
    """A cursor signed before the deploy (distance in km, "d") continues from that distance."""
    first = _get(anon_client, radius_km=100, page_size=3).json()["results"]
    old = cursors.cursor_encode({"d": first[-1]["distance_km"], "i": first[-1]["id"]})
    rest = _get(anon_client, radius_km=100, page_size=50, cursor=old).json()["results"]
    assert rest and rest[0]["distance_km"] >= first[-1]["distance_km"]
    assert not {item["id"] for item in rest} & {item["id"] for item in first[:-1]}
    # Signed, but with no position to resume from: a 400 like any other bad cursor.
    positionless = _get(anon_client, cursor=cursors.cursor_encode({"i": first[-1]["id"]}))
    assert positionless.status_code == 400 and positionless.json()["code"] == "invalid_cursor"
