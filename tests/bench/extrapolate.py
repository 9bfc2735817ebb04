"""Extrapolate RedBook's footprint to more users from measurements at S (and L).

    .venv/bin/python -m tests.bench.extrapolate bench-results/footprint-S.json [bench-results/footprint-L.json] \
        [--users 10000000] [--active-share 1.0] [--refresh-seconds 900]

Input: the JSON footprints tests/bench/footprint.py writes. With two scales each per-user
figure follows the power law through both points (per_user(n) = a * n**b: indexes and
interactions per user grow with the world); with one, it stays constant per user (b = 0).
Prints Postgres and Redis sizes and the ranking workers that a refresh in
--refresh-seconds needs, at the measured scales and at --users.
"""

import argparse
import json
import math
from pathlib import Path


def per_user_law(points: list[tuple[float, float]]):
    """n -> per-user value, through the measured (users, per-user value) points."""
    if len(points) == 1 or points[0][0] == points[-1][0] or min(v for _, v in points) <= 0:
        value = points[-1][1]
        return lambda n: value, 0.0
    (n1, v1), (n2, v2) = points[0], points[-1]
    exponent = math.log(v2 / v1) / math.log(n2 / n1)
    return (lambda n: v1 * (n / n1) ** exponent), exponent


def _gb(value: float) -> str:
    return f"{value / 1e9:,.1f} GB"


def ranking_seconds_per_1000(footprint: dict) -> tuple[float, float]:
    """(batch seconds per 1,000 users on one worker, plan seconds) of the 1-worker run."""
    run = footprint["ranking"].get("1") or next(iter(footprint["ranking"].values()))
    return run["batches_s"] / max(run["users"], 1) * 1000, run["plan_s"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("footprints", nargs="+")
    parser.add_argument("--users", type=int, default=10_000_000)
    parser.add_argument("--active-share", type=float, default=None, help="active users / users (default: measured)")
    parser.add_argument("--refresh-seconds", type=float, default=900)
    args = parser.parse_args()
    prints = sorted((json.loads(Path(path).read_text()) for path in args.footprints), key=lambda f: f["users"])

    pg_bytes, pg_b = per_user_law([(f["users"], f["postgres_bytes_per_user"]) for f in prints])
    pg_rows, _ = per_user_law([(f["users"], f["postgres_rows_per_user"]) for f in prints])
    zset, _ = per_user_law([(f["users"], f["explore_redis"]["bytes_per_list"]) for f in prints])
    compact, _ = per_user_law([(f["users"], f["explore_redis"]["compact_bytes_per_list"]) for f in prints])
    ranking, _ = per_user_law([(f["users"], ranking_seconds_per_1000(f)[0]) for f in prints])
    last = prints[-1]
    share = args.active_share or last["explore_redis"]["lists"] / max(last["users"], 1)
    plan_s = ranking_seconds_per_1000(last)[1]

    print(f"measured at {', '.join(str(f['users']) for f in prints)} users; Postgres bytes/user exponent {pg_b:+.2f}")
    print(f"active share {share:.2f}; ranking plan (world + item model, per run) {plan_s:.1f} s")
    print("| users | Postgres | rows | Explore zset+hash | Explore compact | ranking s/1k users | workers |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in [f["users"] for f in prints] + [args.users]:
        active = n * share
        seconds = ranking(n) * active / 1000
        budget = max(args.refresh_seconds - plan_s, 1)
        print(
            f"| {n:,} | {_gb(pg_bytes(n) * n)} | {pg_rows(n) * n:,.0f} | {_gb(zset(n) * active)} | "
            f"{_gb(compact(n) * active)} | {ranking(n):.2f} | {math.ceil(seconds / budget)} |"
        )


if __name__ == "__main__":
    main()
