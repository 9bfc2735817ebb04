"""Failed-login counting per (username, IP), atomic on Redis.

Only failures count, and per pair: a guesser on another IP cannot lock the owner
out, and people behind one NAT logging in successfully never trip it. A looser
per-IP cap stops one address from spraying many usernames.
"""

import hashlib
import time

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework import status

from redbook.exceptions import ServiceError

WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_USERNAME_IP = 5
MAX_FAILURES_PER_IP = 100  # generous: offices and campuses share one address


class LoginThrottled(ServiceError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    code = "throttled"

    def __init__(self, wait: int):
        super().__init__(str(_("Too many failed logins. Try again in %(seconds)d seconds.") % {"seconds": wait}))
        self.wait = wait


def _window() -> tuple[int, int]:
    """The current fixed window's number and the seconds left in it."""
    now = int(time.time())
    return now // WINDOW_SECONDS, WINDOW_SECONDS - now % WINDOW_SECONDS


def _keys(username: str, ip: str) -> list[tuple[str, int]]:
    number, _left = _window()
    pair = hashlib.sha256(f"{username.strip().lower()}|{ip}".encode()).hexdigest()[:32]
    return [
        (f"login-fail:pair:{pair}:{number}", MAX_FAILURES_PER_USERNAME_IP),
        (f"login-fail:ip:{ip}:{number}", MAX_FAILURES_PER_IP),
    ]


def login_check_allowed(*, username: str, ip: str) -> None:
    """Raise `LoginThrottled` when this (username, IP) or this IP failed too often."""
    counts = cache.get_many([key for key, _limit in _keys(username, ip)])
    if any(counts.get(key, 0) >= limit for key, limit in _keys(username, ip)):
        raise LoginThrottled(wait=_window()[1])


def login_record_failure(*, username: str, ip: str) -> None:
    for key, _limit in _keys(username, ip):
        cache.add(key, 0, timeout=WINDOW_SECONDS)  # no-op when the key exists
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr: start over
            cache.set(key, 1, timeout=WINDOW_SECONDS)


def login_record_success(*, username: str, ip: str) -> None:
    """A correct password clears this pair's failures (not the IP-wide count)."""
    cache.delete(_keys(username, ip)[0][0])
