"""The WebSocket at /ws/: one per open tab or device, receiving a user's events.

Authenticated by a one-use ticket (`?ticket=`, from `POST realtime/ticket/`) or by the
browser session when the Origin is the socket's own (scheme, host and port) or one of
CSRF_TRUSTED_ORIGINS (so another site's page cannot open a socket with the visitor's
cookie). The socket only listens: every write goes through the HTTP API, and events
are hints whose truth is in the database.
"""

import json
from urllib.parse import parse_qs, urlsplit

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.http.request import split_domain_port, validate_host

from messaging import realtime
from redbook.client_ip import is_trusted_proxy, parse_ip

CLOSE_UNAUTHENTICATED = 4401


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) origin, the port filled in when implied."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[parts.scheme]


def _own_origin(scope, headers: dict) -> tuple[str, str, int] | None:
    """The origin of the socket's own URL: its Host header, https when it came over TLS
    (wss, or a trusted proxy's X-Forwarded-Proto)."""
    host = headers.get(b"host", b"").decode("latin-1")
    if not host or not validate_host(split_domain_port(host)[0], settings.ALLOWED_HOSTS):
        return None
    client = scope.get("client") or ("",)
    forwarded = headers.get(b"x-forwarded-proto", b"").decode("latin-1").split(",")[0].strip()
    secure = scope.get("scheme") == "wss" or (forwarded == "https" and is_trusted_proxy(parse_ip(str(client[0] or ""))))
    return _origin(f"{'https' if secure else 'http'}://{host}")


def _origin_allowed(scope) -> bool:
    """Same origin as the socket (scheme, host and port), or one of CSRF_TRUSTED_ORIGINS:
    another port of the same host is another site (the demo partner shop is one)."""
    headers = dict(scope.get("headers", []))
    origin = _origin(headers.get(b"origin", b"").decode("latin-1"))
    if origin is None:
        return False
    if origin == _own_origin(scope, headers):
        return True
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        wildcard = "://*." in trusted
        allowed = _origin(trusted.replace("://*.", "://", 1))
        if allowed is None or (origin[0], origin[2]) != (allowed[0], allowed[2]):
            continue
        if origin[1] == allowed[1] or (wildcard and origin[1].endswith("." + allowed[1])):
            return True
    return False


# A ticket is issued only to a signed-in account in good standing, at most 60 s ago:
# its user id is believed without a database query, so opening a socket costs one
# Redis GETDEL (thousands of clients reconnecting at once must not queue on the pool).
_ticket_user_id = sync_to_async(realtime.ticket_take, thread_sensitive=False)


class EventsConsumer(AsyncWebsocketConsumer):
    group = ""

    async def connect(self):
        user_id = await self._user_id()
        if user_id is None:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.group = realtime.user_group(user_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def _user_id(self) -> int | None:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        ticket = (query.get("ticket") or [""])[0]
        if ticket:
            return await _ticket_user_id(ticket)
        user = self.scope.get("user")
        if user is not None and user.is_authenticated and _origin_allowed(self.scope):
            return user.pk
        return None

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        """Clients send nothing but an optional ping, answered so proxies keep the socket open."""
        if text_data == "ping":
            await self.send(text_data="pong")

    async def rb_event(self, message):
        await self.send(text_data=json.dumps(message["event"], ensure_ascii=False))
