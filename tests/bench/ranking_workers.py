"""The bench's "ranking workers" section: one full Explore run (feeds/runs.py) served by one,
then by two ranking workers (`celery worker -Q ranking -c 1`), timed from the start of the
run (beat's task, here called in this process: loading the world and the item model) to
its last batch. Also alone, against the seeded bench database:

    DATABASE_URL=... REDIS_URL=... DEBUG=0 SECRET_KEY=bench .venv/bin/python -m tests.bench.ranking_workers
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from tests.cluster.processes import app_environment, celery_worker, wait_until

RUN_TIMEOUT = 3600


def _timed_run(workers: int, work: Path) -> dict:
    from feeds import runs, services
    from redbook.redis import get_redis

    client = get_redis()
    client.delete("ranking")  # batches of an earlier, abandoned run would be counted in
    started = [
        celery_worker(work, f"ranking{workers}-{n}", app_environment(LOG_LEVEL="WARNING"), queues="ranking").start()
        for n in range(workers)
    ]
    try:
        for worker in started:
            wait_until(lambda w=worker: "ready." in w.log.read_text(errors="replace"), timeout=120, what="worker")
        begin = time.perf_counter()
        figures = services.explore_rank_all_once()
        if figures is None:
            raise RuntimeError("a ranking run is already going on the bench's Redis")
        planned = time.perf_counter() - begin
        wait_until(lambda: not client.exists(runs.RUN_LOCK), timeout=RUN_TIMEOUT, interval=0.1, what="the run")
        return {**figures, "plan_s": planned, "total_s": time.perf_counter() - begin}
    finally:
        for worker in started:
            worker.stop(timeout=30)


def measure_runs(worker_counts=(1, 2)) -> dict[int, dict]:
    """Per worker count: the run's figures, its total seconds and those of its batches."""
    work = Path(tempfile.mkdtemp(prefix="rb-bench-ranking-"))
    try:
        runs = {count: _timed_run(count, work) for count in worker_counts}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for run in runs.values():
        run["batches_s"] = run["total_s"] - run["plan_s"]
    return runs


def describe(runs: dict[int, dict]) -> dict[str, str]:
    """The runs as rows of the bench table."""
    figures = {}
    for count, run in runs.items():
        figures[f"ranking run, {count} worker{'s' if count > 1 else ''}"] = (
            f"{run['total_s']:.1f} s for {run['users']} users in {run['batches']} batches "
            f"(plan {run['plan_s']:.1f} s, model {run['model_bytes'] / 1e6:.1f} MB; batches {run['batches_s']:.1f} s)"
        )
    if len(runs) > 1:
        one, most = runs[min(runs)]["batches_s"], runs[max(runs)]["batches_s"]
        speed_up = f"x{one / most:.2f} with {max(runs)} workers on {os.cpu_count()} CPUs"
        figures["ranking batches speed-up"] = speed_up
    return figures


def measure(worker_counts=(1, 2)) -> dict[str, str]:
    return describe(measure_runs(worker_counts))


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redbook.settings")
    django.setup()
    measured = measure_runs()
    for name, value in describe(measured).items():
        print(f"{name}: {value}")
    if len(sys.argv) > 1:  # a footprint file to write, with these runs: python -m ... bench-results/footprint-S.json
        from tests.bench import footprint

        footprint.write(sys.argv[1], footprint.measure(ranking={str(k): v for k, v in measured.items()}))
    sys.exit(0)
