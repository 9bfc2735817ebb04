"""Video notes' media on an S3-compatible store (moto's server on loopback) and on the
local disk: the renditions and poster under videos/<id>/ are public, the original and the
poster's full-size frame private, and media_migrate carries all of them."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from posts import videos
from posts.models import Note, NoteImage, NoteVideo
from redbook.storage import originals_storage
from reliability.media import public_prefixes
from tests.conftest import client_for
from tests.storage.test_object_storage import fetch
from tests.videos.media import make_video

pytestmark = pytest.mark.django_db

LOCAL = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "originals": {"BACKEND": "redbook.storage.OriginalsFileStorage"},
}


def _ready_video_note(user, tmp_path) -> tuple[NoteVideo, NoteImage]:
    """A video note uploaded and transcoded in the current stores (the task run inline)."""
    path = make_video(tmp_path / "clip.mp4", seconds=0.5)
    video = SimpleUploadedFile("clip.mp4", path.read_bytes(), content_type="video/mp4")
    response = client_for(user).post("/api/v1/notes/", {"title": "clip", "video": video}, format="multipart")
    assert response.status_code == 201, response.json()
    note_id = response.json()["id"]
    assert videos.video_process(note_id=note_id) == "ready"
    assert Note.objects.get(pk=note_id).status == Note.Status.PUBLISHED
    return NoteVideo.objects.get(note_id=note_id), NoteImage.objects.get(note_id=note_id)


def _local_video_note(settings, user, tmp_path) -> tuple[NoteVideo, NoteImage]:
    saved = settings.STORAGES
    settings.STORAGES = {**saved, **LOCAL}
    try:
        return _ready_video_note(user, tmp_path)
    finally:
        settings.STORAGES = saved


def test_the_poster_original_is_the_full_frame_in_the_private_store(settings, user, tmp_path, capsys):
    settings.STORAGES = {**settings.STORAGES, **LOCAL}
    video, poster = _ready_video_note(user, tmp_path)
    folder = f"videos/{video.note_id}"
    assert poster.original.name == f"{folder}/poster-full.jpg"
    assert originals_storage().exists(poster.original.name)
    assert not default_storage.exists(poster.original.name)  # never among the public files
    assert poster.display.name == f"{folder}/poster.jpg" and default_storage.exists(poster.display.name)

    # Transcoding again (a retried task) keeps the same names, one copy each.
    NoteVideo.objects.filter(pk=video.pk).update(status=NoteVideo.Status.PROCESSING)
    Note.objects.filter(pk=video.note_id).update(status=Note.Status.PROCESSING)
    assert videos.video_process(note_id=video.note_id) == "ready"
    assert NoteImage.objects.get(note_id=video.note_id).original.name == poster.original.name
    assert sorted(originals_storage().listdir(folder)[1]) == sorted([Path(video.original).name, "poster-full.jpg"])

    call_command("media_migrate", "--no-progress")  # on the local disk: nothing to move
    assert "originals removed from public media 0, missing 0" in capsys.readouterr().out
    assert default_storage.exists(poster.display.name) and default_storage.exists(poster.thumb.name)
    assert originals_storage().exists(poster.original.name) and originals_storage().exists(video.original)


def test_the_bucket_policy_opens_videos_but_not_originals(bucket):
    assert "videos/" in public_prefixes()
    assert not [prefix for prefix in public_prefixes() if prefix.startswith("originals")]
    default_storage.save("videos/1/360p.mp4", SimpleUploadedFile("x", b"public bytes"))
    originals_storage().save("videos/1/original.mp4", SimpleUploadedFile("x", b"private bytes"))
    status, _headers, body = fetch(default_storage.url("videos/1/360p.mp4"))
    assert (status, body) == (200, b"public bytes")
    raw = f"{bucket.client.meta.endpoint_url}/{bucket.name}/originals/videos/1/original.mp4"
    assert fetch(raw)[0] == 403


def test_media_migrate_copies_video_files_once_into_their_stores(bucket, settings, user, tmp_path, capsys):
    video, poster = _local_video_note(settings, user, tmp_path)
    renditions = [rendition["name"] for rendition in video.renditions]
    assert renditions and all(name.startswith(f"videos/{video.note_id}/") for name in renditions)

    call_command("media_migrate", "--no-progress")
    out = capsys.readouterr().out
    files = 1 + len(renditions) + 3  # the video's original, its renditions, the poster's three
    assert f"copied {files}, already there 0, originals removed from public media 0, missing 0" in out
    keys = bucket.keys()
    assert f"originals/{video.original}" in keys and video.original not in keys
    assert f"originals/{poster.original.name}" in keys and poster.original.name not in keys
    assert {*renditions, poster.display.name, poster.thumb.name} <= keys
    for name in (*renditions, poster.display.name):
        assert fetch(default_storage.url(name))[0] == 200  # a <video> or <img> loads it from the bucket
    assert fetch(f"{bucket.client.meta.endpoint_url}/{bucket.name}/originals/{video.original}")[0] == 403
    assert Path(settings.MEDIA_ROOT, poster.display.name).exists()  # the local copy is left as it was

    call_command("media_migrate", "--no-progress")  # idempotent
    assert f"copied 0, already there {files}," in capsys.readouterr().out


def test_the_csp_lets_video_load_from_the_media_origin(settings):
    from redbook.media_settings import public_media_origin

    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["media-src"][0] == "'self'"
    origin = public_media_origin(settings.STORAGES)
    assert origin is None or origin in directives["media-src"]
