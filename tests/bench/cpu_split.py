"""Where a request's CPU goes, through gunicorn: the app, Postgres and Redis, per request.

Serves the bench database with gunicorn as `make bench` does (2 workers x 4 threads), drives
each endpoint named with wrk (16 connections), and reads the CPU time of every gunicorn,
Postgres and Redis process from /proc before and after: CPU milliseconds per request for
each. Unlike `profile_feeds` (the app's side only, in process) it includes the database's
own work, such as planning statements. Run with the bench environment (scripts/bench.sh):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/redbook_bench REDIS_URL=redis://127.0.0.1:6379/7 \
    DEBUG=0 SECRET_KEY=bench SECURE_SSL_REDIRECT=0 ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=WARNING \
    .venv/bin/python -m tests.bench.cpu_split b1 explore follow [--seconds 15]
"""

import argparse
import os
import sys

import django

TICKS = os.sysconf("SC_CLK_TCK")
GROUPS = ("gunicorn", "postgres", "redis-server")


def _cpu_seconds_by_group() -> dict[str, float]:
    totals = dict.fromkeys(GROUPS, 0.0)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as stat, open(f"/proc/{pid}/cmdline") as cmdline:
                fields, command = stat.read().rsplit(")", 1)[1].split(), cmdline.read()
        except OSError:  # gone meanwhile
            continue
        group = next((name for name in GROUPS if name in command), None)
        if group:
            totals[group] += (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
    return totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("endpoints", nargs="+", help="keys of tests/bench/targets.py (b1, explore, ...)")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--port", type=int, default=8107)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redbook.settings")
    django.setup()
    from tests.bench import targets, wrk
    from tests.bench.run import WARMUP_SECONDS, Server

    endpoints = {endpoint.key: endpoint for endpoint in targets.build()}
    with Server(args.port) as server:
        for key in args.endpoints:
            endpoint = endpoints[key]
            wrk.run(server.base_url, endpoint.paths, endpoint.headers, WARMUP_SECONDS)
            before = _cpu_seconds_by_group()
            result = wrk.run(server.base_url, endpoint.paths, endpoint.headers, args.seconds)
            after = _cpu_seconds_by_group()
            split = ", ".join(
                f"{group} {(after[group] - before[group]) * 1000 / result.requests:.2f}" for group in GROUPS
            )
            print(f"{key}: {result.rps:.0f} req/s, p50 {result.p50_ms:.0f} ms, p99 {result.p99_ms:.0f} ms; "
                  f"CPU ms per request: {split}", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
