"""Video notes: the upload (probe, private original), transcoding in Celery, what the API shows.

Storage: the original goes to `storages["originals"]` (private, never served); renditions
and the poster go to `default_storage` (public, cacheable) under names fixed per note and
rendition (`videos/<note id>/720p.mp4`), so a re-run after a worker died rewrites the same
files rather than adding new ones. The worker transcodes from a local temporary copy and
uploads only finished files; the database names them (status "ready") only after every
upload completed, so no client is ever given a half-written file. Delivery is at least
once (acks_late): a run starts by checking the status and does nothing for a note that
is no longer processing.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage, storages
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from posts import services
from posts.cards import storage_url
from posts.models import Note, NoteImage, NoteVideo
from redbook.exceptions import Invalid, ServiceError, TooLarge
from redbook.images import make_rendition
from redbook.prepared import Arg, InList, PreparedInstances

if TYPE_CHECKING:
    from posts.video_codec import RenditionFile, VideoInfo

logger = logging.getLogger(__name__)


def _codec():
    """posts.video_codec, imported on first use: PyAV loads FFmpeg's libraries (about 20 MB),
    which a web process that never receives a video should not carry."""
    from posts import video_codec

    return video_codec


_EXTENSIONS = {"mov,mp4,m4a,3gp,3g2,mj2": "mp4", "matroska,webm": "webm"}
_COPY_CHUNK = 1024 * 1024
POSTER_NAMES = {"display": "poster.jpg", "thumb": "poster-thumb.webp", "original": "poster-full.jpg"}


def _folder(note_id: int) -> str:
    return f"videos/{note_id}"


def originals():
    return storages["originals"]


# --- Upload -----------------------------------------------------------------------------


def _check_size(upload) -> None:
    if not upload.size:
        raise Invalid(_("The video file is empty."), code="empty_video")
    if upload.size > settings.VIDEO_MAX_BYTES:
        mb = settings.VIDEO_MAX_BYTES // (1024 * 1024)
        raise TooLarge(_("Videos are at most %(mb)s MB.") % {"mb": mb}, code="video_too_large")


def probe_upload(upload) -> VideoInfo:
    """Probe an uploaded file before anything is saved; 400/413/415 with a reason otherwise.

    A large upload is already a temporary file on disk (Django's upload handlers); a small
    one (in memory) is written to a temporary file for FFmpeg and removed at once.
    """
    _check_size(upload)
    if hasattr(upload, "temporary_file_path"):
        return _codec().probe(Path(upload.temporary_file_path()))
    with tempfile.NamedTemporaryFile(suffix=".upload") as copy:
        upload.seek(0)
        shutil.copyfileobj(upload, copy, _COPY_CHUNK)
        copy.flush()
        return _codec().probe(Path(copy.name))


def video_attach(*, note: Note, upload, info: VideoInfo, has_cover: bool) -> NoteVideo:
    """Keep the original privately and record the video, inside the note's transaction
    (`services.note_create` deletes the original again if that transaction fails)."""
    name = original_name(note.pk, info)
    upload.seek(0)
    _replace(originals(), name, upload)
    return NoteVideo.objects.create(
        note=note,
        original=name,
        has_cover=has_cover,
        duration_s=info.duration_s,
        width=info.width,
        height=info.height,
    )


def original_name(note_id: int, info: VideoInfo) -> str:
    return f"{_folder(note_id)}/original.{_EXTENSIONS[info.container]}"


def _replace(storage, name: str, content) -> None:
    """Store `content` under exactly `name`: a leftover of a run that died is replaced,
    never kept beside it under another name."""
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, content)
    if saved != name:  # another run stored it meanwhile: keep one copy
        storage.delete(saved)


class _LocalFile(File):
    """A finished local file: FileSystemStorage moves it into place (a rename on one
    file system), S3 uploads it in one PUT; either way it appears whole."""

    def temporary_file_path(self) -> str:
        return self.file.name


# --- Transcoding (the Celery task's body) ----------------------------------------------------

# What the author is told when processing fails: the stored code, worded when read.
ERRORS = {
    "invalid_video": _("The video file is damaged or truncated."),
    "unsupported_video": _("This video format could not be read."),
    "transcode_failed": _("The video could not be converted. Try exporting it again as MP4."),
}


_WORKDIR_PREFIX = "rb-video-"
_STALE_WORKDIR_SECONDS = 3600  # far longer than a run: a worker killed mid-run left it


def _sweep_stale_workdirs() -> None:
    """Remove what runs killed mid-transcode left in the work folder (never a live run's)."""
    root = Path(settings.VIDEO_WORK_DIR or tempfile.gettempdir())
    cutoff = time.time() - _STALE_WORKDIR_SECONDS
    for folder in root.glob(f"{_WORKDIR_PREFIX}*"):
        with contextlib.suppress(OSError):
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)


def _download(name: str, target: Path) -> None:
    with originals().open(name, "rb") as source, open(target, "wb") as local:
        shutil.copyfileobj(source, local, _COPY_CHUNK)


def _publish_renditions(note_id: int, renditions: list[RenditionFile]) -> list[dict]:
    published = []
    for rendition in renditions:
        name = f"{_folder(note_id)}/{rendition.path.name}"
        with open(rendition.path, "rb") as local:
            _replace(default_storage, name, _LocalFile(local, name=name))
        published.append(
            {"name": name, "width": rendition.width, "height": rendition.height, "kbps": rendition.bitrate_kbps}
        )
    return published


def _publish_poster(note_id: int, poster) -> NoteImage:
    """The poster frame in the image pipeline's sizes, as the note's cover (unsaved row)."""
    display = make_rendition(poster, max_size=services.DISPLAY_MAX, fmt="JPEG", quality=85)
    thumb = make_rendition(poster, max_size=services.THUMB_MAX, fmt="WEBP", quality=80)
    names = {}
    for key, rendition in (("display", display), ("thumb", thumb)):
        names[key] = f"{_folder(note_id)}/{POSTER_NAMES[key]}"
        _replace(default_storage, names[key], rendition.content)
    # The full-size frame is the cover's original: private, like every note image's.
    names["original"] = f"{_folder(note_id)}/{POSTER_NAMES['original']}"
    full = make_rendition(poster, max_size=max(poster.size), fmt="JPEG", quality=92)
    _replace(originals(), names["original"], full.content)
    return NoteImage(
        note_id=note_id,
        position=0,
        original=names["original"],
        display=names["display"],
        thumb=names["thumb"],
        width=display.width,
        height=display.height,
        thumb_width=thumb.width,
        thumb_height=thumb.height,
    )


def video_process(*, note_id: int) -> str:
    """Transcode a processing video note; returns what happened ("ready", "failed", "skipped")."""
    video = NoteVideo.objects.select_related("note").filter(note_id=note_id).first()
    if video is None or video.status != NoteVideo.Status.PROCESSING or video.note.status == Note.Status.DELETED:
        return "skipped"
    NoteVideo.objects.filter(pk=video.pk).update(attempts=F("attempts") + 1)
    _sweep_stale_workdirs()
    with tempfile.TemporaryDirectory(prefix=_WORKDIR_PREFIX, dir=settings.VIDEO_WORK_DIR) as work:
        work = Path(work)
        source = work / "source"
        _download(video.original, source)
        try:
            info = _codec().probe(source)
            renditions, poster = _codec().transcode(source, work, info)
        except ServiceError as exc:
            services.note_video_failed(note_id=note_id, error=exc.code if exc.code in ERRORS else "invalid_video")
            return "failed"
        except _codec().TRANSCODE_ERRORS as exc:
            logger.warning("transcoding note %s failed: %s", note_id, exc)
            services.note_video_failed(note_id=note_id, error="transcode_failed")
            return "failed"
        published = _publish_renditions(note_id, renditions)
        cover = None if video.has_cover else _publish_poster(note_id, poster)
    done = services.note_video_ready(note_id=note_id, info=info, renditions=published, poster=cover)
    return "ready" if done else "skipped"


def original_discard(name: str) -> None:
    originals().delete(name)


# --- Reading ---------------------------------------------------------------------------------


# Lists with a video note on them read this on every page: compiled once (redbook.prepared).
_VIDEOS = PreparedInstances(NoteVideo, lambda: NoteVideo.objects.filter(InList(F("note_id"), Arg("ids"))), related=None)


def videos_of(notes) -> dict[int, NoteVideo]:
    """note id -> its video, for the video notes among `notes` (one query, none without any)."""
    ids = [note.pk for note in notes if note.media_type == Note.MediaType.VIDEO]
    if not ids:
        return {}
    return {video.note_id: video for video in cast(list[NoteVideo], _VIDEOS.objects(ids=ids))}


def video_dict(video: NoteVideo, *, origin: str, poster_url: str | None) -> dict:
    """The API's `video` of a note (API.md "Video notes")."""
    ready = video.status == NoteVideo.Status.READY
    data = {
        "status": video.status,
        "duration_s": video.duration_s,
        "width": video.width,
        "height": video.height,
        "poster_url": poster_url,
        "renditions": [
            {
                "url": origin + storage_url(default_storage, rendition["name"]),
                "width": rendition["width"],
                "height": rendition["height"],
                "bitrate_kbps": rendition["kbps"],
            }
            for rendition in (video.renditions if ready else ())
        ],
    }
    if video.status == NoteVideo.Status.FAILED:
        data["error"] = str(ERRORS.get(video.error, ERRORS["transcode_failed"]))
        data["error_code"] = video.error
    return data


def video_for_page(note: Note) -> dict | None:
    """The note page's player: `video_dict` with site paths (None for a photo note)."""
    if note.media_type != Note.MediaType.VIDEO:
        return None
    video = NoteVideo.objects.filter(note_id=note.pk).first()
    if video is None:
        return None
    cover = next(iter(note.images.all()), None)  # prefetched by the page's selector
    return video_dict(video, origin="", poster_url=cover.display.url if cover else None)
