"""Editing a note: fields without touching photos, single photos added, removed and
reordered (image_order), its validation, and the author's drafts (me/drafts/)."""

import pytest
from django.core.files.storage import default_storage

from posts import services
from posts.models import Note, NoteImage
from shop.models import Product
from tests.conftest import client_for
from tests.factories import BrandFactory, UserFactory
from tests.posts.conftest import image_bytes, upload

pytestmark = pytest.mark.django_db

BOUNDARY = "RedBookBoundary"


def _browser_form(fields: dict) -> bytes:
    """A multipart body as a browser sends a form whose file input was left empty."""
    parts = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="images"; filename=""\r\n'
        "Content-Type: application/octet-stream\r\n\r\n\r\n"
    )
    return ("".join(parts) + f"--{BOUNDARY}--\r\n").encode()


def _image_ids(note) -> list[int]:
    return list(NoteImage.objects.filter(note=note).order_by("position").values_list("pk", flat=True))


def _patch(client, note, data, fmt="multipart"):
    return client.patch(f"/api/v1/notes/{note.pk}/", data, format=fmt)


def test_an_empty_file_input_leaves_the_photos_and_the_rest_is_edited(api_client, make_note):
    note = make_note(images=2, title="Old title", tags=["old"])
    before = _image_ids(note)
    product = Product.objects.create(brand=BrandFactory(), name="Glow serum", price_min="9.00", price_max="9.00")
    fields = {"title": "New title", "tags": "new, fresh", "place_name": "West Lake", "product_ids": product.pk}
    response = api_client.generic(
        "PATCH",
        f"/api/v1/notes/{note.pk}/",
        _browser_form(fields),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["title"], sorted(data["tags"]), data["location"]["place_name"]) == (
        "New title",
        ["fresh", "new"],
        "West Lake",
    )
    assert [p["id"] for p in data["products"]] == [product.pk]
    assert _image_ids(note) == before


def test_image_order_reorders_removes_and_adds_single_photos(api_client, make_note, django_capture_on_commit_callbacks):
    note = make_note(images=3)
    first, second, third = _image_ids(note)
    dropped = NoteImage.objects.get(pk=second).display.name
    with django_capture_on_commit_callbacks(execute=True):
        response = _patch(
            api_client,
            note,
            {
                "image_order": [str(third), services.NEW_IMAGE, str(first)],
                "images": [upload("a.jpg", image_bytes(size=(80, 40))), upload("b.jpg", image_bytes(size=(30, 60)))],
            },
        )
    assert response.status_code == 200, response.content
    images = list(NoteImage.objects.filter(note=note).order_by("position"))
    assert (images[0].pk, images[2].pk) == (third, first)  # the third photo is the cover now
    assert [(image.width, image.height) for image in images] == [(64, 48), (80, 40), (64, 48), (30, 60)]
    assert [image.position for image in images] == [0, 1, 2, 3]  # the unplaced new file is appended
    assert [i["width"] for i in response.json()["images"]] == [64, 80, 64, 30]
    assert not default_storage.exists(dropped)  # the removed photo's files are gone after commit


def test_image_order_as_a_json_list_and_a_comma_list(api_client, make_note):
    note = make_note(images=2)
    first, second = _image_ids(note)
    assert _patch(api_client, note, {"image_order": [second, first]}, fmt="json").status_code == 200
    assert _image_ids(note) == [second, first]
    assert _patch(api_client, note, {"image_order": f"{first},{second}"}).status_code == 200
    assert _image_ids(note) == [first, second]


@pytest.mark.parametrize(
    ("order", "code"),
    [
        ("foreign", "unknown_image"),
        ("duplicate", "duplicate_image"),
        ("empty", "images_required"),
        ("letters", "invalid_image_order"),
        ("negative", "invalid_image_order"),
        ("too_many_new", "invalid_image_order"),
        ("huge", "invalid_image_order"),
        ("unicode", "invalid_image_order"),
    ],
)
def test_bad_image_orders_are_400_and_change_nothing(api_client, make_note, user, order, code):
    note = make_note(images=2, title="Kept")
    other = make_note(UserFactory(), images=1)
    first, second = _image_ids(note)
    orders = {
        "foreign": f"{first},{_image_ids(other)[0]}",
        "duplicate": f"{first},{first}",
        "empty": "",
        "letters": "first",
        "negative": "-1",
        "too_many_new": f"{first},new,new",
        "huge": "9" * 5000,  # past int()'s 4,300 digits: a ValueError nothing caught
        "unicode": "\u0663",
    }
    files = [] if order == "empty" else [upload()]  # an empty order with a new file replaces the photos
    response = _patch(api_client, note, {"title": "Changed", "image_order": orders[order], "images": files})
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code and response.json()["detail"]
    note.refresh_from_db()
    assert note.title == "Kept" and _image_ids(note) == [first, second]


def test_at_most_nine_photos_remain(api_client, make_note):
    note = make_note(images=8)
    order = ",".join(map(str, _image_ids(note)))
    response = _patch(api_client, note, {"image_order": order, "images": [upload(), upload()]})
    assert response.status_code == 400 and response.json()["code"] == "too_many_images"
    assert NoteImage.objects.filter(note=note).count() == 8


def test_image_order_null_keeps_the_photos_and_other_shapes_are_refused(api_client, make_note):
    draft = make_note(images=2, draft=True)
    photos = _image_ids(draft)
    assert _patch(api_client, draft, {"title": "Same photos", "image_order": None}, fmt="json").status_code == 200
    assert _image_ids(draft) == photos
    for shape in (1.5, {"a": 1}, [[1]], True):
        response = _patch(api_client, draft, {"image_order": shape, "tags": "x"}, fmt="json")
        assert response.status_code == 400, shape
    response = _patch(api_client, draft, {"tags": 2.5}, fmt="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert _image_ids(draft) == photos


def test_a_draft_may_drop_every_photo_but_cannot_publish_without_one(api_client, make_note):
    draft = make_note(images=1, draft=True)
    assert _patch(api_client, draft, {"image_order": ""}).status_code == 200
    assert not NoteImage.objects.filter(note=draft).exists()
    response = _patch(api_client, draft, {"status": "published"})
    assert response.status_code == 400 and response.json()["code"] == "images_required"
    response = _patch(api_client, draft, {"status": "published", "image_order": "new", "images": [upload()]})
    assert response.status_code == 200 and response.json()["status"] == "published"


def test_only_the_author_reorders(make_note, other_user):
    note = make_note(images=2)
    first, second = _image_ids(note)
    response = _patch(client_for(other_user), note, {"image_order": f"{second},{first}"})
    assert response.status_code == 403
    assert _image_ids(note) == [first, second]


def test_the_edit_page_without_javascript_keeps_and_orders_photos(client, user, make_note):
    note = make_note(images=2, title="Old")
    first, second = _image_ids(note)
    client.force_login(user)
    form = {"title": "New", "body": "", "tags": "", "status": "published", "image_order": [second, first]}
    response = client.post(f"/notes/{note.pk}/edit/", form)
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.title == "New" and _image_ids(note) == [second, first]
    page = client.get(f"/notes/{note.pk}/edit/").content.decode()
    assert page.index(f'value="{second}"') < page.index(f'value="{first}"')


def test_my_drafts_lists_the_authors_drafts_only(api_client, user, make_note, django_assert_max_num_queries):
    drafts = [make_note(title=f"Draft {i}", draft=True, images=i % 2) for i in range(3)]
    make_note(title="Live")
    make_note(UserFactory(), title="Someone else's draft", draft=True)
    with django_assert_max_num_queries(12):
        response = api_client.get("/api/v1/me/drafts/?page_size=2")
    assert response.status_code == 200
    page = response.json()
    assert [n["title"] for n in page["results"]] == ["Draft 2", "Draft 1"] and page["next"]
    rest = api_client.get(page["next"]).json()
    assert [n["id"] for n in rest["results"]] == [drafts[0].pk] and rest["next"] is None
    assert {n["status"] for n in page["results"] + rest["results"]} == {"draft"}


def test_my_drafts_needs_a_sign_in(anon_client):
    response = anon_client.get("/api/v1/me/drafts/")
    assert response.status_code == 401 and response.json()["detail"]


def test_a_published_draft_leaves_the_drafts(api_client, make_note):
    draft = make_note(title="Soon", draft=True)
    assert _patch(api_client, draft, {"status": "published"}).status_code == 200
    assert api_client.get("/api/v1/me/drafts/").json()["results"] == []
    assert Note.objects.get(pk=draft.pk).status == "published"


def test_a_new_note_ignores_image_order(api_client):
    payload = {"title": "New", "images": [upload(), upload()], "image_order": "new,7"}
    response = api_client.post("/api/v1/notes/", payload, format="multipart")
    assert response.status_code == 201 and len(response.json()["images"]) == 2


def test_a_photo_removed_meanwhile_is_a_409(api_client, make_note, monkeypatch):
    note = make_note(images=2)
    first, second = _image_ids(note)
    checked = services._image_layout

    def layout_then_another_edit(*args, **kwargs):
        layout = checked(*args, **kwargs)
        NoteImage.objects.filter(pk=second).delete()  # another tab's edit commits in between
        return layout

    monkeypatch.setattr(services, "_image_layout", layout_then_another_edit)
    response = _patch(api_client, note, {"title": "Changed", "image_order": f"{second},{first}"})
    assert response.status_code == 409 and response.json()["code"] == "images_changed"
    note.refresh_from_db()
    assert note.title != "Changed" and _image_ids(note) == [first]


def test_the_drafts_tab_is_the_owners_alone_in_bounded_queries(client, user, make_note, django_assert_max_num_queries):
    for i in range(6):
        make_note(title=f"Draft {i}", draft=True, images=i % 2)
    client.force_login(user)
    with django_assert_max_num_queries(15):
        page = client.get(f"/u/{user.username}/?tab=drafts").content.decode()
    assert page.count('class="draft-row"') == 6
    client.force_login(UserFactory())
    page = client.get(f"/u/{user.username}/?tab=drafts").content.decode()
    assert 'class="draft-row"' not in page and 'href="?tab=drafts"' not in page
