"""Abuse limits: atomic fixed-window rate limits as DRF throttle classes.

Each scope's rate lives in settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]). A hit
is counted with INCR + EXPIRE in one MULTI/EXEC on Redis, so a concurrent burst is
counted exactly: the 11th of 100 simultaneous requests sees 11, never a stale 10
(the classic get-then-set throttle lets a burst slip past). Windows are fixed, so at
a window's edge a client can get up to twice the rate in a short span: accepted for
the simplicity of one counter per window.

Only the methods listed on a throttle are counted (writes by default): reading a
comment thread never spends the "comment" budget.

When Redis is configured but down, each scope makes an explicit choice, written
next to it below: fail open (let the request through, log it) for everyday writes
whose abuse other layers also catch, fail closed (429) for the entry points an
attacker scripts: sign-up and password guessing.

Without REDIS_URL (the embedded default) the Django cache counts instead, with
`add` + `incr`, which is atomic enough for one development process.
"""

import hashlib
import logging
import math
import time
from functools import wraps

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from redbook.client_ip import client_bucket
from redbook.redis import get_redis

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


class RateLimiterUnavailable(Exception):
    """The counter store did not answer."""


def parse_rate(rate: str) -> tuple[int, int]:
    """Parse a rate: "10/min" is (10, 60), "5/15m" is (5, 900)."""
    num, _, period = rate.partition("/")
    digits = "".join(ch for ch in period if ch.isdigit())
    unit = period[len(digits) :]
    if unit not in PERIODS:
        raise ImproperlyConfigured(f"bad throttle rate {rate!r}")
    return int(num), int(digits or 1) * PERIODS[unit]


# Short: the limiter is on every write's path, so an outage costs a request half a second.
LIMITER_TIMEOUT = 0.5


def hit(key: str, period: int) -> int:
    """Count one hit on `key` in its window and return the count, atomically."""
    client = get_redis(LIMITER_TIMEOUT)
    if client is None:
        if cache.add(key, 1, timeout=period):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr: this hit opens a new window
            cache.set(key, 1, timeout=period)
            return 1
    try:
        pipe = client.pipeline(transaction=True)
        pipe.incr(key)
        pipe.expire(key, period + 1)
        count, _ = pipe.execute()
    except Exception as exc:  # any Redis failure: the caller applies its scope's policy
        raise RateLimiterUnavailable(str(exc)) from exc
    return int(count)


def forget(key: str) -> None:
    client = get_redis(LIMITER_TIMEOUT)
    try:
        if client is None:
            cache.delete(key)
        else:
            client.delete(key)
    except Exception as exc:  # resetting is best effort: the window expires anyway
        logger.warning("rate limiter: could not reset %s: %s", key, exc)


class RateThrottle(BaseThrottle):
    """Fixed-window limit per `scope`, keyed by user id (or client IP when anonymous)."""

    scope: str = ""
    methods: frozenset[str] = frozenset({"POST", "PUT", "PATCH", "DELETE"})
    fail_open: bool = True

    def __init__(self):
        self.wait_seconds: float | None = None

    def get_ident(self, request) -> str:
        # Not DRF's: it believes any X-Forwarded-For, so one client could pose as many.
        return client_bucket(request)

    def get_rate(self) -> tuple[int, int]:
        rates = api_settings.DEFAULT_THROTTLE_RATES
        if self.scope not in rates:
            raise ImproperlyConfigured(f"no rate set for throttle scope {self.scope!r}")
        return parse_rate(rates[self.scope])

    def get_ident_part(self, request, view) -> str:
        if request.user and request.user.is_authenticated:
            return f"u{request.user.pk}"
        return f"ip{self.get_ident(request)}"

    def window_key(self, request, view, period: int) -> str:
        window = int(time.time() // period)
        return f"rl:{self.scope}:{self.get_ident_part(request, view)}:{window}"

    def allow_request(self, request, view) -> bool:
        if request.method not in self.methods:
            return True
        limit, period = self.get_rate()
        key = self.window_key(request, view, period)
        try:
            count = hit(key, period)
        except RateLimiterUnavailable as exc:
            logger.error(
                "rate limiter down, scope %s fails %s: %s", self.scope, "open" if self.fail_open else "closed", exc
            )
            self.wait_seconds = 0 if self.fail_open else 60
            return self.fail_open
        if count <= limit:
            return True
        self.wait_seconds = period - (time.time() % period)
        return False

    def wait(self) -> float | None:
        return self.wait_seconds


class SignupThrottle(RateThrottle):
    scope = "signup"
    fail_open = False  # scripted sign-ups are the spam vector; a short pause costs little


class PostThrottle(RateThrottle):
    scope = "post"
    methods = frozenset({"POST"})
    fail_open = True  # spam keywords and reports still apply; do not stop all posting


class CommentThrottle(RateThrottle):
    scope = "comment"
    methods = frozenset({"POST"})
    fail_open = True  # same as posting


class FollowThrottle(RateThrottle):
    scope = "follow"
    fail_open = True  # follow/unfollow churn is a nuisance, not a breach


class ReportThrottle(RateThrottle):
    scope = "report"
    methods = frozenset({"POST"})
    fail_open = True  # reports are already one per reporter and target


class CheckoutThrottle(RateThrottle):
    scope = "checkout"
    methods = frozenset({"POST"})
    fail_open = True  # Idempotency-Key and stock locks keep checkout correct; keep selling


class PasswordResetThrottle(RateThrottle):
    scope = "password_reset"
    methods = frozenset({"POST"})
    fail_open = True  # each mail goes to the account's own address; a reset must stay possible


class LoginThrottle(RateThrottle):
    """Attempts per username *and* client IP: a guesser elsewhere cannot lock the owner out.

    Every attempt is counted atomically when it arrives (so a parallel burst cannot
    all pass a "failures so far" check); a successful login calls `reset` so that
    only failures accumulate. `LoginIPThrottle` bounds one IP across usernames.
    """

    scope = "login"
    methods = frozenset({"POST"})
    fail_open = False  # password guessing is what this limit is for

    def get_ident_part(self, request, view) -> str:
        data = getattr(request, "data", None)
        if data is None:  # a plain Django view (the HTML login form)
            data = request.POST
        username = str(data.get("username", "")) if hasattr(data, "get") else ""
        digest = hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:16]
        return f"{digest}:{self.get_ident(request)}"

    @classmethod
    def reset(cls, request) -> None:
        """Forget the failures of this username+IP after a successful login."""
        throttle = cls()
        _, period = throttle.get_rate()
        forget(throttle.window_key(request, None, period))


class LoginIPThrottle(RateThrottle):
    scope = "login_ip"
    methods = frozenset({"POST"})
    fail_open = False  # credential stuffing across many usernames from one address

    def get_ident_part(self, request, view) -> str:
        return f"ip{self.get_ident(request)}"


class PasswordChangeThrottle(RateThrottle):
    """Guesses of the current password on a password change: the login rate, per account."""

    scope = "login"
    methods = frozenset({"POST"})
    fail_open = False  # a stolen session must not become a password-guessing oracle

    def get_ident_part(self, request, view) -> str:
        return f"{super().get_ident_part(request, view)}:password-change"


def rate_limited(request, throttle_class: type[RateThrottle]) -> float | None:
    """For plain Django views (HTML forms): None if allowed, else seconds to wait."""
    throttle = throttle_class()
    if throttle.allow_request(request, None):
        return None
    return throttle.wait() or 1


def rate_limit(throttle_class: type[RateThrottle]):
    """Decorate a plain Django view (an HTML form) with a limit: over it, a 429 page."""

    def decorator(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            wait = rate_limited(request, throttle_class)
            if wait is None:
                return view(request, *args, **kwargs)
            response = render(request, "429.html", {"seconds": math.ceil(wait)}, status=429)
            response["Retry-After"] = str(math.ceil(wait))
            return response

        return limited

    return decorator
