"""The processes of a RedBook cluster on one machine, each on a free port of 127.0.0.1:
a Postgres primary with a streaming replica, Redis, the S3-compatible server (moto, when
installed), gunicorn web nodes, a daphne node for the WebSocket (/ws/), Celery workers
(every queue) and beat, and nginx balancing the nodes.

Used by `make cluster` (scripts/cluster.sh -> tests/cluster/stack.py) and by the tests
that need a real replica or the whole cluster. Everything is started in a work folder of
its own and stopped by pid or data folder, never by name.
"""

import glob
import os
import shutil
import signal
import socket
import subprocess
import textwrap
from pathlib import Path

import psycopg
import requests

from tests.faults.processes import Managed, wait_until

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = (sorted(glob.glob("/usr/lib/postgresql/*/bin")) or [""])[-1]
VENV_BIN = ROOT / ".venv/bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_available() -> bool:
    return bool(PG_BIN) and shutil.which("pg_basebackup", path=PG_BIN) is not None


def _as_postgres(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Postgres refuses to run as root: as root, run its tools as the postgres account."""
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    return subprocess.run(argv, check=True, capture_output=True, **kwargs)


class PostgresNode:
    """One Postgres server: a fresh primary (initdb) or a replica (pg_basebackup -R of one)."""

    def __init__(self, work: Path, name: str):
        self.data = work / name
        self.log = work / f"{name}.log"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/redbook"

    def init_primary(self) -> "PostgresNode":
        self._prepare()
        _as_postgres([f"{PG_BIN}/initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"])
        self._configure()
        self.start()
        _as_postgres([f"{PG_BIN}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "redbook"])
        return self

    def init_replica_of(self, primary: "PostgresNode") -> "PostgresNode":
        """A streaming replica: a base backup of `primary` that writes its own standby settings (-R)."""
        self._prepare()
        source = ["-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"]
        target = ["-D", str(self.data), "-R", "-X", "stream", "--checkpoint=fast"]
        _as_postgres([f"{PG_BIN}/pg_basebackup", *source, *target])
        self._configure()  # the copied config names the primary's port: this one's wins (last line)
        self.start()
        return self

    def _prepare(self) -> None:
        self.data.mkdir(mode=0o700)
        self.log.touch()
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres")
            shutil.chown(self.log, "postgres")

    def _configure(self) -> None:
        # fsync off: the cluster survives process crashes (what we cause), not OS crashes.
        settings = f"""
            port = {self.port}
            listen_addresses = '127.0.0.1'
            unix_socket_directories = '{self.data}'
            fsync = off
            max_connections = 200
            hot_standby = on
        """
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(textwrap.dedent(settings))

    def start(self) -> None:
        _as_postgres([f"{PG_BIN}/pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "start"])

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            _as_postgres([f"{PG_BIN}/pg_ctl", "-D", str(self.data), "-m", "immediate", "stop"])

    def execute(self, sql: str, params=()) -> list[tuple]:
        with psycopg.connect(self.url, autocommit=True) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []


class PostgresPair:
    """A primary and its streaming replica; `migrate` before `start_replica` copies less WAL."""

    def __init__(self, work: Path):
        self.primary = PostgresNode(work, "pg-primary")
        self.replica = PostgresNode(work, "pg-replica")

    def start_primary(self) -> None:
        self.primary.init_primary()

    def start_replica(self) -> None:
        self.replica.init_replica_of(self.primary)

    def pause_replay(self) -> None:
        self.replica.execute("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self.replica.execute("SELECT pg_wal_replay_resume()")

    def stop(self) -> None:
        self.replica.stop()
        self.primary.stop()


class RedisServer:
    def __init__(self, work: Path):
        self.port = free_port()
        self.work = work
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        conf = self.work / "redis.conf"
        conf.write_text(
            f"port {self.port}\nbind 127.0.0.1\ndaemonize yes\npidfile {self.work}/redis.pid\n"
            f'dir {self.work}\nlogfile {self.work}/redis.log\nsave ""\nappendonly yes\n'
        )
        subprocess.run(["redis-server", str(conf)], check=True)
        wait_until(lambda: _answers(["redis-cli", "-p", str(self.port), "ping"]), timeout=20, what="redis")

    def stop(self) -> None:
        pidfile = self.work / "redis.pid"
        if pidfile.exists():
            subprocess.run(["kill", pidfile.read_text().strip()], check=False)


def _answers(argv: list[str]) -> bool:
    return subprocess.run(argv, capture_output=True, check=False).returncode == 0


def app_environment(**extra: str) -> dict:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="redbook.settings", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def managed(work: Path, name: str, argv: list[str], env: dict) -> Managed:
    process = Managed(name, argv, env)
    process.log = work / f"{name}.log"
    return process


def manage(env: dict, *args: str) -> None:
    subprocess.run([str(VENV_BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def web_node(work: Path, name: str, env: dict, *, workers: int = 1, threads: int = 4) -> Managed:
    """gunicorn on a free port (the `url` attribute), as production runs it."""
    port = free_port()
    argv = [
        str(VENV_BIN / "gunicorn"), "redbook.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--threads", str(threads), "--timeout", "60", "--graceful-timeout", "20", "--no-control-socket",
    ]  # fmt: skip
    node = managed(work, name, argv, env)
    node.url = f"http://127.0.0.1:{port}"
    node.port = port
    return node


def asgi_node(work: Path, name: str, env: dict) -> Managed:
    """daphne on a free port (the `url` attribute): the WebSocket at /ws/, as production runs it."""
    port = free_port()
    argv = [str(VENV_BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port), "redbook.asgi:application"]
    node = managed(work, name, argv, env)
    node.url = f"http://127.0.0.1:{port}"
    node.port = port
    return node


def wait_healthy(url: str, *, timeout: float = 60) -> None:
    def answers() -> bool:
        try:
            return requests.get(url + "/healthz", timeout=1).ok
        except requests.RequestException:
            return False

    wait_until(answers, timeout=timeout, what=f"{url} to answer")


# Every queue of settings.CELERY_TASK_QUEUES: a task routed to a queue nobody consumes
# (posts.transcode_video -> "media") would wait for ever.
WORKER_QUEUES = "celery,ranking,media"


def celery_worker(work: Path, name: str, env: dict, *, queues: str = WORKER_QUEUES, concurrency: int = 1) -> Managed:
    argv = [
        str(VENV_BIN / "celery"), "-A", "redbook", "worker", "-Q", queues, "--hostname", f"{name}@%h",
        "--concurrency", str(concurrency), "--without-mingle", "--without-gossip", "--loglevel", "INFO",
    ]  # fmt: skip
    return managed(work, name, argv, env)


def celery_beat(work: Path, env: dict) -> Managed:
    schedule = str(work / "celerybeat-schedule")
    return managed(work, "beat", [str(VENV_BIN / "celery"), "-A", "redbook", "beat", "-s", schedule, "-l", "INFO"], env)


def nginx_available() -> bool:
    return shutil.which("nginx") is not None or Path("/usr/sbin/nginx").exists()


class Nginx:
    """nginx in front of the web nodes: round robin, and a request a node could not take
    (connection refused, reset, 502/503/504) goes to the other node. A request that was
    sent to a node is retried only if idempotent (nginx's rule), so a POST is never run twice."""

    # No keepalive to the nodes: a node shutting down closes idle kept-alive connections,
    # and a POST sent on one of those could not be retried; a refused connect always can.
    def __init__(self, work: Path, upstreams: list[str], *, websocket: str | None = None):
        self.work = work
        self.websocket = websocket  # address of the ASGI server that takes /ws/, if any
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.upstreams = upstreams
        self.down: set[str] = set()  # nodes taken out of rotation (drained)
        self.conf = work / "nginx.conf"
        self.managed: Managed | None = None

    def _config(self) -> str:
        servers = "\n".join(
            f"        server {address} max_fails=1 fail_timeout=5s{' down' if address in self.down else ''};"
            for address in self.upstreams
        )
        user = "user root;" if os.geteuid() == 0 else ""
        websocket = ""
        if self.websocket:
            websocket = f"""
                    location /ws/ {{
                        proxy_pass http://{self.websocket};
                        proxy_http_version 1.1;
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection "upgrade";
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_connect_timeout 2s;
                        proxy_read_timeout 1h;
                        proxy_send_timeout 1h;
                    }}"""
        return textwrap.dedent(
            f"""
            {user}
            worker_processes 1;
            daemon off;
            pid {self.work}/nginx.pid;
            error_log {self.work}/nginx-error.log warn;
            events {{ worker_connections 1024; }}
            http {{
                access_log {self.work}/nginx-access.log;
                client_body_temp_path {self.work}/nginx-body;
                proxy_temp_path {self.work}/nginx-proxy;
                fastcgi_temp_path {self.work}/nginx-fastcgi;
                uwsgi_temp_path {self.work}/nginx-uwsgi;
                scgi_temp_path {self.work}/nginx-scgi;
                client_max_body_size 25m;
                upstream redbook {{
            {servers}
                }}
                server {{
                    listen 127.0.0.1:{self.port};{websocket}
                    location / {{
                        proxy_pass http://redbook;
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_next_upstream error timeout http_502 http_503 http_504;
                        proxy_next_upstream_tries 2;
                        proxy_connect_timeout 2s;
                        proxy_read_timeout 60s;
                    }}
                }}
            }}
            """
        )

    def process(self) -> Managed:
        self.conf.write_text(self._config())
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        argv = [binary, "-c", str(self.conf), "-p", str(self.work)]
        self.managed = managed(self.work, "nginx", argv, os.environ.copy())
        return self.managed

    def set_down(self, address: str, down: bool) -> None:
        """Take a node out of rotation (or back): new config, then a graceful reload (SIGHUP)
        in which old nginx workers finish the requests they have."""
        (self.down.add if down else self.down.discard)(address)
        self.conf.write_text(self._config())
        os.kill(self.managed.pid, signal.SIGHUP)
