"""The video pipeline in PyAV (the `av` wheel bundles FFmpeg): probe an upload, transcode it.

Pure media code, no models: `probe` reads a local file and says what it is (or raises our
4xx errors: a video name on something else, a damaged file, audio only, too long, too
big a frame); `transcode` decodes it once and encodes every rendition at once (H.264/AAC
MP4, moov atom first, rotation applied to the pixels, no metadata copied), plus a poster
frame as a Pillow image. Decoding and encoding stream frame by frame, so memory stays
flat whatever the length.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image

from redbook.exceptions import Invalid, TooLarge, UnsupportedMedia

# FFmpeg's demuxer names for the containers we take: MP4/MOV and WebM (Matroska).
ACCEPTED_CONTAINERS = {"mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"}
# Still-image codecs: a "video" of them is a picture (or cover art), not a video.
STILL_CODECS = {"mjpeg", "png", "bmp", "gif", "webp", "tiff", "jpegls", "jpeg2000"}
MAX_SIDE = 4096
MAX_FPS = 30
# (short side of the frame, video bitrate cap in kbit/s): 720p and 360p, never upscaled.
RENDITIONS = ((720, 2500), (360, 800))
AUDIO_KBPS = 128
POSTER_AT_SECONDS = 1.0
# What a transcode of a file that probed well can still raise (a damaged stream further in).
TRANSCODE_ERRORS = (av.error.FFmpegError, OSError, ValueError)


@dataclass(frozen=True)
class VideoInfo:
    container: str
    video_codec: str
    audio_codec: str | None
    duration_s: float
    width: int  # as displayed: rotation applied
    height: int
    rotation: int  # clockwise degrees to turn the stored frames by: 0, 90, 180 or 270
    fps: float


@dataclass(frozen=True)
class RenditionFile:
    path: Path
    width: int
    height: int
    bitrate_kbps: int


def _damaged() -> Invalid:
    return Invalid(_("The video file is damaged or truncated."), code="invalid_video")


def _not_a_video() -> UnsupportedMedia:
    return UnsupportedMedia(_("Unsupported video: upload an MP4, MOV or WebM video."), code="unsupported_video")


def _clockwise(frame: av.VideoFrame) -> int:
    """How far to turn a decoded frame clockwise to show it upright (its display matrix:
    a phone's portrait video is stored landscape with a 90 degree rotation)."""
    counter = getattr(frame, "rotation", 0) or 0
    return round(-counter / 90.0) * 90 % 360


def _duration(container, stream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def _video_stream(container):
    """The first real video stream: cover art attached to an audio file does not count."""
    for stream in container.streams.video:
        if stream.disposition & av.stream.Disposition.attached_pic:
            continue
        if stream.codec_context.name in STILL_CODECS:
            continue
        return stream
    return None


def _first_frame(container, stream) -> av.VideoFrame:
    for frame in container.decode(stream):
        return frame
    raise _damaged()


def _check_tail(container, stream, duration: float) -> None:
    """Decode a frame near the end: a file cut short fails here, at upload, not in the worker."""
    if duration < 2:
        return
    container.seek(int((duration - 1) / stream.time_base), stream=stream, any_frame=False, backward=True)
    _first_frame(container, stream)


def _looks_like_video(path: Path) -> bool:
    """Whether the file starts as an MP4/MOV (an ftyp box, or a moov/mdat/wide one) or WebM
    (an EBML header) does: one FFmpeg cannot open is then damaged, not something else."""
    with open(path, "rb") as handle:
        head = handle.read(12)
    return head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free") or head[:4] == b"\x1a\x45\xdf\xa3"


def probe(path: Path) -> VideoInfo:
    """What the file at `path` is, or a 4xx error saying why it is refused."""
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except av.error.InvalidDataError as exc:
        raise (_damaged() if _looks_like_video(path) else _not_a_video()) from exc
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise _damaged() from exc
    with container:
        if container.format.name not in ACCEPTED_CONTAINERS:
            raise _not_a_video()
        stream = _video_stream(container)
        if stream is None:
            if container.streams.audio:
                raise UnsupportedMedia(_("This file has sound but no picture: upload a video."), code="audio_only")
            raise _not_a_video()
        try:
            return _probe_stream(container, stream)
        except (Invalid, TooLarge, UnsupportedMedia):
            raise
        except (av.error.FFmpegError, OSError, ValueError, ZeroDivisionError) as exc:
            raise _damaged() from exc


def _probe_stream(container, stream) -> VideoInfo:
    width, height = stream.codec_context.width, stream.codec_context.height
    if not width or not height:
        raise _damaged()
    if max(width, height) > MAX_SIDE:
        raise Invalid(_("Videos are at most %(px)s pixels a side.") % {"px": MAX_SIDE}, code="video_dimensions")
    duration = _duration(container, stream)
    if duration is None or duration <= 0:
        raise _damaged()
    if duration > settings.VIDEO_MAX_SECONDS:
        raise TooLarge(
            _("Videos are at most %(minutes)s minutes long.") % {"minutes": settings.VIDEO_MAX_SECONDS // 60},
            code="video_too_long",
        )
    rotation = _clockwise(_first_frame(container, stream))
    _check_tail(container, stream, duration)
    if rotation in (90, 270):
        width, height = height, width
    audio = container.streams.audio[0].codec_context.name if container.streams.audio else None
    rate = stream.average_rate or stream.guessed_rate or MAX_FPS
    return VideoInfo(
        container=container.format.name,
        video_codec=stream.codec_context.name,
        audio_codec=audio,
        duration_s=round(duration, 3),
        width=width,
        height=height,
        rotation=rotation,
        fps=float(rate),
    )


# --- Transcoding --------------------------------------------------------------------------


def rendition_sizes(width: int, height: int) -> list[tuple[int, int, int]]:
    """(width, height, kbps) per rendition, largest first: the short side 720 and 360, never
    above the source's own (a 480p source gets 480 and 360, a 240p one just 240). Even sides."""
    short = min(width, height)
    sides = sorted({min(target, short) for target, _kbps in RENDITIONS}, reverse=True)
    kbps = dict(RENDITIONS)
    return [
        (_even(width * side / short), _even(height * side / short), kbps.get(side, RENDITIONS[-1][1])) for side in sides
    ]


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)


def _rotation_graph(stream, rotation: int):
    """A filter graph turning frames upright (None when they already are)."""
    if not rotation:
        return None
    graph = av.filter.Graph()
    source = graph.add_buffer(template=stream)
    chain = {90: [("transpose", "clock")], 270: [("transpose", "cclock")], 180: [("hflip", ""), ("vflip", "")]}
    previous = source
    for name, args in chain[rotation]:
        node = graph.add(name, args)
        previous.link_to(node)
        previous = node
    sink = graph.add("buffersink")
    previous.link_to(sink)
    graph.configure()
    return graph


def _upright(graph, frame) -> list:
    if graph is None:
        return [frame]
    graph.push(frame)
    frames = []
    while True:
        try:
            frames.append(graph.pull())
        except (BlockingIOError, av.error.EOFError):
            return frames
        except av.error.FFmpegError as exc:
            if getattr(exc, "errno", None) == 11:  # EAGAIN: needs more input
                return frames
            raise


class _Output:
    """One rendition being written: its container, H.264 and AAC encoders."""

    def __init__(self, path: Path, width: int, height: int, kbps: int, fps: Fraction, with_audio: bool):
        self.path, self.width, self.height = path, width, height
        # faststart: the muxer moves the moov atom before the media data once the file is
        # complete, so a browser can start playing (and seek) before downloading it all.
        self.container = av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"})
        self.video = self.container.add_stream("libx264", rate=fps)
        self.video.width, self.video.height, self.video.pix_fmt = width, height, "yuv420p"
        self.video.bit_rate = kbps * 1000
        self.video.codec_context.time_base = 1 / fps  # pts count frames
        self.video.options = {
            # superfast: about twice veryfast's speed for a little more size; the bitrate cap holds.
            "preset": "superfast",
            "crf": "23",
            "maxrate": f"{kbps}k",
            "bufsize": f"{kbps * 2}k",
            "profile": "main",
            "g": str(int(fps * 2)),
        }
        # One scaler per rendition, kept: frame.reformat() would set up a new one per frame.
        self.scaler = av.video.reformatter.VideoReformatter()
        self.audio = None
        if with_audio:
            self.audio = self.container.add_stream("aac", rate=48000)
            self.audio.layout, self.audio.bit_rate = "stereo", AUDIO_KBPS * 1000

    def add_video(self, frame: av.VideoFrame, pts: int) -> None:
        scaled = self.scaler.reformat(
            frame, width=self.width, height=self.height, format="yuv420p", interpolation="BILINEAR"
        )
        scaled.pts, scaled.time_base = pts, self.video.codec_context.time_base
        self.container.mux(self.video.encode(scaled))

    def add_audio(self, frame: av.AudioFrame | None) -> None:
        if self.audio is not None:
            self.container.mux(self.audio.encode(frame))

    def close(self) -> None:
        self.container.mux(self.video.encode(None))
        self.add_audio(None)
        self.container.close()


def transcode(
    source: Path, workdir: Path, info: VideoInfo, *, progress: Callable[[float], None] | None = None
) -> tuple[list[RenditionFile], Image.Image]:
    """Every rendition of `source` into `workdir`, and the poster frame (upright, RGB).

    One decode feeds every encoder; only the streams we choose are written and no
    metadata is copied, so location, device and creation-time tags stay behind.
    """
    fps = Fraction(min(MAX_FPS, max(1, round(info.fps)))).limit_denominator(1000)
    sizes = rendition_sizes(info.width, info.height)
    poster = None
    with av.open(str(source), metadata_errors="ignore") as container:
        stream = _video_stream(container)
        stream.thread_type = "AUTO"
        audio_in = container.streams.audio[0] if container.streams.audio else None
        outputs = [
            _Output(workdir / f"{min(width, height)}p.mp4", width, height, kbps, fps, audio_in is not None)
            for width, height, kbps in sizes
        ]
        graph = _rotation_graph(stream, info.rotation)
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=48000) if audio_in else None
        last_pts = -1
        streams = [stream] + ([audio_in] if audio_in is not None else [])
        for packet in container.demux(streams):
            for frame in packet.decode():
                if isinstance(frame, av.AudioFrame):
                    for resampled in resampler.resample(frame):
                        resampled.pts = None  # the encoder numbers samples itself
                        for output in outputs:
                            output.add_audio(resampled)
                    continue
                if frame.time is None:
                    continue
                for upright in _upright(graph, frame):
                    pts = math.floor(upright.time * fps) if upright.time is not None else last_pts + 1
                    if pts <= last_pts:
                        continue  # above MAX_FPS (or a repeated stamp): drop the frame
                    last_pts = pts
                    if poster is None and (upright.time or 0) >= min(POSTER_AT_SECONDS, info.duration_s / 2):
                        poster = upright.to_image()
                    for output in outputs:
                        output.add_video(upright, pts)
                if progress is not None and frame.time is not None:
                    progress(min(1.0, frame.time / info.duration_s))
        for output in outputs:
            output.close()
    if poster is None:
        raise _damaged()
    renditions = [
        RenditionFile(
            path=output.path,
            width=output.width,
            height=output.height,
            bitrate_kbps=int(output.path.stat().st_size * 8 / 1000 / max(info.duration_s, 0.001)),
        )
        for output in outputs
    ]
    return renditions, poster
