"""The WebSocket at /ws/: one per open tab or device, receiving a user's events.

Authenticated by a one-use ticket (`?ticket=`, from `POST realtime/ticket/`) or by the
browser session when the Origin is one of ALLOWED_HOSTS (so another site's page cannot
open a socket with the visitor's cookie). The socket only listens: every write goes
through the HTTP API, and events are hints whose truth is in the database.
"""

import json
from urllib.parse import parse_qs, urlparse

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.http.request import validate_host

from messaging import realtime

CLOSE_UNAUTHENTICATED = 4401


def _origin_allowed(scope) -> bool:
    origin = dict(scope.get("headers", [])).get(b"origin")
    if not origin:
        return False
    host = urlparse(origin.decode("latin-1")).hostname or ""
    return validate_host(host, settings.ALLOWED_HOSTS)


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
