"""CPU per request of the feed and search endpoints, in process: the WSGI handler gunicorn calls, no network.

Drives the same URLs and credentials as `make bench` (tests/bench/targets.py: tokens for
the API, session cookies for `/`) through Django's WSGIHandler in a loop and reports the
CPU time (this process) and wall time per request. `--profile NAME` runs that endpoint
under cProfile and prints the top functions, to see where the CPU goes.

Run it against a seeded world (seed_demo, then rank_explore), with bench-like settings:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/redbook_hc REDIS_URL=redis://127.0.0.1:6379/13 \
    DEBUG=0 SECRET_KEY=x SECURE_SSL_REDIRECT=0 ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=WARNING \
    .venv/bin/python -m tests.bench.profile_feeds --requests 300 [--profile explore] [--sort tottime]

CPU time counts the client side of SQL and Redis too (as a gunicorn worker pays it), not
the servers'. On a busy machine compare runs made back to back, or compare cProfile call counts.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time

import django

ENDPOINTS = ("floor", "b1", "explore", "follow", "nearby", "home", "search", "products", "suggest")
WARMUP = 20


def _environ(path: str, headers: dict[str, str]) -> dict:
    """A GET as gunicorn hands it to Django."""
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8107",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8107",
        "REMOTE_ADDR": "127.0.0.1",
        "SCRIPT_NAME": "",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def _drive(handler, endpoint, count: int, offset: int = 0) -> None:
    """`count` requests, rotating paths and credentials as the bench's wrk script does."""
    statuses = []

    def start_response(status, _headers):
        statuses.append(status)

    headers = endpoint.headers or [{}]
    for i in range(offset, offset + count):
        path = endpoint.paths[i % len(endpoint.paths)]
        body = handler(_environ(path, headers[i % len(headers)]), start_response)
        b"".join(body)
        body.close()
        if not statuses[-1].startswith("200"):  # stop at once: a failing endpoint measures nothing
            raise SystemExit(f"{endpoint.key}: GET {path} answered {statuses[-1]}")


def measure(handler, endpoint, count: int) -> tuple[float, float]:
    """(CPU ms, wall ms) per request, after a warm-up."""
    _drive(handler, endpoint, WARMUP)
    cpu, wall = time.process_time(), time.perf_counter()
    _drive(handler, endpoint, count, offset=WARMUP)
    return (time.process_time() - cpu) * 1000 / count, (time.perf_counter() - wall) * 1000 / count


def profile(handler, endpoint, count: int, sort: str, top: int) -> None:
    """cProfile with a CPU clock (not waits on Postgres and Redis); it inflates code made of
    many small calls (the ORM), so read its call counts, or use `sample` for shares of time."""
    _drive(handler, endpoint, WARMUP)
    profiler = cProfile.Profile(time.process_time)
    profiler.runcall(_drive, handler, endpoint, count, WARMUP)
    stats = pstats.Stats(profiler)
    stats.sort_stats(sort).print_stats(top)


def sample(handler, endpoint, count: int) -> None:
    """pyinstrument's sampling profile (a dev requirement): shares of CPU time without cProfile's skew."""
    from pyinstrument import Profiler

    _drive(handler, endpoint, WARMUP)
    profiler = Profiler(interval=0.0005, async_mode="disabled")
    profiler.start()
    _drive(handler, endpoint, count, WARMUP)
    profiler.stop()
    print(profiler.output_text(unicode=True, show_all=False, timeline=False))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="measured requests per endpoint")
    parser.add_argument("--only", choices=ENDPOINTS, action="append", help="endpoints to measure (default all)")
    parser.add_argument("--profile", choices=ENDPOINTS, help="cProfile this endpoint instead of measuring")
    parser.add_argument("--sample", choices=ENDPOINTS, help="profile this endpoint with pyinstrument instead")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key for --profile")
    parser.add_argument("--top", type=int, default=60, help="functions printed by --profile")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redbook.settings")
    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    from tests.bench import targets

    handler = WSGIHandler()
    endpoints = {endpoint.key: endpoint for endpoint in targets.build()}
    if args.profile:
        profile(handler, endpoints[args.profile], args.requests, args.sort, args.top)
        return 0
    if args.sample:
        sample(handler, endpoints[args.sample], args.requests)
        return 0
    for key in args.only or ENDPOINTS:
        cpu_ms, wall_ms = measure(handler, endpoints[key], args.requests)
        print(f"{endpoints[key].label:32} CPU {cpu_ms:6.2f} ms/request   wall {wall_ms:6.2f} ms/request", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
