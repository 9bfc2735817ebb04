"""Demo video notes: a few of the most appealing seeded notes carry a short generated clip.

Each clip (2 to 4 s, portrait or landscape: drifting colour bands and a bouncing dot,
drawn straight into YUV planes) goes through the real pipeline: the original is stored
privately and `posts.videos.video_process` transcodes it here, so a new user's Explore
shows playable video notes at once, without waiting for a worker. Under a second each.
"""

import tempfile
from pathlib import Path

import av
import numpy as np
from django.core.files import File

from demo.bulk import Timer
from demo.world import World
from posts import video_codec, videos
from posts.models import Note

VIDEO_NOTES = 6
_SIZES = ((360, 640), (640, 360))  # portrait first: what phones film
_FPS = 24


def seed_videos(world: World, count: int = VIDEO_NOTES) -> None:
    """Turn `count` of the most appealing notes into video notes (none for an empty world)."""
    if not world.n_notes:
        return
    rng = world.rng("videos")
    picks = np.argsort(-world.note_appeal)[: min(count, world.n_notes)]
    with Timer(world.log, "video notes") as timer, tempfile.TemporaryDirectory(prefix="rb-demo-video-") as folder:
        for index, note_index in enumerate(picks):
            note_id = int(world.note_ids[note_index])
            size = _SIZES[index % len(_SIZES)]
            clip = _draw_clip(Path(folder) / f"{note_id}.mp4", size=size, seconds=float(rng.uniform(2, 4)), rng=rng)
            _make_video_note(note_id, clip)
            timer.rows += 1


def _draw_clip(path: Path, *, size: tuple[int, int], seconds: float, rng) -> Path:
    width, height = size
    hue = rng.integers(40, 220, size=2)
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=_FPS)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": "ultrafast"}
        rows = np.arange(height)[:, None]
        for frame_number in range(int(seconds * _FPS)):
            t = frame_number / _FPS
            planes = np.empty((height * 3 // 2, width), np.uint8)
            planes[:height] = (60 + 40 * np.sin(rows / 40 + t * 3)).astype(np.uint8)  # bands, broadcast across
            planes[height:] = hue[frame_number % 2]  # chroma: a gentle flicker of tint
            x = int((width - 60) * (0.5 + 0.5 * np.sin(t * 2)))
            y = int((height - 60) * abs(np.sin(t * 3)))
            planes[y : y + 60, x : x + 60] = 235  # the bouncing dot
            out.mux(stream.encode(av.VideoFrame.from_ndarray(planes, format="yuv420p")))
        out.mux(stream.encode(None))
    return path


def _make_video_note(note_id: int, clip: Path) -> None:
    info = video_codec.probe(clip)
    note = Note.objects.get(pk=note_id)
    with open(clip, "rb") as handle:
        videos.video_attach(note=note, upload=File(handle, name=clip.name), info=info, has_cover=False)
    Note.objects.filter(pk=note_id).update(media_type=Note.MediaType.VIDEO, video_seconds=round(info.duration_s))
    if videos.video_process(note_id=note_id) != "ready":  # the poster replaces the note's photos
        raise RuntimeError(f"the demo clip of note {note_id} did not transcode")
