"""A video note from the composer: upload progress, the processing state, then playing and
seeking on the note page, with the browser's Range requests answered 206."""

import re

import pytest
from django.conf import settings
from django.test import Client

from posts.models import Note, NoteVideo
from tests.conftest import real_worker
from tests.e2e.conftest import screenshot
from tests.factories import UserFactory
from tests.videos.media import make_video

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"publish": "Publish", "processing": "Processing your video", "video": "Video"},
    "zh-hans": {"publish": "发布", "processing": "正在处理你的视频", "video": "视频"},
}
# Keeps each percentage the composer shows, in sessionStorage: the page navigates away once done.
WATCH_PROGRESS = """
document.addEventListener("DOMContentLoaded", () => {
  const percent = document.querySelector("[data-upload-percent]");
  if (!percent) return;
  new MutationObserver(() => {
    sessionStorage.setItem("upload", (sessionStorage.getItem("upload") || "") + " " + percent.textContent);
  }).observe(percent, {childList: true, characterData: true, subtree: true});
});
"""


@pytest.fixture
def media_through_the_app(monkeypatch):
    """Django's live server answers MEDIA_URL itself (static.serve, no Range); let the app's
    redbook.media_files serve it, as `make run` does."""
    from django.test.testcases import _MediaFilesHandler

    monkeypatch.setattr(_MediaFilesHandler, "_should_handle", lambda self, path: False)


def _signed_in(page_at, live_server, user, *, width, language):
    page = page_at(width)
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    return page


@pytest.mark.parametrize(("width", "language"), [(390, "en"), (1440, "zh-hans")])
def test_upload_a_video_see_it_process_then_play_and_seek(
    page_at, live_server, media_through_the_app, tmp_path, width, language
):
    words = WORDS[language]
    author = UserFactory(username="vlogger")
    clip = make_video(tmp_path / "clip.mp4", size=(640, 360), seconds=4, fps=24)
    page = _signed_in(page_at, live_server, author, width=width, language=language)
    page.add_init_script(WATCH_PROGRESS)
    ranges = []
    page.on(
        "response",
        lambda r: (
            ranges.append((r.status, r.request.headers.get("range"), r.headers.get("content-range")))
            if "/media/videos/" in r.url
            else None
        ),
    )

    page.goto("/notes/new/")
    page.set_input_files("#note-video", str(clip))
    page.fill("#note-title", "Morning bike ride")
    page.get_by_role("button", name=words["publish"]).click()

    page.wait_for_url(re.compile(r"/notes/\d+/$"))
    shown = page.evaluate("sessionStorage.getItem('upload')") or ""
    assert shown.split()[-1:] == ["100%"], shown  # the progress bar counted up to the end
    note = Note.objects.get(author=author)
    assert note.status == "processing"
    page.get_by_text(words["processing"]).wait_for()
    screenshot(page, f"video-processing-{width}-{language}")

    with real_worker():
        page.locator("video[data-note-video]").wait_for(timeout=60_000)  # the page reloads itself once ready
    assert NoteVideo.objects.get(note=note).status == "ready"
    video = page.locator("video[data-note-video]")
    assert video.get_attribute("poster")
    playing = page.evaluate(
        """async () => {
          const video = document.querySelector("video[data-note-video]");
          video.muted = true;
          await video.play();
          video.pause();
          video.currentTime = 2.5;  // a seek: the browser asks for bytes from the middle (Range)
          await new Promise((done) => {
            const there = () => !video.seeking && Math.abs(video.currentTime - 2.5) < 0.3;
            const landed = () => (there() ? done() : setTimeout(landed, 50));
            landed();
          });
          return {time: video.currentTime, duration: video.duration, width: video.videoWidth};
        }"""
    )
    assert playing["duration"] == pytest.approx(4, abs=0.2) and playing["time"] >= 2.4 and playing["width"] == 640
    screenshot(page, f"video-ready-{width}-{language}")
    assert any(status == 206 and asked and told.startswith("bytes ") for status, asked, told in ranges), ranges

    page.goto("/")
    card = page.locator(f'[data-video-card="{note.pk}"]')
    if card.count():  # Explore lists it once ranked; the badge is what a grid shows
        assert card.locator(".video-badge time").inner_text() == "0:04"
