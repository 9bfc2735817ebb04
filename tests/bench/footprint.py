"""Footprint of the seeded bench world, per user: what docs/scaling.md extrapolates from.

- Postgres: rows and bytes (tables + indexes + TOAST) of every table, and per user;
- Redis: bytes of the Explore lists as stored today (a sorted set + a reasons hash per
  active user), and of the same lists in a compact encoding (one string per user: note
  ids as uint32, reasons as uint16 codes of a shared dictionary; paging by position);
- the ranking's seconds per 1,000 users (from the bench's ranking-workers runs).
Written as JSON (bench-results/footprint-<scale>.json) for tests/bench/extrapolate.py.
"""

import array
import json
import os

import redis
from django.db import connection

from accounts.models import User
from feeds.store import KEY_PREFIX, user_key

SAMPLE_LISTS = 200


def postgres() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(
            """
            SELECT c.relname, GREATEST(c.reltuples, 0)::bigint, pg_total_relation_size(c.oid)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY 3 DESC
            """
        )
        tables = {name: {"rows": rows, "bytes": size} for name, rows, size in cursor.fetchall()}
    return {
        "tables": tables,
        "rows": sum(t["rows"] for t in tables.values()),
        "bytes": sum(t["bytes"] for t in tables.values()),
    }


def explore_redis() -> dict:
    """Bytes per list as stored, and as a compact string, over a sample of the users' lists."""
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    pattern = f"{KEY_PREFIX}{user_key('')}*"
    keys = [key for key in client.scan_iter(match=pattern, count=1000) if key.count(b":") == 2]  # not :why, :tmp
    lists = len(keys)
    reasons: dict[bytes, int] = {}
    stored = compact = items = 0
    sample = keys[:SAMPLE_LISTS]
    for key in sample:
        stored += (client.memory_usage(key, samples=0) or 0) + (client.memory_usage(key + b":why", samples=0) or 0)
        members = client.zrevrange(key, 0, -1)
        why = client.hmget(key + b":why", members)
        ids = array.array("I", (int(m) for m in members))
        codes = array.array("H", (reasons.setdefault(r or b"", len(reasons)) for r in why))
        probe = b"bench:compact:" + key
        client.set(probe, ids.tobytes() + codes.tobytes())
        compact += client.memory_usage(probe, samples=0) or 0
        client.delete(probe)
        items += len(members)
    n = max(len(sample), 1)
    return {
        "lists": lists,
        "items_per_list": items / n,
        "bytes_per_list": stored / n,
        "compact_bytes_per_list": compact / n,
        "reason_codes": len(reasons),
    }


def measure(ranking: dict | None = None) -> dict:
    users = User.objects.count()
    db = postgres()
    return {
        "users": users,
        "postgres": db,
        "postgres_bytes_per_user": db["bytes"] / max(users, 1),
        "postgres_rows_per_user": db["rows"] / max(users, 1),
        "explore_redis": explore_redis(),
        "ranking": ranking or {},
    }


def write(path, figures: dict) -> None:
    with open(path, "w") as out:
        json.dump(figures, out, indent=2, sort_keys=True)
