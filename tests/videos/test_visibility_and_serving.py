"""A processing video note is its author's alone; once ready it is everywhere, plays with
Range requests, shows a badge on cards; taken down, its files are no longer served."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.services import follow_create
from moderation.targets import target_set_down
from posts import services, videos
from posts.models import Note, NoteVideo
from search.indexing import notes_index
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.videos.media import make_video

pytestmark = pytest.mark.django_db(transaction=True)


def _video_note(author, video_dir, *, title="Sunset clip", seconds=2):
    path = make_video(video_dir / "clip.mp4", seconds=seconds)
    upload = SimpleUploadedFile("clip.mp4", path.read_bytes(), content_type="video/mp4")
    return services.note_create(
        author=author, title=title, body="#sunset by the sea", video=upload, lat=31.2, lng=121.4, place_name="Bund"
    )


def _browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _listed(client, url) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return [note["id"] for note in response.json()["results"]]


def _everywhere(client, author) -> dict[str, list[int]]:
    return {
        "follow": _listed(client, "/api/v1/feeds/follow/"),
        "nearby": _listed(client, "/api/v1/feeds/nearby/?lat=31.2&lng=121.4"),
        "tag": _listed(client, "/api/v1/tags/sunset/notes/"),
        "profile": _listed(client, f"/api/v1/users/{author.username}/notes/"),
        "search": _listed(client, "/api/v1/search/?q=sunset&type=notes"),
    }


def test_processing_notes_are_the_authors_alone_until_ready(video_dir):
    author, follower = UserFactory(), UserFactory()
    follow_create(follower=follower, followee=author)
    note = _video_note(author, video_dir)
    notes_index(note_ids=[note.pk])

    mine = client_for(author).get(f"/api/v1/notes/{note.pk}/").json()
    assert mine["status"] == "processing" and mine["video"]["status"] == "processing"
    assert mine["video"]["renditions"] == []
    assert client_for(follower).get(f"/api/v1/notes/{note.pk}/").status_code == 404
    assert _browser(follower).get(f"/notes/{note.pk}/").status_code == 404
    assert all(note.pk not in ids for ids in _everywhere(client_for(follower), author).values())
    assert b"Processing your video" in _browser(author).get(f"/notes/{note.pk}/").content

    assert videos.video_process(note_id=note.pk) == "ready"
    notes_index(note_ids=[note.pk])

    assert all(note.pk in ids for ids in _everywhere(client_for(follower), author).values())
    page = _browser(follower).get(f"/notes/{note.pk}/").content.decode()
    assert "<video" in page and "poster=" in page and 'type="video/mp4"' in page
    author.refresh_from_db()
    assert author.notes_count == 1
    assert videos.video_process(note_id=note.pk) == "skipped"  # a redelivered message: nothing twice


def test_failed_processing_tells_the_author_why(video_dir):
    author = UserFactory()
    note = _video_note(author, video_dir)
    original = NoteVideo.objects.get(note=note).original
    videos.originals().delete(original)
    videos.originals().save(original, SimpleUploadedFile("x", b"\x00\x00\x00\x18ftypisom" + b"\x00" * 5000))

    assert videos.video_process(note_id=note.pk) == "failed"

    body = client_for(author).get(f"/api/v1/notes/{note.pk}/").json()
    assert body["video"]["status"] == "failed" and body["video"]["error"]
    assert client_for(UserFactory()).get(f"/api/v1/notes/{note.pk}/").status_code == 404
    assert author.notifications.filter(kind="video_failed", note=note).count() == 1
    assert "could not be processed" in _browser(author).get(f"/notes/{note.pk}/").content.decode()


def test_renditions_answer_range_requests_with_long_cache(video_dir):
    note = _video_note(UserFactory(), video_dir)
    videos.video_process(note_id=note.pk)
    rendition = client_for(note.author).get(f"/api/v1/notes/{note.pk}/").json()["video"]["renditions"][0]
    path = rendition["url"].split("testserver", 1)[1]
    size = default_storage.size(path.removeprefix("/media/"))
    client = client_for(UserFactory())

    whole = client.get(path)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert "max-age=31536000" in whole["Cache-Control"] and whole["Content-Type"] == "video/mp4"
    first = client.get(path, HTTP_RANGE="bytes=0-99")
    assert first.status_code == 206 and first["Content-Range"] == f"bytes 0-99/{size}"
    assert b"".join(first.streaming_content) == b"".join(whole.streaming_content)[:100]
    tail = client.get(path, HTTP_RANGE="bytes=-10")
    assert tail.status_code == 206 and tail["Content-Range"] == f"bytes {size - 10}-{size - 1}/{size}"
    assert len(b"".join(tail.streaming_content)) == 10
    open_ended = client.get(path, HTTP_RANGE=f"bytes={size - 5}-")
    assert open_ended["Content-Range"] == f"bytes {size - 5}-{size - 1}/{size}"
    beyond = client.get(path, HTTP_RANGE=f"bytes={size}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{size}"
    assert client.get(path, HTTP_RANGE="bytes=0-1,5-9").status_code == 200  # several ranges: the whole file
    assert client.get("/media/../originals/x").status_code == 404


def test_cards_show_a_play_badge_and_the_length(video_dir):
    author = UserFactory()
    note = _video_note(author, video_dir, seconds=3)
    videos.video_process(note_id=note.pk)
    page = _browser(UserFactory()).get("/tags/sunset/").content.decode()
    assert f'data-video-card="{note.pk}"' in page
    assert '<time datetime="PT3S">0:03</time>' in page


def test_a_taken_down_video_is_no_longer_served_and_comes_back_restored(video_dir):
    note = _video_note(UserFactory(), video_dir)
    videos.video_process(note_id=note.pk)
    url = client_for(note.author).get(f"/api/v1/notes/{note.pk}/").json()["video"]["renditions"][0]["url"]
    path = url.split("testserver", 1)[1]
    client = client_for(UserFactory())
    assert client.get(path).status_code == 200

    target_set_down("note", Note.objects.get(pk=note.pk), down=True, reason="spam")
    assert client.get(path).status_code == 404
    assert client.get(f"/api/v1/notes/{note.pk}/").status_code == 404

    target_set_down("note", Note.objects.get(pk=note.pk), down=False)
    assert NoteVideo.objects.get(note=note).status == "processing"
    assert videos.video_process(note_id=note.pk) == "ready"
    assert client.get(path).status_code == 200


def test_the_author_edits_a_video_notes_words_from_the_page(video_dir):
    note = _video_note(UserFactory(), video_dir)
    videos.video_process(note_id=note.pk)
    browser = _browser(note.author)
    assert b'name="video"' not in browser.get(f"/notes/{note.pk}/edit/").content  # no photo or video pickers
    response = browser.post(f"/notes/{note.pk}/edit/", {"title": "Sunset, edited"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.title == "Sunset, edited" and note.status == "published" and note.images.count() == 1
    # The composer's script edits through the API, sending an empty photo order: ignored for a video.
    patched = client_for(note.author).patch(
        f"/api/v1/notes/{note.pk}/", {"title": "Sunset again", "image_order": ""}, format="multipart"
    )
    assert patched.status_code == 200 and patched.json()["video"]["status"] == "ready"
