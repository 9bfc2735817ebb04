"""Editing the words of a video note while it is still processing (no cover yet): the
page always asks to publish, and no image is required before the video is ready."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from posts.models import Note
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.videos.media import make_video

pytestmark = pytest.mark.django_db


def _processing_note(author, video_dir) -> int:
    path = make_video(video_dir / "clip.mp4", seconds=0.5)
    with open(path, "rb") as handle:
        video = SimpleUploadedFile("clip.mp4", handle.read(), content_type="video/mp4")
    response = client_for(author).post("/api/v1/notes/", {"title": "My clip", "video": video}, format="multipart")
    assert response.status_code == 201, response.json()
    note = Note.objects.get(pk=response.json()["id"])
    assert note.status == Note.Status.PROCESSING and not note.images.exists()
    return note.pk


def test_the_page_edits_a_processing_note(video_dir):
    author = UserFactory()
    note_id = _processing_note(author, video_dir)
    client = Client()
    client.force_login(author)
    response = client.post(f"/notes/{note_id}/edit/", {"title": "New words", "body": "still processing"})
    assert response.status_code == 302, response.content.decode()[:2000]
    note = Note.objects.get(pk=note_id)
    assert note.title == "New words" and note.status == Note.Status.PROCESSING and not note.published_at


def test_the_api_edits_a_processing_note(video_dir):
    author = UserFactory()
    note_id = _processing_note(author, video_dir)
    response = client_for(author).patch(
        f"/api/v1/notes/{note_id}/", {"title": "New words", "status": "published"}, format="json"
    )
    assert response.status_code == 200, response.json()
    note = Note.objects.get(pk=note_id)
    assert note.title == "New words" and note.status == Note.Status.PROCESSING and not note.published_at
