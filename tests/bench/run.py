"""`make bench`: seed a world at a scale in its own database, serve it with gunicorn, measure.

Run by scripts/bench.sh, which sets the environment (DATABASE_URL of redbook_bench,
REDIS_URL db 7, DEBUG=0 ...). Steps: reset the database and Redis db, migrate, seed
(timed), reindex search and rank Explore (timed, when those commands exist), start
gunicorn, drive each endpoint with wrk (16 connections), drive Explore again while
rank_explore runs, measure Redis memory of the rankings, write the table.
Endpoints that do not exist yet show "n/a" instead of failing the run.
"""

import argparse
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import django
import psycopg
import redis

from tests.bench import report, video, wrk

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv/bin/python")
SCALES = {"S": {"users": 2_000, "notes": 20_000}, "L": {"users": 100_000, "notes": 1_000_000}}
WARMUP_SECONDS = 3


def manage(*args: str, timed: bool = False) -> float:
    """Run `manage.py args` in a subprocess (its output shown); returns the wall-clock seconds."""
    started = time.perf_counter()
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, check=True)
    seconds = time.perf_counter() - started
    if timed:
        print(f"bench: manage.py {' '.join(args)}: {seconds:.1f} s", flush=True)
    return seconds


def optional_step(command: str, *, available: bool) -> str:
    """Another app's command, timed: "n/a" when it does not exist yet, and a failure does not stop the run."""
    if not available:
        return "n/a"
    try:
        return f"{manage(command, timed=True):.1f} s"
    except subprocess.CalledProcessError as error:
        return f"failed (exit {error.returncode})"


def reset_database(url: str) -> None:
    name = url.rsplit("/", 1)[1].split("?")[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def is_seeded(url: str) -> bool:
    try:
        with psycopg.connect(url) as conn:
            return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM accounts_user)").fetchone()[0])
    except psycopg.Error:  # no database, or not migrated
        return False


class Server:
    """gunicorn with 2 workers + threads, as in production; stopped by the context manager."""

    def __init__(self, port: int):
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"

    def __enter__(self):
        command = [str(ROOT / ".venv/bin/gunicorn"), "redbook.wsgi", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", "2", "--threads", "4", "--log-level", "warning"]
        # gunicorn.conf.py's access log stays on, as in production, but goes to a file, not the report.
        self.log = (ROOT / "bench-results" / "gunicorn.log").open("w")
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.status("/healthz", {}) == 200:
                return self
            time.sleep(0.5)
        self.process.terminate()
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()

    def status(self, path: str, headers: dict) -> int:
        request = urllib.request.Request(self.base_url + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0


def measure(server: Server, endpoint, seconds: int):
    """(Result or None, note): None with the probe's status when the endpoint is not there yet."""
    status = server.status(endpoint.paths[0], endpoint.headers[0] if endpoint.headers else {})
    if status not in (200, 304):  # 304: a conditional endpoint (partners)
        return None, f"n/a (HTTP {status})"
    wrk.run(server.base_url, endpoint.paths, endpoint.headers, WARMUP_SECONDS)
    result = wrk.run(server.base_url, endpoint.paths, endpoint.headers, seconds)
    print(f"bench: {endpoint.label}: {result.rps:.0f} req/s, p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms")
    return result, ""


def measure_during_ranking(server: Server, endpoint, seconds: int) -> tuple[object, float]:
    """Explore under load while rank_explore recomputes every active user's list."""
    started = time.perf_counter()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}  # its progress bar would garble ours
    ranking = subprocess.Popen([PYTHON, "manage.py", "rank_explore"], cwd=ROOT, **quiet)
    result = wrk.run(server.base_url, endpoint.paths, endpoint.headers, seconds)
    if ranking.wait() != 0:
        raise RuntimeError("rank_explore failed while under load; run it alone to see why")
    return result, time.perf_counter() - started


def ranking_memory() -> tuple[int, int]:
    """(bytes, lists) held by the per-user Explore lists in Redis, by MEMORY USAGE of their keys."""
    try:
        from feeds.store import KEY_PREFIX, user_key
    except ImportError:
        return 0, 0
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    total = lists = 0
    for key in client.scan_iter(match=f"{KEY_PREFIX}{user_key('')}*", count=1000):
        total += client.memory_usage(key, samples=0) or 0
        lists += not key.endswith(b":why")
    return total, lists


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=sorted(SCALES), default="S")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--port", type=int, default=8107)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded bench database (no reseed)")
    parser.add_argument(
        "--ranked", action="store_true", help="with --reuse: search is indexed and Explore ranked already"
    )
    parser.add_argument(
        "--endpoints-only", action="store_true", help="the endpoint table only: no video, messaging or ranking runs"
    )
    args = parser.parse_args()
    scale = SCALES[args.scale]
    (ROOT / "bench-results").mkdir(exist_ok=True)
    figures: dict[str, str] = {}

    if args.reuse and is_seeded(os.environ["DATABASE_URL"]):
        figures["seed_demo"] = "reused the seeded database (--reuse)"
        manage("migrate", "--noinput", "-v0")  # as a deploy does: the code measured may need a new index
    else:
        reset_database(os.environ["DATABASE_URL"])
        redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
        manage("migrate", "--noinput", "-v0")
        seed_args = ["--users", str(scale["users"]), "--notes", str(scale["notes"]), "--seed", str(args.seed)]
        figures["seed_demo"] = f"{manage('seed_demo', *seed_args, '--skip-post', '--no-progress', timed=True):.1f} s"

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redbook.settings")
    django.setup()
    from django.core.management import get_commands

    from tests.bench import analytics as analytics_bench
    from tests.bench import messaging as messaging_bench
    from tests.bench import partners as partner_bench
    from tests.bench import targets

    for command in ("reindex_search", "rank_explore"):
        if args.ranked and figures["seed_demo"].startswith("reused"):
            figures[command] = "done before (--ranked)"
            continue
        figures[command] = optional_step(command, available=command in get_commands())
    manage("collectstatic", "--noinput", "-v0")
    endpoints = targets.build()
    if (dashboard := analytics_bench.endpoint()) is not None:
        endpoints.append(dashboard)
    if not args.endpoints_only:
        figures["analytics: event recording (added to its request)"] = analytics_bench.recording_figure()
        figures["analytics: rollup of one day at L volume"] = analytics_bench.rollup_figure()
    # Messages: the inbox at 1,000 conversations per user, as an endpoint of the table.
    endpoints.append(messaging_bench.inbox_endpoint(messaging_bench.seed_inboxes()))
    figures["active users (7 days)"] = str(targets.active_users())
    results, loads = {}, []
    with Server(args.port) as server:
        for endpoint in endpoints:
            results[endpoint.key] = measure(server, endpoint, args.seconds)
            loads.append(os.getloadavg()[0])
        if args.endpoints_only:
            figures["host load (1 min avg) per endpoint"] = f"{min(loads):.1f}-{max(loads):.1f}, {os.cpu_count()} CPUs"
            return _write(args.scale, scale, endpoints, results, figures)
        # Partners (issue 17): the partner API, full and conditional, and the widget's first render.
        partner_endpoints, partner_figures = partner_bench.endpoints(server.base_url)
        for endpoint in partner_endpoints:
            results[endpoint.key] = measure(server, endpoint, args.seconds)
        endpoints += partner_endpoints
        figures.update(partner_figures)
        explore = next(e for e in endpoints if e.key == "explore")
        if results["explore"][0] is not None and "rank_explore" in get_commands():
            during, ranking_seconds = measure_during_ranking(server, explore, args.seconds)
            figures["explore p99 idle / during rank_explore"] = (
                f"{results['explore'][0].p99_ms:.1f} ms / {during.p99_ms:.1f} ms "
                f"(x{during.p99_ms / results['explore'][0].p99_ms:.2f}; that rank_explore took {ranking_seconds:.1f} s)"
            )
        figures.update(messaging_bench.realtime_figures(server.base_url))  # WebSockets, delivery latency
        # Video notes: a 60 s 1080p clip transcoded by a niced process while Explore is driven.
        figures.update(video.bench(server, explore, args.seconds, results["explore"][0]))
    # Explore's full run spread over ranking workers (feeds/runs.py), with the web stopped.
    ranking_runs = {}
    if "rank_explore" in get_commands():
        from tests.bench import ranking_workers

        ranking_runs = ranking_workers.measure_runs()
        figures.update(ranking_workers.describe(ranking_runs))
    # Other work on the machine inflates every latency: say how busy it was.
    figures["host load (1 min avg) per endpoint"] = f"{min(loads):.1f}-{max(loads):.1f}, {os.cpu_count()} CPUs"
    memory, lists = ranking_memory()
    figures["Redis for rankings"] = (
        f"{memory / 1e6:.1f} MB for {lists} lists = {memory / lists / 1024:.1f} KiB per active user" if lists else "n/a"
    )
    # Per-user sizes for docs/scaling.md (tests/bench/extrapolate.py reads S and L).
    from tests.bench import footprint

    footprint.write(
        ROOT / "bench-results" / f"footprint-{args.scale}.json",
        footprint.measure(ranking={str(count): run for count, run in ranking_runs.items()}),
    )
    return _write(args.scale, scale, endpoints, results, figures)


def _write(scale_name: str, scale: dict, endpoints, results, figures) -> int:
    table = report.render(scale_name, scale, endpoints, results, figures)
    out = ROOT / "bench-results" / f"bench-{scale_name}.md"
    out.write_text(table)
    print(table)
    print(f"bench: written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
