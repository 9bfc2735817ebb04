"""What `make cluster` starts, checked without starting the whole cluster: its workers consume
every Celery queue, and its nginx sends /ws/ (the WebSocket) to a daphne node."""

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
import websockets
from django.conf import settings

from tests.cluster.processes import (
    Nginx,
    app_environment,
    asgi_node,
    celery_worker,
    free_port,
    nginx_available,
    wait_healthy,
    wait_until,
)


def test_cluster_workers_consume_every_queue(tmp_path):
    worker = celery_worker(tmp_path, "worker", {})
    consumed = set(worker.argv[worker.argv.index("-Q") + 1].split(","))
    assert {queue.name for queue in settings.CELERY_TASK_QUEUES} <= consumed  # "media": video transcoding


@pytest.mark.skipif(not nginx_available(), reason="needs nginx")
def test_the_balancer_sends_the_websocket_to_daphne(cluster_work):
    if not settings.REDIS_URL:
        pytest.skip("the channel layer needs Redis")
    env = app_environment(DATABASE_URL=os.environ.get("DATABASE_URL", ""), REDIS_URL=settings.REDIS_URL, DEBUG="1")
    daphne = asgi_node(cluster_work, "ws-daphne", env).start()
    balancer = None
    try:
        wait_healthy(daphne.url)
        # "/" goes to a node that is not there: only /ws/ has somewhere to go
        balancer = Nginx(cluster_work, [f"127.0.0.1:{free_port()}"], websocket=f"127.0.0.1:{daphne.port}")
        balancer.process().start()
        wait_until(lambda: balancer.conf.exists() and _listening(balancer.port), timeout=20, what="nginx")
        # In a thread of its own: the browser tests' Playwright loop may still run in this one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            status = pool.submit(asyncio.run, _handshake(balancer.url.replace("http", "ws") + "/ws/")).result()
        # an anonymous socket reaches the consumer, which refuses it (403); not nginx's 502/404
        assert status == 403
        wait_until(lambda: "WSREJECT /ws/" in daphne.log.read_text(errors="replace"), timeout=10, what="daphne log")
    finally:
        if balancer is not None and balancer.managed is not None:
            balancer.managed.stop(timeout=10)
        daphne.stop(timeout=10)


async def _handshake(url: str) -> int:
    try:
        async with websockets.connect(url, open_timeout=10):
            return 101
    except websockets.exceptions.InvalidStatus as exc:
        return exc.response.status_code


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0
