"""POST/GET/PATCH/DELETE notes/: fields, uploads, drafts, authorization."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from accounts.models import Block
from posts.models import Note, NoteImage
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.posts.conftest import bomb_png, gps_exif, image_bytes, upload

pytestmark = pytest.mark.django_db

NOTE_FIELDS = {
    "id", "author", "title", "body", "images", "tags", "location", "products", "like_count", "save_count",
    "comment_count", "view_count", "liked_by_me", "saved_by_me", "created_at",
}  # fmt: skip


def _post(client, *, images=None, **data):
    payload = {"title": "Morning latte", "body": "So good #coffee with @nobody", **data}
    payload["images"] = [upload()] if images is None else images
    return client.post("/api/v1/notes/", payload, format="multipart")


def test_create_returns_the_note_with_images_tags_and_place(api_client, user):
    response = _post(
        api_client,
        images=[upload("a.jpg"), upload("b.png", image_bytes("PNG"), "image/png")],
        tags="latte, cafe",
        lat="31.23",
        lng="121.47",
        place_name="Shanghai",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) >= NOTE_FIELDS
    assert data["author"]["username"] == user.username
    assert [set(i) >= {"url", "thumb_url", "width", "height"} for i in data["images"]] == [True, True]
    assert data["images"][0]["thumb_url"].endswith(".webp")
    assert sorted(data["tags"]) == ["cafe", "coffee", "latte"]
    place_id = data["location"]["place_id"]
    assert data["location"] == {
        "lat": 31.23,
        "lng": 121.47,
        "place_name": "Shanghai",
        "place_id": place_id,
        "place_url": f"http://testserver/places/{place_id}/",
    }
    assert data["status"] == "published" and data["share_url"].endswith(f"/notes/{data['id']}/")
    assert (data["like_count"], data["liked_by_me"], data["saved_by_me"]) == (0, False, False)
    user.refresh_from_db()
    assert user.notes_count == 1


def test_tags_may_be_repeated_fields(api_client):
    response = _post(api_client, body="", tags=["one", "#two", "One"])
    assert sorted(response.json()["tags"]) == ["one", "two"]


def test_served_images_have_no_gps(api_client):
    photo = SimpleUploadedFile("gps.jpg", image_bytes(size=(300, 200), exif=gps_exif()), content_type="image/jpeg")
    data = _post(api_client, images=[photo]).json()
    image = data["images"][0]
    for key in ("url", "thumb_url", "original_url"):
        # What the URL serves: /media/ (the test's MEDIA_ROOT is a temp folder) or the signed original.
        response = api_client.get(image[key].removeprefix("http://testserver"))
        assert response.status_code == 200, key
        content = b"".join(response.streaming_content)
        picture = Image.open(io.BytesIO(content))
        assert not picture.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert b"PhoneCo" not in content


def test_heic_photos_are_accepted(api_client):
    response = _post(api_client, images=[upload("IMG_0001.HEIC", image_bytes("HEIF"), "image/heic")])
    assert response.status_code == 201
    assert response.json()["images"][0]["url"].endswith(".jpg")


def test_orientation_is_honoured(api_client):
    photo = upload("rotated.jpg", image_bytes(size=(80, 40), exif=gps_exif(orientation=6)))
    image = _post(api_client, images=[photo]).json()["images"][0]
    assert (image["width"], image["height"]) == (40, 80)


@pytest.mark.parametrize(
    ("images", "status", "code"),
    [
        (lambda: [upload("notes.jpg", b"this is a text file")], 415, "unsupported_media_type"),
        (lambda: [upload("bomb.png", bomb_png(), "image/png")], 413, "image_too_many_pixels"),
        (lambda: [upload(f"{i}.jpg") for i in range(10)], 400, "too_many_images"),
        (lambda: [], 400, "images_required"),
        (lambda: [upload("ok.jpg"), upload("bad.jpg", b"nope")], 415, "unsupported_media_type"),
    ],
    ids=["text-as-jpg", "bomb", "ten-images", "no-image", "one-bad-of-two"],
)
def test_bad_uploads_are_refused_and_nothing_is_saved(api_client, user, settings, images, status, code):
    response = _post(api_client, images=images())
    assert response.status_code == status
    assert response.json()["code"] == code and response.json()["detail"]
    assert not Note.objects.exists() and not NoteImage.objects.exists()
    assert not (settings.MEDIA_ROOT / "notes").exists()
    user.refresh_from_db()
    assert user.notes_count == 0


def test_files_over_20_mb_are_413(api_client):
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"\0" * (20 * 1024 * 1024 + 1), content_type="image/jpeg")
    response = _post(api_client, images=[big])
    assert response.status_code == 413
    assert not Note.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"title": "x" * 101},
        {"title": "   "},
        {"lat": "91", "lng": "0"},
        {"lat": "30"},
        {"lat": "north", "lng": "1"},
        {"product_ids": "999999"},
        {"product_ids": "abc"},
    ],
)
def test_bad_fields_are_400_with_a_message(api_client, data):
    response = _post(api_client, **data)
    assert response.status_code == 400
    assert response.json()
    assert not Note.objects.exists()


def test_anonymous_cannot_post(anon_client):
    assert _post(anon_client).status_code == 401


def test_drafts_are_private_until_published(api_client, user, other_user):
    draft = _post(api_client, images=[], status="draft").json()
    assert draft["status"] == "draft"
    assert client_for(other_user).get(f"/api/v1/notes/{draft['id']}/").status_code == 404
    assert api_client.get(f"/api/v1/notes/{draft['id']}/").status_code == 200
    assert api_client.get(f"/api/v1/users/{user.username}/notes/").json()["results"] == []
    # Publishing needs a photo.
    refused = api_client.patch(f"/api/v1/notes/{draft['id']}/", {"status": "published"}, format="multipart")
    assert refused.status_code == 400
    published = api_client.patch(
        f"/api/v1/notes/{draft['id']}/", {"status": "published", "images": [upload()]}, format="multipart"
    )
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert client_for(other_user).get(f"/api/v1/notes/{draft['id']}/").status_code == 200
    user.refresh_from_db()
    assert user.notes_count == 1


def test_author_edits_others_get_403_and_hidden_notes_404(api_client, user, other_user, note):
    url = f"/api/v1/notes/{note.pk}/"
    response = api_client.patch(url, {"title": "Better title", "body": "now #updated"}, format="json")
    assert response.status_code == 200
    assert response.json()["title"] == "Better title" and "updated" in response.json()["tags"]
    stranger = client_for(other_user)
    assert stranger.patch(url, {"title": "mine"}, format="json").status_code == 403
    assert stranger.delete(url).status_code == 403
    Block.objects.create(blocker=user, blocked=other_user)
    assert stranger.get(url).status_code == 404
    assert stranger.patch(url, {"title": "mine"}, format="json").status_code == 404
    Note.objects.filter(pk=note.pk).update(is_hidden=True)
    assert client_for(UserFactory()).get(url).status_code == 404
    assert api_client.get(url).status_code == 200  # the author still sees it


def test_patch_replaces_images(api_client, note):
    response = api_client.patch(
        f"/api/v1/notes/{note.pk}/", {"images": [upload("1.jpg"), upload("2.jpg")]}, format="multipart"
    )
    assert response.status_code == 200
    assert len(response.json()["images"]) == 2
    assert NoteImage.objects.filter(note=note).count() == 2


def test_delete_is_soft_and_final(api_client, user, note, anon_client):
    url = f"/api/v1/notes/{note.pk}/"
    assert api_client.delete(url).status_code == 204
    assert api_client.get(url).status_code == 404
    assert anon_client.get(url).status_code == 404
    assert api_client.delete(url).status_code == 404
    user.refresh_from_db()
    assert user.notes_count == 0


def test_products_are_linked_and_summarised(api_client):
    from shop.models import Product, ProductImage

    brand = UserFactory(account_type="brand", username="glowco")
    product = Product.objects.create(brand=brand, name="Glow serum", price_min="99.00", price_max="129.00")
    ProductImage.objects.create(product=product, image="p.jpg", thumb="t.jpg", width=1, height=1)
    data = _post(api_client, product_ids=str(product.pk)).json()
    assert data["products"] == [
        {
            "id": product.pk,
            "name": "Glow serum",
            "price_min": "99.00",
            "price_max": "129.00",
            "currency": "CNY",
            "image": "http://testserver/media/t.jpg",
            "brand": "glowco",
        }
    ]


def test_patch_json_takes_tag_lists(api_client, note):
    response = api_client.patch(f"/api/v1/notes/{note.pk}/", {"tags": ["hike", "#trail"]}, format="json")
    assert response.status_code == 200
    assert sorted(response.json()["tags"]) == ["hike", "trail"]
