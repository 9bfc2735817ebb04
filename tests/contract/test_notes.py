"""API.md "Notes (posts)", walked as a client with real JPEG uploads."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image
from rest_framework.test import APIClient

from tests.contract.conftest import (
    COMMENT_FIELDS,
    api,
    assert_error,
    assert_fields,
    assert_iso_datetime,
    assert_list,
    assert_note,
    assert_user,
    collect_ids,
    jpeg,
    post_note,
)

pytestmark = pytest.mark.django_db


def served(client, url: str):
    path = url.split("://", 1)[-1].split("/", 1)[-1]
    return client.get("/" + path)


def test_create_note_multipart_and_read_it_back(alice_client, bob_client):
    data = {
        "title": "保湿面霜推荐",
        "body": "My winter routine #skincare with @bob",
        "images": [jpeg("a.jpg", size=(1600, 1200)), jpeg("b.jpg", size=(300, 600), color=(10, 200, 10))],
        "tags": "winter,moisturizer",
        "lat": "31.2304",
        "lng": "121.4737",
        "place_name": "Shanghai",
    }
    response = alice_client.post(api("notes/"), data, format="multipart")
    assert response.status_code == 201, response.content
    note = response.json()
    assert_note(note)
    assert note["title"] == "保湿面霜推荐"
    assert note["author"]["username"] == "alice"
    assert set(note["tags"]) >= {"winter", "moisturizer", "skincare"}  # #skincare from the body
    assert note["location"]["place_name"] == "Shanghai"
    assert abs(note["location"]["lat"] - 31.2304) < 1e-6 and abs(note["location"]["lng"] - 121.4737) < 1e-6
    assert len(note["images"]) == 2
    first, second = note["images"]
    assert first["width"] >= first["height"] and second["height"] > second["width"]  # order and sizes kept
    assert note["like_count"] == note["save_count"] == note["comment_count"] == note["view_count"] == 0
    assert note["liked_by_me"] is False and note["saved_by_me"] is False

    # Visible with its images as soon as the create call returns.
    for image in note["images"]:
        for key in ("url", "thumb_url"):
            got = served(bob_client, image[key])
            assert got.status_code == 200, image[key]
            body = b"".join(got.streaming_content) if got.streaming else got.content
            Image.open(io.BytesIO(body)).verify()

    fetched = APIClient().get(api(f"notes/{note['id']}/"))
    assert fetched.status_code == 200
    assert_note(fetched.json())
    assert fetched.json()["id"] == note["id"]


def test_tags_as_repeated_field(alice_client):
    data = {"title": "repeat", "images": [jpeg()], "tags": ["food", "shanghai"]}
    response = alice_client.post(api("notes/"), data, format="multipart")
    assert response.status_code == 201, response.content
    assert set(response.json()["tags"]) == {"food", "shanghai"}


def test_uploaded_photo_loses_its_gps_exif(alice_client, bob_client):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 14.0, 3.0)
    buffer = io.BytesIO()
    Image.new("RGB", (200, 150), (9, 9, 9)).save(buffer, "JPEG", exif=exif.tobytes())
    upload = SimpleUploadedFile("gps.jpg", buffer.getvalue(), content_type="image/jpeg")
    note = alice_client.post(api("notes/"), {"title": "gps", "images": [upload]}, format="multipart").json()
    for key in ("url", "thumb_url", "original_url"):
        if not note["images"][0].get(key):  # absent, or the private original (the author's only)
            continue
        got = served(bob_client, note["images"][0][key])
        body = b"".join(got.streaming_content) if got.streaming else got.content
        image = Image.open(io.BytesIO(body))
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo), key
        assert ExifTags.Base.Make not in image.getexif(), key  # all metadata stripped


@pytest.mark.parametrize(
    "files",
    [
        pytest.param([], id="no-image"),
        pytest.param([SimpleUploadedFile("fake.jpg", b"this is text, not a photo", "image/jpeg")], id="text-as-jpg"),
        pytest.param([jpeg(f"{i}.jpg") for i in range(10)], id="ten-images"),
    ],
)
def test_bad_uploads_are_4xx_and_save_nothing(alice_client, files):
    response = alice_client.post(api("notes/"), {"title": "bad", "images": files}, format="multipart")
    assert_error(response, 400, 413, 415)
    assert assert_list(alice_client.get(api("users/alice/notes/"))) == []


def test_decompression_bomb_is_refused(alice_client):
    buffer = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buffer, "PNG")
    bomb = SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")
    assert_error(alice_client.post(api("notes/"), {"title": "b", "images": [bomb]}, format="multipart"), 400, 413, 415)


def test_anonymous_cannot_post(db):
    response = APIClient().post(api("notes/"), {"title": "x", "images": [jpeg()]}, format="multipart")
    assert_error(response, 401)


def test_patch_and_delete_author_only(alice_client, bob_client):
    note = post_note(alice_client, title="draft title")
    url = api(f"notes/{note['id']}/")
    assert_error(bob_client.patch(url, {"title": "hijack"}, format="json"), 403)
    assert_error(bob_client.delete(url), 403)
    assert_error(APIClient().patch(url, {"title": "anon"}, format="json"), 401)
    patched = alice_client.patch(url, {"title": "new title", "body": "now with #update"}, format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["title"] == "new title"
    assert "update" in patched.json()["tags"]
    assert_note(patched.json())
    assert alice_client.delete(url).status_code == 204
    assert_error(bob_client.get(url), 404)
    assert_error(alice_client.get(url), 404)
    assert_error(alice_client.get(api("notes/999999999/")), 404)


def test_like_save_view_reshare_idempotent_with_counts(alice_client, bob_client, carol_client):
    note = post_note(alice_client, title="react to me")
    url = api(f"notes/{note['id']}/")
    for action, count in (("like", "like_count"), ("save", "save_count")):
        assert bob_client.post(url + f"{action}/").status_code == 201
        assert bob_client.post(url + f"{action}/").status_code == 201
        assert carol_client.post(url + f"{action}/").status_code == 201
        data = bob_client.get(url).json()
        assert data[count] == 2, (action, data[count])
        assert data[f"{action}d_by_me"] is True
        assert carol_client.delete(url + f"{action}/").status_code == 204
        assert carol_client.delete(url + f"{action}/").status_code == 204
        data = carol_client.get(url).json()
        assert data[count] == 1 and data[f"{action}d_by_me"] is False
        assert_error(APIClient().post(url + f"{action}/"), 401)

    for _ in range(3):
        assert bob_client.post(url + "view/").status_code == 202
    assert carol_client.post(url + "view/").status_code == 202
    assert bob_client.get(url).json()["view_count"] == 2  # once per viewer per day

    assert bob_client.post(url + "reshare/").status_code == 201
    assert bob_client.post(url + "reshare/").status_code == 201
    assert bob_client.delete(url + "reshare/").status_code == 204
    assert bob_client.delete(url + "reshare/").status_code == 204

    missing = api("notes/999999999/")
    for action in ("like", "save", "reshare", "view"):
        assert_error(bob_client.post(missing + f"{action}/"), 404)


def test_reshare_shows_in_followers_follow_feed(alice_client, bob_client, carol_client):
    note = post_note(alice_client, title="worth sharing")
    assert carol_client.post(api("users/bob/follow/")).status_code == 201
    assert note["id"] not in [n["id"] for n in assert_list(carol_client.get(api("feeds/follow/")))]
    assert bob_client.post(api(f"notes/{note['id']}/reshare/")).status_code == 201
    assert note["id"] in [n["id"] for n in assert_list(carol_client.get(api("feeds/follow/")))]
    assert bob_client.delete(api(f"notes/{note['id']}/reshare/")).status_code == 204
    assert note["id"] not in [n["id"] for n in assert_list(carol_client.get(api("feeds/follow/")))]


def test_comments_replies_and_delete_rules(alice_client, bob_client, carol_client):
    note = post_note(alice_client, title="comment on me")
    url = api(f"notes/{note['id']}/comments/")
    root = bob_client.post(url, {"body": "Love it!"}, format="json")
    assert root.status_code == 201, root.content
    root = root.json()
    assert_fields(root, COMMENT_FIELDS, "comment")
    assert_user(root["author"])
    assert root["parent_id"] is None and root["reply_count"] == 0 and root["body"] == "Love it!"
    assert_iso_datetime(root["created_at"])
    reply = carol_client.post(url, {"body": "same", "parent_id": root["id"]}, format="json")
    assert reply.status_code == 201, reply.content
    assert reply.json()["parent_id"] == root["id"]

    rows = assert_list(APIClient().get(url))
    assert rows[0]["id"] == root["id"]
    assert_fields(rows[0], COMMENT_FIELDS, "comment in list")
    assert rows[0]["reply_count"] == 1
    assert alice_client.get(api(f"notes/{note['id']}/")).json()["comment_count"] == 2

    assert_error(bob_client.post(url, {"body": "x", "parent_id": 999999999}, format="json"), 400, 404)
    assert_error(APIClient().post(url, {"body": "anon"}, format="json"), 401)
    assert_error(bob_client.post(api("notes/999999999/comments/"), {"body": "x"}, format="json"), 404)

    # Neither the commenter nor the note's author: 403. The note's author may.
    assert_error(carol_client.delete(api(f"comments/{root['id']}/")), 403)
    assert_error(bob_client.delete(api(f"comments/{reply.json()['id']}/")), 403)  # not bob's reply
    assert carol_client.delete(api(f"comments/{reply.json()['id']}/")).status_code == 204  # her own
    assert alice_client.delete(api(f"comments/{root['id']}/")).status_code == 204
    assert_error(alice_client.delete(api("comments/999999999/")), 404)
    assert root["id"] not in [c["id"] for c in assert_list(APIClient().get(url))]


def test_collections_and_saving_into_one(alice_client, bob_client):
    note = post_note(alice_client, title="save me")
    created = bob_client.post(api("collections/"), {"name": "Winter", "is_private": False}, format="json")
    assert created.status_code == 201, created.content
    board = created.json()
    assert board["name"] == "Winter" and board["is_private"] is False and "id" in board
    private = bob_client.post(api("collections/"), {"name": "Secret", "is_private": True}, format="json")
    assert private.status_code == 201 and private.json()["is_private"] is True

    boards = assert_list(bob_client.get(api("collections/")))
    assert {"Winter", "Secret"} <= {b["name"] for b in boards}

    saved = bob_client.post(api(f"notes/{note['id']}/save/"), {"collection_id": board["id"]}, format="json")
    assert saved.status_code == 201, saved.content
    notes = assert_list(alice_client.get(api(f"collections/{board['id']}/notes/")))
    assert [n["id"] for n in notes] == [note["id"]]
    assert_note(notes[0])

    secret_id = private.json()["id"]
    assert bob_client.get(api(f"collections/{secret_id}/notes/")).status_code == 200
    assert_error(alice_client.get(api(f"collections/{secret_id}/notes/")), 404)
    assert_error(alice_client.get(api("collections/999999999/notes/")), 404)
    # Saving into someone else's board is refused.
    assert_error(
        alice_client.post(api(f"notes/{note['id']}/save/"), {"collection_id": secret_id}, format="json"), 400, 403, 404
    )
    assert_error(bob_client.post(api("collections/"), {"is_private": True}, format="json"), 400)


def test_tag_notes_hot_and_new(alice_client, bob_client, carol_client):
    old = post_note(alice_client, title="old", tags="matcha")
    new = post_note(alice_client, title="new", tags="matcha")
    post_note(alice_client, title="other", tags="coffee")
    assert bob_client.post(api(f"notes/{old['id']}/like/")).status_code == 201
    assert carol_client.post(api(f"notes/{old['id']}/like/")).status_code == 201
    hot = assert_list(APIClient().get(api("tags/matcha/notes/?sort=hot")))
    assert [n["id"] for n in hot] == [old["id"], new["id"]]
    newest = assert_list(APIClient().get(api("tags/matcha/notes/?sort=new")))
    assert [n["id"] for n in newest] == [new["id"], old["id"]]
    for row in newest:
        assert_note(row)
    assert assert_list(APIClient().get(api("tags/never-used-tag/notes/"))) == []
    assert_error(APIClient().get(api("tags/matcha/notes/?sort=bogus")), 400)


def test_lists_page_by_cursor_up_to_50(alice, alice_client):
    from posts import services

    for i in range(55):
        services.note_create(author=alice, title=f"n{i}", body="", images=[jpeg(f"{i}.jpg", size=(20, 20))])
    url = api("users/alice/notes/")
    assert len(assert_list(APIClient().get(url + "?page_size=50"))) == 50
    assert len(assert_list(APIClient().get(url + "?page_size=500"))) == 50
    first = APIClient().get(url + "?page_size=20").json()
    assert len(first["results"]) == 20 and first["next"] and "cursor=" in first["next"]
    ids = collect_ids(APIClient(), url + "?page_size=20")
    assert len(ids) == 55 and len(set(ids)) == 55
    assert_error(APIClient().get(url + "?cursor=not-a-cursor"), 400, 404)


def test_an_upload_over_20_mb_is_413(alice_client):
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff\xe0" + b"\0" * (21 * 1024 * 1024), content_type="image/jpeg")
    assert_error(alice_client.post(api("notes/"), {"title": "big", "images": [big]}, format="multipart"), 413)


def test_script_in_title_and_body_is_escaped_on_the_note_page(alice_client, client):
    note = post_note(alice_client, title="<script>x</script>", body="<img src=x onerror=alert(2)>")
    page = client.get(f"/notes/{note['id']}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>x</script>" not in html and "<img src=x onerror" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_me_patch_location(alice_client):
    response = alice_client.patch(api("me/"), {"location": "Shanghai"}, format="json")
    assert response.status_code == 200, response.content
    assert alice_client.get(api("me/")).json().get("location") == "Shanghai"
