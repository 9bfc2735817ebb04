"""A worker killed (SIGKILL) mid-transcode: nothing half-written is ever named to a client,
and the redelivered task makes the note ready once, with the same files and no extras."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import av
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from notifications.models import Notification
from posts import services
from posts.models import NoteVideo
from tests.conftest import client_for, requires_redis
from tests.factories import UserFactory
from tests.videos.conftest import wait_for_video
from tests.videos.media import all_metadata, make_video

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [requires_redis, pytest.mark.django_db(transaction=True)]


def _until(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _worker(tmp_path: Path, name: str) -> subprocess.Popen:
    """A real `celery worker` for the media queue, in a session of its own, on the test's database."""
    env = dict(
        os.environ,
        DATABASE_URL=_database_url(),
        REDIS_URL=settings.REDIS_URL,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        ORIGINALS_ROOT=str(tmp_path / "originals"),
        VIDEO_WORK_DIR=str(tmp_path / "work"),
        CELERY_VISIBILITY_TIMEOUT="2",  # the killed worker's message comes back within seconds
        DEBUG="1",
    )
    argv = [sys.executable, "-m", "celery", "-A", "redbook", "worker", "-Q", "media", "-P", "solo", "-n", f"{name}@%h"]
    log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _kill(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=20)


def _encoding(work: Path):
    """A rendition being written in the worker's temporary folder (mid-transcode)."""
    return [path for path in work.glob("rb-video-*/*p.mp4") if path.stat().st_size > 0]


def test_a_worker_killed_mid_transcode_leaves_no_partial_file_and_the_note_becomes_ready_once(tmp_path):
    (tmp_path / "work").mkdir()
    author = UserFactory()
    source = make_video(tmp_path / "long.mp4", size=(1280, 720), seconds=12, fps=30)
    upload = SimpleUploadedFile("long.mp4", source.read_bytes(), content_type="video/mp4")
    note = services.note_create(author=author, title="Killed mid-way", video=upload)

    first = _worker(tmp_path, "video-first")
    try:
        _until(lambda: _encoding(tmp_path / "work"), timeout=90, what="the first worker to start encoding")
    finally:
        _kill(first)

    video = NoteVideo.objects.get(note=note)
    assert video.status == "processing" and video.attempts == 1 and video.renditions == []
    seen = client_for(author).get(f"/api/v1/notes/{note.pk}/").json()["video"]
    assert seen["status"] == "processing" and seen["renditions"] == []

    second = _worker(tmp_path, "video-second")
    try:
        video = wait_for_video(note.pk, timeout=180)
    finally:
        _kill(second)

    assert video.status == "ready" and video.attempts == 2
    folder = f"videos/{note.pk}"
    assert sorted(default_storage.listdir(folder)[1]) == ["360p.mp4", "720p.mp4", "poster-thumb.webp", "poster.jpg"]
    for rendition in video.renditions:
        tags = all_metadata(default_storage.path(rendition["name"]))
        assert "location" not in tags
        with av.open(default_storage.path(rendition["name"])) as played:
            assert played.duration / av.time_base == pytest.approx(12, abs=0.2)  # whole, not cut short
    assert Notification.objects.filter(recipient=author, kind="video_ready").count() == 1
    author.refresh_from_db()
    assert author.notes_count == 1
