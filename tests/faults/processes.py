"""The processes the fault suite starts and breaks: its own Redis and Postgres (started
by scripts/faults.sh, described by FAULTS_* variables), Celery workers and gunicorn.

Everything here acts on processes this suite started itself, by pid or data dir.
"""

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[2]
WORK = Path(os.environ.get("FAULTS_WORK", "/tmp"))


def wait_until(predicate, *, timeout: float, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


class PrivateRedis:
    """The suite's Redis (append-only file on, like a production broker)."""

    def __init__(self):
        self.conf = os.environ["FAULTS_REDIS_CONF"]
        self.port = int(os.environ["FAULTS_REDIS_PORT"])
        self.pidfile = WORK / "redis.pid"

    def answers(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def stop(self, *, crash: bool = False) -> None:
        """Shut it down cleanly, or kill -9 it; either way the append-only file keeps queued tasks."""
        pid = int(self.pidfile.read_text())
        os.kill(pid, signal.SIGKILL if crash else signal.SIGTERM)
        wait_until(lambda: not _alive(pid), timeout=20, what="redis to stop")

    def start(self) -> None:
        subprocess.run(["redis-server", self.conf], check=True)
        wait_until(self.answers, timeout=20, what="redis to answer")


class PrivatePostgres:
    def __init__(self):
        self.pg_ctl = os.path.join(os.environ["FAULTS_PG_BIN"], "pg_ctl")
        self.data = os.environ["FAULTS_PGDATA"]

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", self.pg_ctl, "-D", self.data, *args], check=True)

    def crash(self) -> None:
        """Stop it the hard way: no checkpoint, every connection cut (crash recovery on start)."""
        self._pg_ctl("stop", "-m", "immediate")

    def start(self) -> None:
        self._pg_ctl("start", "-w", "-l", str(WORK / "pg.log"))

    def start_if_stopped(self) -> None:
        if not (Path(self.data) / "postmaster.pid").exists():
            self.start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").exists() and " Z " not in Path(f"/proc/{pid}/stat").read_text()


def _environment(**extra: str) -> dict:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="redbook.settings", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


class Managed:
    """A subprocess in its own session (so killing its group kills only it), logging to a file."""

    def __init__(self, name: str, argv: list[str], env: dict):
        self.name, self.argv, self.env = name, argv, env
        self.log = WORK / f"{name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self):
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    @property
    def pid(self) -> int:
        return self.proc.pid

    def kill_hard(self) -> None:
        """kill -9 the whole process group: the main process and its pool children at once."""
        self._signal_group(signal.SIGKILL)
        if self.proc:
            self.proc.wait(timeout=20)

    def kill_main(self) -> None:
        """kill -9 the main process only: its pool children are orphaned mid-task and exit later."""
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=20)

    def stop(self, timeout: float = 30) -> None:
        """Warm shutdown; whatever of the group is left (orphans included) is killed after `timeout`."""
        if self.proc and self.proc.poll() is None:
            self._signal_group(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=timeout)
        self.kill_hard()

    def _signal_group(self, signum: int) -> None:
        if self.proc:
            with contextlib.suppress(ProcessLookupError):  # the whole group is gone already
                os.killpg(self.proc.pid, signum)


class Worker(Managed):
    """A real `celery -A redbook worker` (prefork) on the suite's Redis and Postgres."""

    def __init__(self, index: int = 0, concurrency: int = 2):
        argv = [
            str(ROOT / ".venv/bin/celery"), "-A", "redbook", "worker", "--pool", "prefork",
            "--concurrency", str(concurrency), "--without-mingle", "--without-gossip",
            "--hostname", f"faults{index}@%h", "--loglevel", "INFO",
        ]  # fmt: skip
        super().__init__(f"worker{index}", argv, _environment())

    def start(self):
        """Start and wait until it consumes (a kill during boot would test Celery's boot, not us)."""
        super().start()
        wait_until(lambda: "ready." in self.log.read_text(errors="replace"), timeout=60, what=f"{self.name} ready")
        return self

    def exited(self) -> bool:
        return self.proc.poll() is not None

    def tasks_cut_short(self) -> int:
        """Pool processes this worker saw die by SIGKILL mid-task (from its log)."""
        return self.log.read_text(errors="replace").count("signal 9 (SIGKILL)") if self.log.exists() else 0

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill_a_child(self) -> bool:
        """kill -9 one pool process (mid-task if it is busy); the main process survives."""
        children = self.children()
        if not children:
            return False
        try:
            os.kill(children[-1], signal.SIGKILL)
        except ProcessLookupError:
            return False
        return True


class Server(Managed):
    """gunicorn serving the app as in production (DEBUG off) on the suite's port."""

    PORT = 8109

    def __init__(self):
        argv = [
            str(ROOT / ".venv/bin/gunicorn"), "redbook.wsgi", "--bind", f"127.0.0.1:{self.PORT}",
            "--workers", "2", "--threads", "4", "--timeout", "60", "--no-control-socket",
        ]  # fmt: skip
        env = _environment(DEBUG="0", SECURE_SSL_REDIRECT="0", ALLOWED_HOSTS="127.0.0.1,localhost")
        super().__init__("gunicorn", argv, env)
        self.url = f"http://127.0.0.1:{self.PORT}"

    def start(self):
        super().start()
        import requests

        def answers():
            try:
                return requests.get(self.url + "/healthz", timeout=1).ok
            except requests.RequestException:
                return False

        wait_until(answers, timeout=60, what="gunicorn to answer")
        return self
