"""Read replicas (`DATABASE_REPLICA_URLS`): which database a query goes to.

Reads of a GET or HEAD request (the feeds, search, every page) go to a healthy replica;
everything else goes to the primary ("default"):
- writes, and reads inside a transaction (`atomic`): a read that decides a write must
  see the primary;
- every query of a request that is not GET/HEAD, or of a GET that has written already;
- reads of the accounts and sessions that authenticate a request: a token or session
  issued a moment ago must work at once, and a revoked one must stop at once;
- read-your-writes: for REPLICA_STICKY_SECONDS after a user's write (a request that is
  not GET/HEAD and succeeded), their reads stay on the primary. Marked twice, because
  either alone misses someone: a cookie (browsers, anonymous visitors who signed up)
  and a mark per user in the cache (API clients that keep no cookies);
- anything outside a request (Celery tasks, commands, migrations).
A replica whose replay lags more than REPLICA_MAX_LAG_SECONDS, or that does not answer,
is skipped; its lag is measured on the replica itself (one cheap query) at most every
REPLICA_LAG_CHECK_SECONDS per process (a replica that did not answer: every
REPLICA_DOWN_RECHECK_SECONDS), by one thread while the others use the last figure.
With no healthy replica, reads use the primary.
"""

import contextvars
import logging
import math
import random
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

STICKY_COOKIE = "rb_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Authentication state: never read from a replica (see the module docstring).
PRIMARY_ONLY_MODELS = frozenset({"accounts.user", "accounts.apitoken", "sessions.session", "otp_totp.totpdevice"})
# Seconds the replica is behind: 0 when it has replayed all it received (an idle primary
# writes nothing, and "now - last replayed commit" alone would grow for ever), otherwise
# the age of the last commit it replayed.
LAG_SQL = """
SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END
"""


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


@dataclass
class _RequestState:
    """What the router knows about the current request."""

    request: object
    may_use_replica: bool
    wrote: bool = False
    sticky_user_checked: bool = False
    sticky_user: bool = False


_state: contextvars.ContextVar[_RequestState | None] = contextvars.ContextVar("replica_request", default=None)


# --- Lag ---------------------------------------------------------------------------


@dataclass
class _Lag:
    seconds: float
    checked_at: float = field(default_factory=time.monotonic)

    def fresh(self) -> bool:
        """Still good enough to route by: a lag for REPLICA_LAG_CHECK_SECONDS, a failure
        (infinite lag) for REPLICA_DOWN_RECHECK_SECONDS, so that a dead replica costs one
        failed connect per process that long, not one per request."""
        down = math.isinf(self.seconds)
        ttl = settings.REPLICA_DOWN_RECHECK_SECONDS if down else settings.REPLICA_LAG_CHECK_SECONDS
        return time.monotonic() - self.checked_at < ttl


_lags: dict[str, _Lag] = {}
_measuring: dict[str, threading.Lock] = {}  # per replica: held by the one thread measuring it
_measuring_guard = threading.Lock()


def _measuring_lock(alias: str) -> threading.Lock:
    with _measuring_guard:
        return _measuring.setdefault(alias, threading.Lock())


def replica_lag(alias: str) -> float:
    """Seconds `alias` is behind the primary (infinite when it does not answer), cached.

    Never waits for another thread: when the figure is stale, one thread of the process
    measures it and the others meanwhile use the last known figure (infinite, i.e. skip
    the replica, when there is none yet)."""
    known = _lags.get(alias)
    if known is not None and known.fresh():
        return known.seconds
    lock = _measuring_lock(alias)
    if not lock.acquire(blocking=False):  # another thread is measuring: do not queue behind it
        return known.seconds if known is not None else math.inf
    try:
        known = _lags.get(alias)
        if known is None or not known.fresh():
            known = _lags[alias] = _Lag(_measure_lag(alias))
        return known.seconds
    finally:
        lock.release()


def _measure_lag(alias: str) -> float:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG_SQL)
            return float(cursor.fetchone()[0])
    except DatabaseError as exc:  # down, unreachable, or the pool timed out: skipped until rechecked
        logger.warning("replica %s unavailable: %s", alias, exc)
        return math.inf


def healthy_replicas() -> list[str]:
    return [alias for alias in replica_aliases() if replica_lag(alias) <= settings.REPLICA_MAX_LAG_SECONDS]


def lag_report() -> dict[str, float]:
    """Each replica's lag in seconds (inf: not answering) for /readyz: the figure the router
    uses (`replica_lag`), not a fresh measurement per probe, so a probe never waits for a
    dead replica more than once per REPLICA_DOWN_RECHECK_SECONDS."""
    return {alias: replica_lag(alias) for alias in replica_aliases()}


# --- Routing -----------------------------------------------------------------------


class ReplicaRouter:
    """DATABASE_ROUTERS entry, installed by settings when replicas are configured."""

    def db_for_read(self, model, **hints):
        return read_alias(model)

    def db_for_write(self, model, **hints):
        state = _state.get()
        if state is not None:
            state.wrote = True  # this request's later reads must see what it wrote
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # replicas follow the primary's schema by replication


def read_alias(model=None) -> str:
    state = _state.get()
    if state is None or not state.may_use_replica or state.wrote:
        return DEFAULT_DB_ALIAS
    if model is not None and model._meta.label_lower in PRIMARY_ONLY_MODELS:
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    if _sticky(state):
        return DEFAULT_DB_ALIAS
    healthy = healthy_replicas()
    return random.choice(healthy) if healthy else DEFAULT_DB_ALIAS


def _sticky(state: _RequestState) -> bool:
    """Whether this user wrote within REPLICA_STICKY_SECONDS (looked up once per request)."""
    if not state.sticky_user_checked:
        user = getattr(state.request, "user", None)  # DRF sets it here once it authenticated
        if user is not None and user.is_authenticated:
            state.sticky_user_checked = True
            state.sticky_user = bool(cache.get(_sticky_key(user.pk)))
    return state.sticky_user


def _sticky_key(user_id: int) -> str:
    return f"replica:sticky:{user_id}"


class ReplicaRoutingMiddleware:
    """Tells the router what the current request may read from, and marks a writer sticky.

    Installed by settings only when replicas are configured."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = _RequestState(request, may_use_replica=request.method in SAFE_METHODS and not _sticky_cookie(request))
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            _mark_sticky(request, response)
        return response


def _sticky_cookie(request) -> bool:
    try:
        return float(request.COOKIES.get(STICKY_COOKIE, "0")) > time.time()
    except ValueError:
        return False


def _mark_sticky(request, response) -> None:
    seconds = settings.REPLICA_STICKY_SECONDS
    response.set_cookie(
        STICKY_COOKIE,
        f"{time.time() + seconds:.3f}",
        max_age=seconds,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        cache.set(_sticky_key(user.pk), 1, seconds)
