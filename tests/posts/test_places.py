"""Places: one Place per place whatever the notes call it, attached on create and edit,
its page (notes nearest first, a map drawn on the server) and its API list."""

from importlib import import_module

import pytest
from django.apps import apps as django_apps

from accounts.models import Block
from posts import services
from posts.models import Note, Place
from tests.conftest import client_for
from tests.factories import UserFactory

WUKANG = (31.2100, 121.4400)  # 武康路, Shanghai


def at(offset_m_north: float = 0.0, offset_m_east: float = 0.0) -> dict:
    """Coordinates a few metres from WUKANG (1 m ~ 0.000009 degree here)."""
    return {"lat": WUKANG[0] + offset_m_north * 9e-6, "lng": WUKANG[1] + offset_m_east * 1.05e-5}


@pytest.mark.django_db
def test_the_same_place_from_different_notes_is_one_place(make_note, other_user):
    first = make_note(place_name="Manner Coffee 武康路", **at())
    second = make_note(other_user, place_name="  manner coffee   武康路 ", **at(40, 30))
    named_only = make_note(place_name="Manner Coffee 武康路")  # no coordinates: a place of its own
    elsewhere = make_note(place_name="Manner Coffee 武康路", lat=39.9, lng=116.4)  # Beijing
    assert first.place_id == second.place_id
    assert first.place.name == "Manner Coffee 武康路"  # as the first note spelled it
    assert len({first.place_id, named_only.place_id, elsewhere.place_id}) == 3
    assert make_note(**at()).place is None  # coordinates without a name: no place


@pytest.mark.django_db
def test_notes_either_side_of_a_cells_edge_share_the_place(make_note):
    first = make_note(place_name="外滩", lat=31.23495, lng=121.49)  # rounds to 31.23
    across = make_note(place_name="外滩", lat=31.23506, lng=121.49)  # 12 m north: rounds to 31.24
    far = make_note(place_name="外滩", lat=31.2600, lng=121.49)  # 3 km north: another place
    assert across.place_id == first.place_id != far.place_id


@pytest.mark.django_db
def test_editing_a_notes_place_moves_it(make_note, user):
    note = make_note(place_name="外滩", lat=31.24, lng=121.49)
    services.note_update(note=note, editor=user, place_name="武康路", **at())
    note.refresh_from_db()
    assert note.place.name == "武康路"
    services.note_update(note=note, editor=user, place_name="")
    note.refresh_from_db()
    assert note.place is None


@pytest.mark.django_db
def test_the_note_json_links_its_place(make_note, anon_client):
    note = make_note(place_name="武康路", **at())
    location = anon_client.get(f"/api/v1/notes/{note.pk}/").json()["location"]
    assert location["place_name"] == "武康路"
    assert location["place_id"] == note.place_id
    assert location["place_url"].endswith(f"/places/{note.place_id}/")
    assert anon_client.get(location["place_url"]).status_code == 200
    place = anon_client.get(f"/api/v1/places/{note.place_id}/").json()
    assert place == {"id": note.place_id, "name": "武康路", "lat": note.lat, "lng": note.lng}


def _place_world(make_note, user):
    centre = make_note(title="centre", place_name="武康路", **at())  # the first note sets the centre
    far = make_note(title="far", place_name="武康路", **at(300, 200))
    near = make_note(title="near", place_name="武康路", **at(20, -10))
    unplaced = make_note(title="named only", place_name="武康路")  # its own place (no coordinates)
    return centre, near, far, unplaced


@pytest.mark.django_db
def test_the_place_api_lists_its_notes_nearest_first(make_note, user, anon_client, django_assert_max_num_queries):
    centre, *_ = _place_world(make_note, user)
    url = f"/api/v1/places/{centre.place_id}/notes/"
    with django_assert_max_num_queries(12):
        body = anon_client.get(url).json()
    assert [note["title"] for note in body["results"]] == ["centre", "near", "far"]
    first = anon_client.get(url, {"page_size": 2}).json()
    second = anon_client.get(first["next"]).json()
    assert [n["title"] for n in first["results"] + second["results"]] == ["centre", "near", "far"]
    assert anon_client.get("/api/v1/places/999999/notes/").status_code == 404


@pytest.mark.django_db
def test_the_place_page_shows_its_notes_nearest_first_under_a_map(
    make_note, user, client, django_assert_max_num_queries
):
    centre, *_ = _place_world(make_note, user)
    for i in range(6):  # more notes cost no more queries
        make_note(title=f"more {i}", place_name="武康路", **at(50 * i, 50))
    with django_assert_max_num_queries(8):
        response = client.get(f"/places/{centre.place_id}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>" in html and "武康路" in html
    grid = html.split('<figure class="place-map">')[1].split("</figure>")[1]  # the cards, after the map
    assert grid.index(">centre<") < grid.index(">near<") < grid.index(">far<")
    assert html.count('class="place-map-note"') == 9  # every note on the page, on the map
    assert "tile" not in html.lower() and "https://" not in html.split("<svg", 1)[1].split("</svg>")[0]
    assert client.get("/places/999999/").status_code == 404


@pytest.mark.django_db
def test_hidden_and_blocked_notes_leave_the_place(make_note, user, other_user):
    mine = make_note(title="mine", place_name="武康路", **at())
    theirs = make_note(other_user, title="theirs", place_name="武康路", **at(10))
    hidden = make_note(other_user, title="hidden", place_name="武康路", **at(20))
    Note.objects.filter(pk=hidden.pk).update(is_hidden=True)
    viewer = UserFactory()
    Block.objects.create(blocker=viewer, blocked=other_user)
    titles = [n["title"] for n in client_for(viewer).get(f"/api/v1/places/{mine.place_id}/notes/").json()["results"]]
    assert titles == ["mine"]
    assert theirs.place_id == mine.place_id


@pytest.mark.django_db
def test_the_note_page_links_to_its_place(make_note, client):
    note = make_note(place_name="武康路", **at())
    html = client.get(f"/notes/{note.pk}/").content.decode()
    assert f'href="/places/{note.place_id}/"' in html


@pytest.mark.django_db
def test_the_migration_attaches_existing_notes_to_their_places(user):
    migration = import_module("posts.migrations.0003_places")
    old = [
        Note.objects.create(author=user, title="a", place_name="Manner Coffee", **at()),
        Note.objects.create(author=user, title="b", place_name="manner  coffee", **at(30)),
        Note.objects.create(author=user, title="c", place_name="外滩", lat=31.24, lng=121.49),
        Note.objects.create(author=user, title="d"),
    ]
    migration.attach_places(django_apps, None)
    a, b, c, d = (Note.objects.get(pk=note.pk) for note in old)
    assert a.place_id == b.place_id != c.place_id
    assert a.place.name == "Manner Coffee"
    assert d.place_id is None
    assert Place.objects.count() == 2


@pytest.mark.django_db
def test_the_demo_worlds_notes_gather_at_their_places():
    from django.core.management import call_command

    call_command("seed_demo", "--users", "30", "--notes", "60", "--images", "10", "--skip-post", "--no-progress")
    placed = list(Note.objects.exclude(place_name=""))
    assert placed and all(note.place_id for note in placed)
    named = {(note.city, " ".join(note.place_name.split())) for note in placed}
    assert Place.objects.count() == len(named)  # the notes of one place share one Place


def test_a_name_that_folding_lengthens_still_gets_a_key_that_fits(make_note):
    long_name = "ß" * 80  # 80 characters written, 160 once folded ("ss")
    first = make_note(place_name=long_name, lat=30.0, lng=120.0)
    second = make_note(place_name="ẞ" * 80, lat=30.0, lng=120.0)  # capital sharp s: folds the same
    place = Place.objects.get(pk=Note.objects.get(pk=first.pk).place_id)
    assert len(place.key) <= Place._meta.get_field("key").max_length
    assert Note.objects.get(pk=second.pk).place_id == place.pk
