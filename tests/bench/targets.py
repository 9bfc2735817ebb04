"""What the benchmark requests: endpoints with rotating paths and credentials from the seeded world."""

import random
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from accounts.services import token_issue
from demo import vocab

SAMPLE = 256
SESSIONS = 64
SEARCH_QUERIES = ("面霜", "口红", "火锅", "防晒霜", "skincare", "coffee", "西湖", "穿搭", "耳机", "travel")
SUGGEST_PREFIXES = ("护", "面", "sk", "co", "旅", "穿", "ca", "咖")


@dataclass
class Endpoint:
    key: str
    label: str
    paths: list[str]
    headers: list[dict[str, str]] = field(default_factory=list)


def active_users() -> int:
    return User.objects.filter(last_active_at__gte=timezone.now() - settings.EXPLORE_ACTIVE_WINDOW).count()


def build(seed: int = 7) -> list[Endpoint]:
    """The endpoints, in report order; healthz first (the floor), users/<name>/ second (B1)."""
    rng = random.Random(seed)
    readers = _readers()
    tokens = [{"Authorization": f"Token {key}"} for key in _tokens(readers)]
    cookies = [{"Cookie": f"{settings.SESSION_COOKIE_NAME}={key}"} for key in _sessions(readers[:SESSIONS])]
    usernames = _sample_usernames(rng)
    coordinates = [_near_a_city(rng) for _ in range(SAMPLE)]
    return [
        Endpoint("floor", "/healthz (floor)", ["/healthz"]),
        Endpoint("b1", "/api/v1/users/<name>/ (B1)", [f"/api/v1/users/{quote(name)}/" for name in usernames], tokens),
        Endpoint("explore", "/api/v1/feeds/explore/", ["/api/v1/feeds/explore/"], tokens),
        Endpoint("follow", "/api/v1/feeds/follow/", ["/api/v1/feeds/follow/"], tokens),
        Endpoint(
            "nearby",
            "/api/v1/feeds/nearby/?lat&lng",
            [f"/api/v1/feeds/nearby/?lat={lat:.4f}&lng={lng:.4f}" for lat, lng in coordinates],
            tokens,
        ),
        Endpoint("home", "/ (page, signed in)", ["/"], cookies),
        Endpoint(
            "search", "/api/v1/search/?q= (notes)", [f"/api/v1/search/?q={quote(q)}" for q in SEARCH_QUERIES], tokens
        ),
        Endpoint("products", "/api/v1/products/ (list)", ["/api/v1/products/"], tokens),
        Endpoint(
            "suggest",
            "/api/v1/search/suggest/?q=",
            [f"/api/v1/search/suggest/?q={quote(q)}" for q in SUGGEST_PREFIXES],
            tokens,
        ),
    ]


def _readers() -> list[User]:
    """Active shoppers who follow someone: the people whose feeds matter."""
    since = timezone.now() - settings.EXPLORE_ACTIVE_WINDOW
    readers = User.objects.filter(
        last_active_at__gte=since, account_type=User.AccountType.PERSONAL, following_count__gt=0
    )
    return list(readers.order_by("id")[:SAMPLE])


def _tokens(users: list[User]) -> list[str]:
    # Keys are stored as digests: each run issues its own (a user keeps at most 20).
    return [token_issue(user=user, name="bench")[1] for user in users]


def _sessions(users: list[User]) -> list[str]:
    """Signed-in browser sessions, made the way django.contrib.auth.login stores them."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    keys = []
    for user in users:
        session = store_class()
        session[SESSION_KEY] = str(user.pk)
        # A backend not in AUTHENTICATION_BACKENDS would make every request anonymous.
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.set_expiry(timedelta(hours=2))
        session.create()
        keys.append(session.session_key)
    return keys


def _sample_usernames(rng: random.Random) -> list[str]:
    highest = User.objects.aggregate(top=Max("id"))["top"] or 0
    wanted = {rng.randint(1, highest) for _ in range(SAMPLE)} if highest else set()
    return list(User.objects.filter(id__in=wanted).values_list("username", flat=True))


def _near_a_city(rng: random.Random) -> tuple[float, float]:
    city = rng.choices(vocab.CITIES, weights=[c.weight for c in vocab.CITIES])[0]
    return city.lat + rng.gauss(0, 0.05), city.lng + rng.gauss(0, 0.05)
