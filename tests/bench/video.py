"""Bench section "video": transcode a 60 s 1080p30 clip to both renditions in a niced process
that loads Django as a Celery worker does; report its seconds and peak memory (VmHWM), and,
when given a server, the p99 of an endpoint driven by wrk meanwhile against its idle p99.

Standalone: `DEBUG=1 .venv/bin/python -m tests.bench.video` (prints the figures).
Goals (issue 14): under 60 s, under 500 MB, the web's p99 rising less than 1.5x.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLIP = ROOT / "var" / "bench-video-1080p30-60s.mp4"  # made once, reused by later runs
SECONDS, FPS, SIZE = 60, 30, (1920, 1080)


def make_clip(path: Path = CLIP) -> Path:
    """A 60 s 1080p30 H.264/AAC clip of moving bars (about 15 s to make, once)."""
    if path.exists():
        return path
    sys.path.insert(0, str(ROOT))
    from tests.videos.media import make_video

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial.mp4")
    make_video(partial, size=SIZE, seconds=SECONDS, fps=FPS)
    partial.rename(path)
    return path


def _transcode_here(clip: str) -> None:
    """The child: Django loaded (as in a worker), then probe and transcode; prints JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redbook.settings")
    import django

    django.setup()
    from posts import video_codec

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rb-bench-video-") as work:
        info = video_codec.probe(Path(clip))
        renditions, _poster = video_codec.transcode(Path(clip), Path(work), info)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_kb = next(
        int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM")
    )
    sizes = [f"{r.width}x{r.height}@{r.bitrate_kbps}kbps" for r in renditions]
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak_kb / 1024, "renditions": sizes}))


def start_transcode(clip: Path) -> subprocess.Popen:
    command = ["nice", "-n", "19", sys.executable, "-m", "tests.bench.video", "--child", str(clip)]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)


def figures(result: dict, *, idle_p99: float | None = None, busy_p99: float | None = None) -> dict[str, str]:
    out = {
        "video: 60 s 1080p30 -> 720p + 360p (niced)": (
            f"{result['seconds']:.1f} s ({result['cpu_seconds']:.0f} CPU s, load {os.getloadavg()[0]:.1f}), "
            f"peak RSS {result['peak_mb']:.0f} MB ({', '.join(result['renditions'])}); goal < 60 s, < 500 MB"
        )
    }
    if idle_p99 and busy_p99:
        out["video: explore p99 idle / while transcoding"] = (
            f"{idle_p99:.1f} ms / {busy_p99:.1f} ms (x{busy_p99 / idle_p99:.2f}; goal < 1.5x)"
        )
    return out


def bench(server, endpoint, seconds: int, idle) -> dict[str, str]:
    """The section of `make bench` (tests/bench/run.py): wrk on `endpoint` while transcoding."""
    from tests.bench import wrk

    child = start_transcode(make_clip())
    busy = wrk.run(server.base_url, endpoint.paths, endpoint.headers, seconds)
    output, _ = child.communicate()
    if child.returncode != 0:
        return {"video": f"transcode failed (exit {child.returncode})"}
    return figures(json.loads(output), idle_p99=idle.p99_ms if idle else None, busy_p99=busy.p99_ms)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _transcode_here(sys.argv[2])
    else:
        process = start_transcode(make_clip())
        stdout, _ = process.communicate()
        for name, value in figures(json.loads(stdout)).items():
            print(f"{name}: {value}")
