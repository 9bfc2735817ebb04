"""Video notes through the API: probing refuses what is not a playable video, leaving nothing
behind; accepted ones become ready in a real worker with clean, fast-start renditions."""

import os

import pytest
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile

from notifications.models import Notification
from posts.models import Note, NoteVideo
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.posts.conftest import image_bytes
from tests.videos.conftest import wait_for_video
from tests.videos.media import GPS, all_metadata, make_audio_only, make_video, moov_before_mdat


def _post(client, path, *, name=None, cover=None, **fields):
    data = {"title": "My clip", "body": "a #video note", **fields}
    with open(path, "rb") as handle:
        data["video"] = SimpleUploadedFile(name or path.name, handle.read(), content_type="video/mp4")
    if cover is not None:
        data["cover"] = cover
    return client.post("/api/v1/notes/", data, format="multipart")


def _stored(storage) -> list[str]:
    """Every file name in a file-system storage (empty when its folder does not exist)."""
    root = storage.location
    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files]


@pytest.mark.parametrize(
    ("container", "vcodec", "acodec", "rotation", "expected"),
    [
        ("mp4", "libx264", "aac", None, (320, 240)),
        ("webm", "libvpx-vp9", "libopus", None, (320, 240)),
        ("mov", "libx264", None, 90, (240, 320)),  # a phone's portrait clip stays portrait
        ("mp4", "mpeg4", "aac", None, (320, 240)),
    ],
)
def test_accepted_videos_become_ready_with_their_duration_and_size(
    celery_worker, video_dir, container, vcodec, acodec, rotation, expected
):
    author = UserFactory()
    path = make_video(
        video_dir / f"clip.{container}",
        container=container,
        vcodec=vcodec,
        acodec=acodec,
        rotation=rotation,
        metadata={"location": GPS, "com.apple.quicktime.location.ISO6709": GPS, "make": "Apple"},
    )
    response = _post(client_for(author), path)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["media_type"] == "video" and body["video"]["status"] == "processing"

    video = wait_for_video(body["id"])
    assert video.status == "ready", video.error
    note = client_for(author).get(f"/api/v1/notes/{body['id']}/").json()
    assert note["status"] == "published" and note["images"] == []
    assert note["video"]["duration_s"] == pytest.approx(2.0, abs=0.15)
    assert (note["video"]["width"], note["video"]["height"]) == expected
    assert note["video"]["poster_url"].endswith("poster.jpg")
    [rendition] = note["video"]["renditions"]  # a 240p source: one rendition, never upscaled
    assert (rendition["width"], rendition["height"]) == expected
    name = rendition["url"].split("/media/", 1)[1]
    data = default_storage.open(name).read()
    assert moov_before_mdat(data)
    tags = all_metadata(default_storage.path(name))
    assert not [key for key in tags if "location" in key or "creation_time" in key or key in ("make", "model")]
    assert GPS.encode() not in data
    assert Notification.objects.filter(recipient=author, kind="video_ready", note_id=body["id"]).count() == 1


def test_a_large_source_gets_720p_and_360p(celery_worker, video_dir):
    author = UserFactory()
    path = make_video(video_dir / "hd.mp4", size=(1280, 720), seconds=1, fps=10)
    note_id = _post(client_for(author), path).json()["id"]
    assert wait_for_video(note_id).status == "ready"
    renditions = client_for(author).get(f"/api/v1/notes/{note_id}/").json()["video"]["renditions"]
    assert [(r["width"], r["height"]) for r in renditions] == [(1280, 720), (640, 360)]
    assert all(r["bitrate_kbps"] > 0 for r in renditions)


def _junk(video_dir, name, data: bytes):
    path = video_dir / name
    path.write_bytes(data)
    return path


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("zero bytes", 400, "empty_video"),
        ("image named .mp4", 415, "unsupported_video"),
        ("random bytes", 415, "unsupported_video"),
        ("truncated", 400, "invalid_video"),
        ("audio only", 415, "audio_only"),
        ("too long", 413, "video_too_long"),
        ("too many bytes", 413, "upload_too_large"),
        ("too wide", 400, "video_dimensions"),
    ],
)
def test_refused_uploads_say_why_and_leave_nothing(settings, video_dir, tmp_path, kind, status, code):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000  # every upload here streams to a temporary file
    if kind == "zero bytes":
        path = _junk(video_dir, "empty.mp4", b"")
    elif kind == "image named .mp4":
        path = _junk(video_dir, "photo.mp4", image_bytes("PNG", size=(64, 64)))
    elif kind == "random bytes":
        path = _junk(video_dir, "noise.mp4", os.urandom(50_000))
    elif kind == "truncated":
        whole = make_video(video_dir / "whole.mp4", seconds=4).read_bytes()
        path = _junk(video_dir, "cut.mp4", whole[: len(whole) // 2])
    elif kind == "audio only":
        path = make_audio_only(video_dir / "song.mp4")
    elif kind == "too long":
        settings.VIDEO_MAX_SECONDS = 1
        path = make_video(video_dir / "long.mp4", seconds=2)
    elif kind == "too many bytes":
        settings.VIDEO_MAX_BYTES = 5000
        path = make_video(video_dir / "big.mp4", seconds=2)
    else:
        path = make_video(video_dir / "wide.mp4", size=(4200, 64), seconds=0.2, acodec=None)
    author = UserFactory()

    response = _post(client_for(author), path)

    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert not Note.objects.filter(author=author).exists()
    assert _stored(storages["originals"]) == [] and _stored(default_storage) == []
    assert os.listdir(tmp_path / "uploads") == []


@pytest.mark.django_db
def test_a_video_note_takes_no_photos_and_no_draft(video_dir):
    author = UserFactory()
    path = make_video(video_dir / "clip.mp4", seconds=0.5)
    photo = SimpleUploadedFile("p.jpg", image_bytes(), content_type="image/jpeg")
    assert _post(client_for(author), path, images=[photo]).json()["code"] == "images_and_video"
    assert _post(client_for(author), path, status="draft").json()["code"] == "video_draft"
    assert not NoteVideo.objects.exists() and _stored(storages["originals"]) == []


def test_the_given_cover_is_the_poster(celery_worker, video_dir):
    author = UserFactory()
    cover = SimpleUploadedFile("cover.png", image_bytes("PNG", size=(300, 400)), content_type="image/png")
    note_id = _post(client_for(author), make_video(video_dir / "c.mp4", seconds=0.5), cover=cover).json()["id"]
    assert wait_for_video(note_id).status == "ready"
    note = client_for(author).get(f"/api/v1/notes/{note_id}/").json()
    assert "poster" not in note["video"]["poster_url"]  # the cover's own rendition
    assert Note.objects.get(pk=note_id).images.count() == 1
