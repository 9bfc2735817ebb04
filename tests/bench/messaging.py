"""Messages in `make bench`: idle WebSockets held by one ASGI process (memory per
connection), delivery latency from `POST messages/` to the recipient's socket with 200
pairs chatting, and the inbox at 1,000 conversations per user (an endpoint of the table,
read against B1 there).

`make bench` calls `seed_inboxes` and `inbox_endpoint` before it measures, and
`realtime_figures` with its gunicorn running. Alone (against the configured database,
creating the accounts it needs, gunicorn and daphne of its own on free ports):
    DATABASE_URL=... REDIS_URL=... DEBUG=0 SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 \\
        .venv/bin/python -m tests.bench.messaging
"""

import asyncio
import contextlib
import json
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IDLE_SOCKETS = 2000
PAIRS = 200
ROUNDS = 5  # messages per pair
PACE_SECONDS = 2.0  # each sender waits up to this long between messages (about 100 messages/s in all)
INBOX_USERS = 4
INBOX_CONVERSATIONS = 1000
PREFIX = "msgbench"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port}")


def _bench_users(count: int, offset: int = 0):
    """`count` accounts of this bench, created once (no usable password: tokens only)."""
    from accounts.models import User

    names = [f"{PREFIX}{offset + i}" for i in range(count)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create([User(username=name, password="!") for name in names if name not in existing])
    by_name = {user.username: user for user in User.objects.filter(username__in=names)}
    return [by_name[name] for name in names]


def seed_inboxes() -> list[str]:
    """INBOX_USERS accounts with INBOX_CONVERSATIONS conversations each (one message in
    each, from the other side); returns API tokens of those accounts."""
    from django.utils import timezone

    from accounts.services import token_issue
    from messaging.models import Conversation, Membership, Message

    owners = _bench_users(INBOX_USERS)
    others = _bench_users(INBOX_CONVERSATIONS, offset=10_000)
    for owner in owners:
        if Membership.objects.filter(user=owner).count() >= INBOX_CONVERSATIONS:
            continue
        pairs = [sorted((owner.pk, other.pk)) for other in others]
        conversations = Conversation.objects.bulk_create(
            [Conversation(user_low_id=low, user_high_id=high) for low, high in pairs]
        )
        now = timezone.now()
        messages = Message.objects.bulk_create(
            [
                Message(conversation=c, sender=other, body=f"hello {i}")
                for i, (c, other) in enumerate(zip(conversations, others, strict=True))
            ]
        )
        rows = []
        for i, (c, other, message) in enumerate(zip(conversations, others, messages, strict=True)):
            at = now - timezone.timedelta(minutes=i)
            rows.append(
                Membership(conversation=c, user=owner, other=other, last_message=message, updated_at=at, unread_count=1)
            )
            rows.append(Membership(conversation=c, user=other, other=owner, last_message=message, updated_at=at))
        Membership.objects.bulk_create(rows)
    return [token_issue(user=owner, name="bench")[1] for owner in owners]


def inbox_endpoint(tokens: list[str]):
    from tests.bench.targets import Endpoint

    headers = [{"Authorization": f"Token {token}"} for token in tokens]
    return Endpoint(
        "messages_inbox", "/api/v1/conversations/ (1,000 conversations)", ["/api/v1/conversations/"], headers
    )


# --- WebSockets ----------------------------------------------------------------------


class Daphne:
    """One ASGI process (daphne) serving redbook.asgi on a free port."""

    def __enter__(self):
        _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))  # 2,000 sockets each side
        self.port = _free_port()
        command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), "redbook.asgi:application"]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for_port(self.port)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def rss_bytes(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return 0

    def url(self, ticket: str) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/?ticket={ticket}"


def _tickets(user_ids) -> list[str]:
    from messaging.realtime import ticket_issue

    return [ticket_issue(user_id=user_id) for user_id in user_ids]


async def _open_all(urls: list[str], batch: int = 50) -> list:
    from websockets.asyncio.client import connect

    sockets = []
    for start in range(0, len(urls), batch):
        sockets += await asyncio.gather(
            *(connect(url, open_timeout=30, ping_interval=None) for url in urls[start : start + batch])
        )
    return sockets


def idle_memory(daphne: Daphne, user_ids: list[int]) -> str:
    """RSS of the ASGI process with IDLE_SOCKETS open sockets, over its RSS with one."""

    async def run():
        warm = await _open_all(_tickets_urls(daphne, user_ids[:1]))
        await asyncio.sleep(1)  # let the process settle before the baseline
        before = daphne.rss_bytes()
        urls = _tickets_urls(daphne, [user_ids[i % len(user_ids)] for i in range(IDLE_SOCKETS)])
        started = time.perf_counter()
        sockets = await _open_all(urls)
        opened = time.perf_counter() - started
        await asyncio.sleep(2)
        after = daphne.rss_bytes()
        for ws in sockets + warm:
            await ws.close()
        return before, after, opened

    before, after, opened = asyncio.run(run())
    per = (after - before) / IDLE_SOCKETS
    return (
        f"{per / 1024:.1f} KB per connection ({IDLE_SOCKETS:,} open: RSS {before / 1e6:.0f} -> {after / 1e6:.0f} MB; "
        f"opened in {opened:.1f} s)"
    )


def _tickets_urls(daphne: Daphne, user_ids) -> list[str]:
    return [daphne.url(ticket) for ticket in _tickets(user_ids)]


def _pairs() -> list[tuple[int, str, int]]:
    """(conversation id, sender's token, recipient id) for PAIRS pairs of bench accounts."""
    from accounts.services import token_issue
    from messaging.services import conversation_start

    users = _bench_users(2 * PAIRS, offset=20_000)
    pairs = []
    for sender, recipient in zip(users[::2], users[1::2], strict=True):
        conversation, _created = conversation_start(user=sender, other=recipient)
        pairs.append((conversation.pk, token_issue(user=sender, name="bench")[1], recipient.pk))
    return pairs


def _post(base_url: str, conversation_id: int, token: str, body: str) -> int:
    request = urllib.request.Request(
        f"{base_url}/api/v1/conversations/{conversation_id}/messages/",
        data=json.dumps({"body": body}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def delivery_latency(daphne: Daphne, base_url: str) -> str:
    """PAIRS senders post ROUNDS messages each, paced; each recipient's socket times the
    arrival of each message from the moment its POST began."""
    pairs = _pairs()

    async def run():
        loop = asyncio.get_running_loop()
        sockets = await _open_all(_tickets_urls(daphne, [recipient for _c, _t, recipient in pairs]))
        sent_at: dict[str, float] = {}
        latencies: list[float] = []
        expected = len(pairs) * ROUNDS

        async def listen(ws):
            async for raw in ws:
                event = json.loads(raw)
                if event.get("type") == "message" and event["message"]["body"] in sent_at:
                    latencies.append(time.perf_counter() - sent_at[event["message"]["body"]])
                    if len(latencies) == expected:
                        return

        listeners = [asyncio.create_task(listen(ws)) for ws in sockets]
        pool = ThreadPoolExecutor(max_workers=len(pairs))
        rng = random.Random(5)

        async def chat(conversation_id, token, index):
            for round_ in range(ROUNDS):
                await asyncio.sleep(rng.random() * PACE_SECONDS)
                body = f"bench {index}.{round_}"
                sent_at[body] = time.perf_counter()
                await loop.run_in_executor(pool, _post, base_url, conversation_id, token, body)

        started = time.perf_counter()
        await asyncio.gather(*(chat(c, t, i) for i, (c, t, _r) in enumerate(pairs)))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*listeners, return_exceptions=True), timeout=30)
        elapsed = time.perf_counter() - started
        for ws in sockets:
            await ws.close()
        pool.shutdown()
        return latencies, elapsed, expected

    latencies, elapsed, expected = asyncio.run(run())
    if len(latencies) < 2:
        return f"n/a ({len(latencies)} of {expected} delivered)"
    cuts = statistics.quantiles(latencies, n=100)
    return (
        f"p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms ({len(latencies)}/{expected} delivered, "
        f"{expected / elapsed:.0f} messages/s, {PAIRS} pairs)"
    )


def realtime_figures(base_url: str) -> dict[str, str]:
    with Daphne() as daphne:
        users = [user.pk for user in _bench_users(100, offset=30_000)]
        return {
            f"WebSockets: {IDLE_SOCKETS:,} idle on one daphne": idle_memory(daphne, users),
            "Messages: POST messages/ -> recipient's socket": delivery_latency(daphne, base_url),
        }


def main() -> int:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redbook.settings")
    django.setup()
    from tests.bench import wrk
    from tests.bench.targets import Endpoint

    tokens = seed_inboxes()
    inbox = inbox_endpoint(tokens)
    b1_names = [f"{PREFIX}{10_000 + i}" for i in range(50)]
    b1 = Endpoint("b1", "B1", [f"/api/v1/users/{name}/" for name in b1_names], inbox.headers)
    port = _free_port()
    command = [str(ROOT / ".venv/bin/gunicorn"), "redbook.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "--threads", "4", "--log-level", "warning"]
    gunicorn = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port)
        base_url = f"http://127.0.0.1:{port}"
        for endpoint in (b1, inbox):
            wrk.run(base_url, endpoint.paths, endpoint.headers, 3)
            result = wrk.run(base_url, endpoint.paths, endpoint.headers, 10)
            print(f"{endpoint.label}: {result.rps:.0f} req/s, p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms")
        for name, value in realtime_figures(base_url).items():
            print(f"{name}: {value}")
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
