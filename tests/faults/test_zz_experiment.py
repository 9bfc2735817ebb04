import time

import pytest
from celery import current_app

from tests.faults.conftest import canary_answers_within

pytestmark = pytest.mark.faults


def test_experiment_task_finishing_after_redis_dies(world, workers, private_redis):
    worker = workers()
    sig = current_app.signature("redbook.canary")
    current_app.send_task("celery.map", args=[dict(sig), [[]] * 4000])
    time.sleep(1.5)
    private_redis.stop(crash=True)
    time.sleep(8)
    print("\nworker exited during outage:", worker.exited())
    private_redis.start()
    print("canary:", canary_answers_within(60))
    log = worker.log.read_text()
    print("couldn't ack lines:", log.count("ouldn't ack"), "CRITICAL:", log.count("CRITICAL"))
    print([line for line in log.splitlines() if "map" in line or "ack" in line.lower()][:10])
