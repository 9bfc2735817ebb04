"""The WebSocket at /ws/ on the real channel layer (channels-redis on the test Redis).

Transactional tests: a message is pushed only after its transaction commits.
"""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from accounts.services import block_create, follow_create
from notifications.services import notifications_mark_read
from notifications.tasks import notify_follow
from redbook.asgi import application
from tests.conftest import client_for, requires_redis
from tests.factories import UserFactory
from tests.messaging.conftest import send, start

pytestmark = [pytest.mark.django_db(transaction=True), requires_redis]


def _run(scenario):
    """Run an async scenario from a thread of its own: the browser tests' Playwright (sync
    API) may still hold a running event loop in this one, where async_to_sync refuses."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(async_to_sync(scenario)).result()


ORIGIN = (b"origin", b"http://127.0.0.1:8000")
HOST = (b"host", b"127.0.0.1:8000")  # the socket's own: the page's origin


def test_the_channel_layer_is_redis():
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"


def _ticket(client) -> str:
    response = client.post("/api/v1/realtime/ticket/")
    assert response.status_code == 201
    body = response.json()
    assert body["url"].endswith(f"/ws/?ticket={body['ticket']}")
    return body["ticket"]


async def _connect(path: str, headers=()) -> tuple[WebsocketCommunicator, bool]:
    socket = WebsocketCommunicator(application, path, headers=list(headers))
    connected, _code = await socket.connect(timeout=3)
    return socket, connected


async def _open(client) -> WebsocketCommunicator:
    ticket = await sync_to_async(_ticket)(client)
    socket, connected = await _connect(f"/ws/?ticket={ticket}")
    assert connected
    return socket


async def _next_event(socket, timeout: float = 1.0, *, kind: str = "") -> dict:
    """The next event (of `kind`, skipping others such as notification counts) within `timeout` s."""
    while True:
        event = json.loads(await socket.receive_from(timeout=timeout))
        if not kind or event["type"] == kind:
            return event


@pytest.fixture
def pair():
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    follow_create(follower=alice, followee=bob)
    follow_create(follower=bob, followee=alice)
    return alice, bob, client_for(alice), client_for(bob)


def test_a_message_is_pushed_to_every_socket_of_the_recipient_within_a_second(pair):
    _alice, _bob, a, b = pair
    cid = start(a, "bob")

    async def scenario():
        phone, laptop, sender_tab = await _open(b), await _open(b), await _open(a)
        sent = await sync_to_async(send)(a, cid, "does it come in blue?")
        for socket in (phone, laptop):
            event = await _next_event(socket, kind="message")
            assert event["type"] == "message" and event["conversation_id"] == cid
            assert event["message"]["id"] == sent["id"] and event["message"]["body"] == "does it come in blue?"
            assert event["unread_count"] == 1
        mine = await _next_event(sender_tab)  # the sender's other tabs see it too
        assert mine["message"]["id"] == sent["id"]
        await sync_to_async(b.post)(f"/api/v1/conversations/{cid}/read/", {"up_to": sent["id"]}, format="json")
        receipt = await _next_event(sender_tab, kind="read")
        assert receipt == {"type": "read", "conversation_id": cid, "up_to": sent["id"]}
        for socket in (phone, laptop, sender_tab):
            await socket.disconnect()

    _run(scenario)


def test_reconnecting_client_catches_up_with_nothing_lost_and_nothing_twice(pair):
    _alice, _bob, a, b = pair
    cid = start(a, "bob")

    async def scenario():
        socket = await _open(b)
        await sync_to_async(send)(a, cid, "1")
        seen = [(await _next_event(socket, kind="message"))["message"]["id"]]
        await socket.disconnect()
        # Offline: three more arrive.
        for text in ("2", "3", "4"):
            await sync_to_async(send)(a, cid, text)
        socket = await _open(b)
        caught = await sync_to_async(b.get)(f"/api/v1/conversations/{cid}/messages/?after={seen[-1]}")
        seen += [m["id"] for m in caught.json()["results"]]
        live = await sync_to_async(send)(a, cid, "5")
        seen.append((await _next_event(socket, kind="message"))["message"]["id"])
        await socket.disconnect()
        return seen, live

    seen, live = _run(scenario)
    assert len(seen) == len(set(seen)) == 5
    assert seen == sorted(seen) and seen[-1] == live["id"]


def test_a_ticket_opens_one_socket_only(pair):
    _alice, _bob, _a, b = pair

    async def scenario():
        ticket = await sync_to_async(_ticket)(b)
        first, ok = await _connect(f"/ws/?ticket={ticket}")
        assert ok
        _second, reused = await _connect(f"/ws/?ticket={ticket}")
        assert not reused
        _forged, ok_forged = await _connect("/ws/?ticket=not-a-ticket")
        assert not ok_forged
        await first.disconnect()

    _run(scenario)


def test_the_session_opens_a_socket_only_from_an_allowed_origin(pair, client):
    _alice, bob, a, _b = pair
    client.force_login(bob)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = (b"cookie", f"{settings.SESSION_COOKIE_NAME}={session}".encode())

    async def scenario():
        good, ok = await _connect("/ws/", [cookie, HOST, ORIGIN])
        assert ok
        _evil, evil_ok = await _connect("/ws/", [cookie, HOST, (b"origin", b"https://evil.example")])
        # The demo partner shop: the same host on another port is another site.
        shop = (b"origin", b"http://127.0.0.1:8010")
        _shop, shop_ok = await _connect("/ws/", [cookie, HOST, shop])
        _tls, tls_ok = await _connect("/ws/", [cookie, HOST, (b"origin", b"https://127.0.0.1:8000")])
        _no_origin, no_origin_ok = await _connect("/ws/", [cookie, HOST])
        _anonymous, anonymous_ok = await _connect("/ws/", [HOST, ORIGIN])
        assert not (evil_ok or shop_ok or tls_ok or no_origin_ok or anonymous_ok)
        cid = await sync_to_async(start)(a, "bob")
        await sync_to_async(send)(a, cid, "via session")
        assert (await _next_event(good, kind="message"))["message"]["body"] == "via session"
        await good.disconnect()

    _run(scenario)


def test_blocked_sender_delivers_nothing(pair):
    alice, bob, a, b = pair
    cid = start(a, "bob")
    block_create(blocker=bob, blocked=alice)

    async def scenario():
        socket = await _open(b)
        response = await sync_to_async(a.post)(f"/api/v1/conversations/{cid}/messages/", {"body": "x"}, format="json")
        assert response.status_code == 403
        # A message from someone else still arrives, and is the first thing that does.
        carol = await sync_to_async(UserFactory)(username="carol")
        c = await sync_to_async(client_for)(carol)
        other = await sync_to_async(start)(c, "bob")
        await sync_to_async(send)(c, other, "from carol")
        event = await _next_event(socket, kind="message")
        assert event["message"]["body"] == "from carol"
        await socket.disconnect()

    _run(scenario)


def test_notification_count_is_pushed_when_notifications_change(pair):
    _alice, bob, _a, b = pair
    carol = UserFactory(username="carol")

    async def scenario():
        socket = await _open(b)
        await sync_to_async(notify_follow)(follower_id=carol.pk, followee_id=bob.pk)
        assert await _next_event(socket) == {"type": "notification", "unread_count": 1}
        await sync_to_async(notifications_mark_read)(user=bob)
        assert await _next_event(socket) == {"type": "notification", "unread_count": 0}
        await socket.disconnect()

    _run(scenario)


def test_concurrent_sends_keep_order_per_conversation(pair):
    """Two senders at once, and a reader polling `after=` meanwhile: ids commit in order
    per conversation, so the reader's catch-up never skips one that commits late."""
    from django.db import connection

    _alice, bob, a, b = pair
    cid = start(a, "bob")
    errors, polled = [], []

    def burst(client, label):
        try:
            for i in range(10):
                send(client, cid, f"{label}{i}")
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    def poll(client):
        try:
            for _ in range(2000):
                last = polled[-1] if polled else 0
                rows = client.get(f"/api/v1/conversations/{cid}/messages/?after={last}").json()["results"]
                polled.extend(m["id"] for m in rows)
                if len(polled) >= 20:
                    return
        finally:
            connection.close()

    threads = [threading.Thread(target=burst, args=(c, label)) for c, label in ((a, "a"), (client_for(bob), "b"))]
    threads.append(threading.Thread(target=poll, args=(client_for(bob),)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    rows = b.get(f"/api/v1/conversations/{cid}/messages/?after=0").json()["results"]
    ids = [m["id"] for m in rows]
    assert ids == sorted(ids) and len(ids) == 20
    assert polled == ids  # nothing skipped, nothing twice
    for label in "ab":
        bodies = [m["body"] for m in rows if m["body"].startswith(label)]
        assert bodies == [f"{label}{i}" for i in range(10)]
