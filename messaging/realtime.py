"""Pushing events to every open socket of a user, and the one-use tickets that open one.

The database is the record: events are pushed only after the transaction that wrote
them commits (`push_on_commit`), and a client that missed one (offline, reconnecting)
catches up by reading the API. A push that fails is logged, never raised: the write
it announces already happened.
"""

import logging
import secrets

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import transaction

from redbook.redis import get_redis

logger = logging.getLogger(__name__)

TICKET_SECONDS = 60
_TICKET_PREFIX = "ws-ticket:"


def user_group(user_id: int) -> str:
    """The channel-layer group of one user's sockets (every tab and device)."""
    return f"user.{user_id}"


def push_now(user_ids, event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    for user_id in set(user_ids):
        try:
            async_to_sync(layer.group_send)(user_group(user_id), {"type": "rb.event", "event": event})
        except Exception:  # the channel layer is down: clients catch up from the API
            logger.exception("realtime push to user %s failed", user_id)


def push_on_commit(user_ids, event: dict) -> None:
    ids = list(user_ids)
    transaction.on_commit(lambda: push_now(ids, event))


# --- Tickets -------------------------------------------------------------------------


def ticket_issue(*, user_id: int) -> str:
    ticket = secrets.token_urlsafe(32)
    client = get_redis()
    if client is None:
        cache.set(_TICKET_PREFIX + ticket, user_id, timeout=TICKET_SECONDS)
    else:
        client.set(_TICKET_PREFIX + ticket, user_id, ex=TICKET_SECONDS)
    return ticket


def ticket_take(ticket: str) -> int | None:
    """The user id of a valid ticket, once. GETDEL on Redis, so two sockets racing with
    one ticket cannot both open (the embedded default's file cache serves one process)."""
    if not ticket or len(ticket) > 100:
        return None
    client = get_redis()
    if client is None:
        user_id = cache.get(_TICKET_PREFIX + ticket)
        cache.delete(_TICKET_PREFIX + ticket)
        return user_id
    raw = client.getdel(_TICKET_PREFIX + ticket)
    return None if raw is None else int(raw)
