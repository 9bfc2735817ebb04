"""Small videos made in the test with PyAV: moving colour bars, a tone, chosen metadata."""

from pathlib import Path

import av
import numpy as np

GPS = "+37.7749-122.4194+000.000/"


def make_video(
    path: Path,
    *,
    container: str = "mp4",
    vcodec: str = "libx264",
    acodec: str | None = "aac",
    size: tuple[int, int] = (320, 240),
    seconds: float = 2,
    fps: int = 15,
    rotation: int | None = None,
    metadata: dict | None = None,
) -> Path:
    """A video of moving bars; `rotation` sets the display matrix like a phone's portrait clip."""
    width, height = size
    options = {"movflags": "use_metadata_tags"} if container in ("mov", "mp4") and metadata else {}
    with av.open(str(path), "w", format=container, options=options) as out:
        out.metadata.update(metadata or {})
        video = out.add_stream(vcodec, rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        if vcodec == "libx264":
            video.options = {"preset": "ultrafast"}  # test sources: made fast, size does not matter
        if rotation is not None:
            video.set_display_rotation(rotation)
        audio = out.add_stream(acodec, rate=48000) if acodec else None
        # Planar YUV 4:2:0 made directly (no colour conversion per frame): bars of grey
        # levels in Y, a tint in U and V, and a bright edge that moves.
        bars = np.full((height * 3 // 2, width), 128, np.uint8)
        for bar in range(8):
            bars[:height, bar * width // 8 : (bar + 1) * width // 8] = 30 + bar * 25
        bars[height : height + height // 4, : width // 2] = 90
        for index in range(int(seconds * fps)):
            picture = bars.copy()
            picture[: height // 3, (index * 5) % width :] = 235
            out.mux(video.encode(av.VideoFrame.from_ndarray(picture, format="yuv420p")))
        out.mux(video.encode(None))
        if audio is not None:
            _tone(out, audio, seconds)
    return path


def _tone(out, audio, seconds: float) -> None:
    samples = int(48000 * seconds)
    wave = (0.2 * np.sin(2 * np.pi * 440 * np.arange(samples) / 48000)).astype(np.float32)
    size = audio.codec_context.frame_size or 960
    for start in range(0, samples, size):
        frame = av.AudioFrame.from_ndarray(wave[None, start : start + size], format="fltp", layout="mono")
        frame.sample_rate, frame.pts = 48000, start
        out.mux(audio.encode(frame))
    out.mux(audio.encode(None))


def make_audio_only(path: Path) -> Path:
    with av.open(str(path), "w", format="mp4") as out:
        _tone(out, out.add_stream("aac", rate=48000), 1)
    return path


def all_metadata(path) -> dict:
    """Every metadata tag of the file and of its streams."""
    with av.open(str(path)) as container:
        tags = dict(container.metadata)
        for stream in container.streams:
            tags.update({f"{stream.type}:{key}": value for key, value in stream.metadata.items()})
    return tags


def moov_before_mdat(data: bytes) -> bool:
    """The MP4's top-level boxes: fast start puts the index (moov) before the media (mdat)."""
    offset, order = 0, []
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        order.append(data[offset + 4 : offset + 8])
        if size == 1:
            size = int.from_bytes(data[offset + 8 : offset + 16], "big")
        if size < 8:
            break
        offset += size
    return b"moov" in order and b"mdat" in order and order.index(b"moov") < order.index(b"mdat")
