import time

import pytest

from posts.models import NoteVideo


@pytest.fixture
def video_dir(tmp_path):
    folder = tmp_path / "made"
    folder.mkdir()
    return folder


def wait_for_video(note_id: int, *, timeout: float = 60) -> NoteVideo:
    """The note's video once it left "processing" (polls the database the worker writes)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        video = NoteVideo.objects.get(note_id=note_id)
        if video.status != NoteVideo.Status.PROCESSING:
            return video
        time.sleep(0.2)
    raise AssertionError(f"note {note_id} still processing after {timeout}s")
