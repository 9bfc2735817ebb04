"""Boards (collections): rename, private, delete without losing saves; profile Boards and Likes tabs."""

import pytest

from posts import services
from posts.models import Collection, Like, Save
from redbook.exceptions import Forbidden
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.posts.test_lists_and_pages import browser_for

pytestmark = pytest.mark.django_db


def _board(owner, name="Cafés", **kwargs) -> Collection:
    return services.collection_create(owner=owner, name=name, **kwargs)


def test_owner_renames_and_makes_a_board_private(user, other_user, anon_client):
    board = _board(user)
    client = client_for(user)
    response = client.patch(f"/api/v1/collections/{board.pk}/", {"name": " Coffee ", "is_private": True}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "Coffee" and response.json()["is_private"] is True
    assert anon_client.get(f"/api/v1/collections/{board.pk}/").status_code == 404
    assert client_for(other_user).get(f"/api/v1/collections/{board.pk}/").status_code == 404
    assert (
        client.patch(f"/api/v1/collections/{board.pk}/", {"is_private": False}, format="json").json()["name"]
        == "Coffee"
    )


def test_only_the_owner_may_change_or_delete_a_board(user, other_user, anon_client):
    public, private = _board(user, "Public"), _board(user, "Secret", is_private=True)
    stranger = client_for(other_user)
    assert stranger.patch(f"/api/v1/collections/{public.pk}/", {"name": "Mine"}, format="json").status_code == 403
    assert stranger.delete(f"/api/v1/collections/{public.pk}/").status_code == 403
    assert stranger.delete(f"/api/v1/collections/{private.pk}/").status_code == 404  # not even seen
    assert anon_client.delete(f"/api/v1/collections/{public.pk}/").status_code in (401, 403)
    assert set(Collection.objects.filter(owner=user).values_list("name", flat=True)) == {"Public", "Secret"}


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [({"name": ""}, 400, "name_required"), ({"name": "x" * 51}, 400, "name_too_long"), ({"name": "Other"}, 409, None)],
)
def test_renaming_rejects_bad_names_and_keeps_the_old_one(user, body, status, code):
    board = _board(user)
    _board(user, "Other")
    response = client_for(user).patch(f"/api/v1/collections/{board.pk}/", body, format="json")
    assert response.status_code == status
    if code:
        assert response.json()["code"] == code
    board.refresh_from_db()
    assert board.name == "Cafés"


def test_deleting_a_board_moves_its_saves_to_saved(make_note, user, other_user):
    first, second = make_note(title="One"), make_note(title="Two")
    board = _board(other_user)
    services.note_save(user=other_user, note=first, collection_id=board.pk)
    services.note_save(user=other_user, note=second)  # into "Saved"
    client = client_for(other_user)
    assert client.delete(f"/api/v1/collections/{board.pk}/").status_code == 204
    assert not Collection.objects.filter(pk=board.pk).exists()
    default = Collection.objects.get(owner=other_user, is_default=True)
    assert set(Save.objects.filter(user=other_user).values_list("collection_id", flat=True)) == {default.pk}
    assert default.notes_count == 2
    first.refresh_from_db()
    assert first.save_count == 1  # still saved
    assert client.delete(f"/api/v1/collections/{default.pk}/").json()["code"] == "default_board"
    assert Collection.objects.filter(pk=default.pk).exists()


def test_board_pages_rename_and_delete(make_note, user, other_user):
    board = _board(other_user, "Trips")
    services.note_save(user=other_user, note=make_note(), collection_id=board.pk)
    browser = browser_for(other_user)
    assert 'id="board-delete"' in browser.get(f"/collections/{board.pk}/").content.decode()
    assert 'id="board-edit"' not in browser_for(user).get(f"/collections/{board.pk}/").content.decode()
    assert browser_for(user).post(f"/collections/{board.pk}/edit/", {"name": "Hijack"}).status_code == 403
    response = browser.post(f"/collections/{board.pk}/edit/", {"name": "Summer trips", "is_private": "on"})
    assert response.status_code == 302
    board.refresh_from_db()
    assert (board.name, board.is_private) == ("Summer trips", True)
    response = browser.post(f"/collections/{board.pk}/delete/")
    assert response.status_code == 302 and response["Location"].endswith("?tab=boards")
    assert Save.objects.get(user=other_user).collection.is_default


def test_new_board_form_on_ones_own_boards_tab(user):
    browser = browser_for(user)
    response = browser.post("/collections/new/", {"name": "Recipes", "is_private": "on"})
    board = Collection.objects.get(owner=user, name="Recipes")
    assert response.status_code == 302 and board.is_private
    assert browser.post("/collections/new/", {"name": "Recipes"}).status_code == 302
    assert Collection.objects.filter(owner=user, name="Recipes").count() == 1


def test_note_page_knows_which_board_holds_the_saved_note(note, other_user):
    board = _board(other_user)
    services.note_save(user=other_user, note=note, collection_id=board.pk)
    html = browser_for(other_user).get(f"/notes/{note.pk}/").content.decode()
    assert f'data-collection-id="{board.pk}"' in html and 'id="save-dialog"' in html


# --- Likes: private unless shown ----------------------------------------------------------


def test_likes_are_private_by_default_and_shown_when_the_owner_says_so(note, user, other_user, anon_client):
    services.note_like(user=other_user, note=note)
    url = f"/api/v1/users/{other_user.username}/likes/"
    assert anon_client.get(url).json()["code"] == "likes_private"
    assert client_for(user).get(url).status_code == 403
    assert client_for(other_user).get(url).json()["results"][0]["id"] == note.pk  # one's own, always
    me = client_for(other_user).patch("/api/v1/me/", {"likes_public": True}, format="json").json()
    assert me["likes_public"] is True
    assert [n["id"] for n in anon_client.get(url).json()["results"]] == [note.pk]
    assert client_for(user).get("/api/v1/me/").json()["likes_public"] is False


def test_profile_settings_page_switches_likes_on(user):
    browser = browser_for(user)
    assert 'name="likes_public"' in browser.get("/accounts/profile/edit/").content.decode()
    browser.post("/accounts/profile/edit/", {"display_name": "Ann", "likes_public": "on"})
    user.refresh_from_db()
    assert user.likes_public is True
    browser.post("/accounts/profile/edit/", {"display_name": "Ann"})
    user.refresh_from_db()
    assert user.likes_public is False


def test_likes_tab_shows_private_notice_or_notes(note, user, other_user):
    services.note_like(user=other_user, note=note)
    assert "Likes are private." in browser_for(user).get(f"/u/{other_user.username}/?tab=likes").content.decode()
    own = browser_for(other_user).get(f"/u/{other_user.username}/?tab=likes").content.decode()
    assert f"/notes/{note.pk}/" in own and "Only you can see your likes." in own


@pytest.mark.parametrize("tab", ["notes", "boards", "likes", "collections"])
def test_profile_tabs_queries_are_bounded(make_note, user, other_user, django_assert_max_num_queries, tab):
    other_user.likes_public = True
    other_user.save(update_fields=["likes_public"])
    for i in range(8):
        mine = make_note(other_user, title=f"Mine {i}")
        theirs = make_note(UserFactory(), title=f"Theirs {i}")
        services.note_like(user=other_user, note=theirs)
        services.note_save(user=other_user, note=theirs, collection_id=_board(other_user, f"Board {i}").pk)
        services.note_like(user=user, note=mine)
    browser = browser_for(user)
    # A cold card cache (posts.cards): visibility, notes and authors, images, products, tags.
    with django_assert_max_num_queries(14):
        response = browser.get(f"/u/{other_user.username}/?tab={tab}")
    html = response.content.decode()
    assert response.status_code == 200
    if tab in ("notes", "likes"):
        assert html.count('class="card"') == 8
    else:
        assert html.count('class="collection-tile"') == 8
    assert Like.objects.count() == 16


def test_board_list_queries_are_bounded(make_note, other_user, django_assert_max_num_queries):
    for i in range(10):
        services.note_save(user=other_user, note=make_note(), collection_id=_board(other_user, f"B{i}").pk)
    client = client_for(other_user)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/collections/")
    assert len(response.json()["results"]) == 10


def test_a_suspended_account_cannot_delete_a_board(user):
    board = services.collection_create(owner=user, name="Trips", is_private=False)
    user.is_suspended = True
    user.save(update_fields=["is_suspended"])
    with pytest.raises(Forbidden):  # (the API and the pages do not sign a suspended account in)
        services.collection_delete(user=user, collection_id=board.pk)
    assert Collection.objects.filter(pk=board.pk).exists()
