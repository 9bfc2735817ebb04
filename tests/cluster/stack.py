"""`make cluster`: RedBook as several nodes on one machine, behind nginx.

    nginx (balancer) -> web nodes A and B (gunicorn) -> Postgres primary (+ streaming replica)
                                                    -> Redis (cache, broker, Explore lists, limits)
                                                    -> S3-compatible store (moto), when installed
    nginx /ws/       -> daphne (the WebSocket; the web nodes' environment)
    Celery workers 1 and 2 (every queue: celery, ranking, media; a full ranking run's
    batches spread over them), beat

Every process binds a free port of 127.0.0.1 and lives in a work folder of its own; both
nodes share MEDIA_ROOT there, so media works without the object store too. The nodes run as
production does (DEBUG off, hashed static files, the balancer as trusted proxy).

    python -m tests.cluster.stack [--seed]   # prints the URLs; Ctrl-C stops everything
"""

import argparse
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from tests.cluster.processes import (
    VENV_BIN,
    Nginx,
    PostgresPair,
    RedisServer,
    app_environment,
    asgi_node,
    celery_beat,
    celery_worker,
    free_port,
    manage,
    managed,
    wait_healthy,
    wait_until,
    web_node,
)

MOTO_BUCKET = "redbook-media"


class Cluster:
    def __init__(self, work: Path, *, extra_env: dict | None = None):
        self.work = work
        self.extra_env = extra_env or {}
        self.pg = PostgresPair(work)
        self.redis = RedisServer(work)
        self.processes = []
        self.moto_url = ""

    # --- start -------------------------------------------------------------------
    def start(self, *, seed: bool = False) -> "Cluster":
        self.redis.start()
        self.pg.start_primary()
        self._start_object_store()
        self.env = self._environment()
        manage(self.env, "migrate", "--noinput", "-v", "0")
        if self.moto_url:
            manage(self.env, "media_bucket")  # its policy: renditions public, originals private
        if seed:
            manage(self.env, "seed_demo", "--if-empty", "--users", "200", "--notes", "1500")
        manage(self.env, "collectstatic", "--noinput", "-v", "0")
        self.pg.start_replica()  # after migrating and seeding: the base backup copies them
        self.node_a = self._run(web_node(self.work, "web-a", self.env))
        self.node_b = self._run(web_node(self.work, "web-b", self.env))
        self.asgi = self._run(asgi_node(self.work, "asgi", self.env))  # /ws/ (real-time), same env
        for node in (self.node_a, self.node_b, self.asgi):
            wait_healthy(node.url)
        self.workers = [self._run(celery_worker(self.work, f"worker{n}", self.env)) for n in (1, 2)]
        self.beat = self._run(celery_beat(self.work, self.env))
        self.balancer = Nginx(
            self.work,
            [f"127.0.0.1:{self.node_a.port}", f"127.0.0.1:{self.node_b.port}"],
            websocket=f"127.0.0.1:{self.asgi.port}",
        )
        self._run(self.balancer.process())
        wait_healthy(self.balancer.url)
        for worker in self.workers:
            wait_until(lambda w=worker: "ready." in w.log.read_text(errors="replace"), timeout=90, what="a worker")
        return self

    def _run(self, process):
        self.processes.append(process.start())
        return process

    def _environment(self) -> dict:
        env = app_environment(
            DATABASE_URL=self.pg.primary.url,
            DATABASE_REPLICA_URLS=self.pg.replica.url,
            REDIS_URL=self.redis.url,
            SECRET_KEY=secrets.token_urlsafe(40),  # one key for every node: sessions and signatures work on all
            DEBUG="0",
            SECURE_SSL_REDIRECT="0",  # plain HTTP on loopback; production terminates TLS at the balancer
            ALLOWED_HOSTS="127.0.0.1,localhost",
            TRUSTED_PROXIES="127.0.0.1",
            MEDIA_ROOT=str(self.work / "media"),
            LOG_LEVEL="WARNING",
        )
        if self.moto_url:
            # Read by the object storage settings (MEDIA_STORAGE_URL); ignored where they are absent.
            env["MEDIA_STORAGE_URL"] = (
                f"s3://cluster:cluster@{MOTO_BUCKET}?endpoint_url={self.moto_url}&region=us-east-1"
            )
        env.update(self.extra_env)
        return env

    def _start_object_store(self) -> None:
        moto = VENV_BIN / "moto_server"
        if not moto.exists():
            return
        port = free_port()
        self._run(managed(self.work, "moto", [str(moto), "-H", "127.0.0.1", "-p", str(port)], os.environ.copy()))
        self.moto_url = f"http://127.0.0.1:{port}"
        import boto3

        def bucket_made() -> bool:
            try:
                s3 = boto3.client(
                    "s3", endpoint_url=self.moto_url, region_name="us-east-1",
                    aws_access_key_id="cluster", aws_secret_access_key="cluster",
                )  # fmt: skip
                s3.create_bucket(Bucket=MOTO_BUCKET)
            except Exception:  # not answering yet
                return False
            return True

        wait_until(bucket_made, timeout=30, what="moto to answer")

    # --- rolling restarts ----------------------------------------------------------
    def drain_and_stop(self, node) -> None:
        """A planned stop: out of the balancer first, then a graceful stop, so no request meets it."""
        self.balancer.set_down(f"127.0.0.1:{node.port}", True)
        time.sleep(2)  # nginx's old workers finish; new ones send nothing to the node
        node.stop(timeout=30)

    def restart(self, node) -> None:
        node.start()
        wait_healthy(node.url)
        self.balancer.set_down(f"127.0.0.1:{node.port}", False)

    # --- stop --------------------------------------------------------------------
    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop(timeout=20)
        self.pg.stop()
        self.redis.stop()

    def describe(self) -> str:
        lines = [
            f"RedBook cluster in {self.work}",
            f"  balancer (nginx)   {self.balancer.url.replace('127.0.0.1', 'localhost')}/",
            f"  web node A         {self.node_a.url}/",
            f"  web node B         {self.node_b.url}/",
            f"  WebSocket (daphne) {self.asgi.url}/ws/ (through the balancer at /ws/)",
            f"  Postgres primary   {self.pg.primary.url}",
            f"  Postgres replica   {self.pg.replica.url}",
            f"  Redis              {self.redis.url}",
            f"  object store       {self.moto_url or 'none (moto not installed): media on the shared disk'}",
            f"  workers 1 and 2, beat; logs in {self.work}/*.log",
        ]
        return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", action="store_true", help="seed a demo world (users password redbook-demo)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (data and logs) after Ctrl-C")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rb-cluster-"))
    os.chmod(work, 0o755)
    cluster = Cluster(work)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        cluster.start(seed=args.seed)
        print(cluster.describe(), "\nCtrl-C stops everything.", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        print("stopping the cluster...", flush=True)
        cluster.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
