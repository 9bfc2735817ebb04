"""Redis roles: cache, broker, ranking store and shared state each write to their own URL.

A private redis-server on a free loopback port; a fresh process configured only by the
environment (as a deployment is) writes through each role; each database number then
holds what its role wrote and nothing of the others'.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
ROLES = {"CACHE_URL": 1, "CELERY_BROKER_URL": 2, "RANKING_REDIS_URL": 3, "REDIS_URL": 4}

PROBE = """
from django.core.cache import cache
from feeds.store import RankedList, get_store
from redbook.celery import app
from redbook.throttling import hit

cache.set("role-probe", 1)
app.send_task("redbook.canary", kwargs={"token": "role-probe"})
get_store().replace_many([RankedList("u:role-probe", [(1, 1.0, "new")])])
hit("throttle:role-probe", 60)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def private_redis(tmp_path):
    port = _free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:  # wait until it answers (a positive condition, not a sleep)
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    yield port
    server.terminate()
    server.wait(timeout=10)


def _keys(port: int, db: int) -> set[str]:
    return {key.decode() for key in redis.Redis(port=port, db=db).keys("*")}


def test_each_role_writes_to_its_own_redis(private_redis):
    env = {**os.environ, "DEBUG": "1", "CELERY_TASK_ALWAYS_EAGER": "0"}
    env.update({name: f"redis://127.0.0.1:{private_redis}/{db}" for name, db in ROLES.items()})
    subprocess.run([sys.executable, "manage.py", "shell", "-c", PROBE], cwd=ROOT, env=env, check=True, timeout=120)

    cache_keys = _keys(private_redis, ROLES["CACHE_URL"])
    broker_keys = _keys(private_redis, ROLES["CELERY_BROKER_URL"])
    ranking_keys = _keys(private_redis, ROLES["RANKING_REDIS_URL"])
    state_keys = _keys(private_redis, ROLES["REDIS_URL"])
    assert any(key.endswith("role-probe") for key in cache_keys), cache_keys
    assert "celery" in broker_keys, broker_keys  # the queue holding the canary
    assert "explore:u:role-probe" in ranking_keys, ranking_keys
    assert "throttle:role-probe" in state_keys, state_keys
    every = [cache_keys, broker_keys, ranking_keys, state_keys]
    for index, keys in enumerate(every):  # and no role wrote into another's database
        others = set().union(*(other for position, other in enumerate(every) if position != index))
        assert not keys & others, (keys, others)
