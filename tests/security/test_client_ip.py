"""The client address: forged forwarding headers never change it, trusted proxies do.

One function (redbook.client_ip.client_ip) decides; every per-IP limit uses it, and
forwarding headers from anyone but a trusted proxy are dropped before Django reads them.
"""

import ast
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import path
from rest_framework.test import APIClient

from redbook.client_ip import client_bucket, client_ip

ROOT = Path(__file__).resolve().parents[2]
ADDRESS_HEADERS = {"REMOTE_ADDR", "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "NUM_PROXIES"}
FORGED = [
    {"HTTP_X_FORWARDED_FOR": "{ip}"},
    {"HTTP_X_REAL_IP": "{ip}"},
    {"HTTP_FORWARDED": "for={ip}"},
    {"HTTP_CF_CONNECTING_IP": "{ip}"},
    {"HTTP_TRUE_CLIENT_IP": "{ip}"},
    {"HTTP_X_CLIENT_IP": "{ip}"},
]


def _forged(headers: dict, n: int) -> dict:
    return {name: value.format(ip=f"203.0.113.{n}") for name, value in headers.items()}


def _request(remote: str, xff: str | None = None, **extra):
    headers = {"REMOTE_ADDR": remote, **extra}
    if xff is not None:
        headers["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **headers)


@pytest.fixture
def rates(settings):
    """Set scopes' rates; tests use day-long windows so that no window edge falls within a test."""

    def set_rates(**scopes):
        rest = dict(settings.REST_FRAMEWORK)
        rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], **scopes}
        settings.REST_FRAMEWORK = rest

    return set_rates


# --- The function ----------------------------------------------------------------------------


@pytest.mark.parametrize("headers", FORGED)
def test_without_trusted_proxies_every_forwarding_header_is_ignored(headers):
    assert client_ip(_request("198.51.100.7", **_forged(headers, 1))) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8", "2001:db8::1"])
@pytest.mark.parametrize(
    ("remote", "xff", "expected"),
    [
        ("10.0.0.5", "198.51.100.7", "198.51.100.7"),  # one proxy
        ("10.0.0.5", "1.1.1.1, 198.51.100.7", "198.51.100.7"),  # a forged left part is ignored
        ("10.0.0.5", "1.1.1.1, 198.51.100.7, 10.0.0.9", "198.51.100.7"),  # two proxies
        ("10.0.0.5", "10.1.1.1, 10.0.0.9", "10.1.1.1"),  # every hop trusted: the farthest
        ("10.0.0.5", "", "10.0.0.5"),  # the proxy itself
        ("10.0.0.5", "1.1.1.1, not-an-ip", "10.0.0.5"),  # garbage: the last address we trust
        ("10.0.0.5", "[2001:db8::7]:443", "2001:db8::7"),
        ("::ffff:10.0.0.5", "198.51.100.7", "198.51.100.7"),  # IPv4-mapped peer
        ("2001:db8::1", "198.51.100.7", "198.51.100.7"),
        ("198.51.100.9", "198.51.100.7", "198.51.100.9"),  # not through a proxy: the peer
    ],
)
def test_behind_trusted_proxies_the_right_most_untrusted_hop_is_the_client(remote, xff, expected):
    assert client_ip(_request(remote, xff)) == expected


@pytest.mark.parametrize(
    ("remote", "bucket"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
    ],
)
def test_limits_count_an_ipv6_client_by_its_64(remote, bucket):
    assert client_bucket(_request(remote)) == bucket


@pytest.mark.django_db
def test_rotating_ipv6_addresses_within_a_64_shares_one_budget(rates):
    rates(signup="1/day")

    statuses = [
        APIClient(REMOTE_ADDR=f"2001:db8:1:2::{n:x}").post("/api/v1/auth/register/", {}).status_code for n in range(3)
    ]

    assert statuses == [400, 429, 429]


def test_no_code_reads_the_client_address_but_client_ip():
    """The class, not an example: nothing else may read REMOTE_ADDR or a forwarding header."""
    offenders = []
    apps = [d for d in ROOT.iterdir() if d.is_dir() and not d.name.startswith(".") and d.name not in {"tests", "var"}]
    for source in (source for app in apps for source in app.rglob("*.py")):
        relative = source.relative_to(ROOT)
        if relative == Path("redbook/client_ip.py"):
            continue
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Constant) and node.value in ADDRESS_HEADERS:
                offenders.append(f"{relative}:{node.lineno}")
            if isinstance(node, ast.Attribute) and node.attr == "get_ident" and not relative.match("redbook/*.py"):
                offenders.append(f"{relative}:{node.lineno}")
    assert offenders == []


# --- Every per-IP limit --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("headers", FORGED)
@pytest.mark.parametrize(
    ("scope", "url", "body"),
    [
        ("signup", "/api/v1/auth/register/", {"username": "", "password": ""}),
        ("login_ip", "/api/v1/auth/token/", {"username": "someone", "password": "x"}),
        ("login", "/api/v1/auth/token/", {"username": "someone", "password": "x"}),
        ("signup", "/accounts/signup/", {}),
        ("login_ip", "/accounts/login/", {"username": "someone", "password": "x"}),
        ("login", "/admin/login/", {"username": "someone", "password": "x"}),
        ("password_reset", "/accounts/password-reset/", {"email": "a@example.com"}),
    ],
)
def test_forged_forwarding_headers_do_not_escape_a_per_ip_limit(rates, headers, scope, url, body):
    rates(**{scope: "1/day"})
    client = APIClient(enforce_csrf_checks=False, REMOTE_ADDR="198.51.100.7")

    statuses = [client.post(url, body, **_forged(headers, n)).status_code for n in range(3)]

    assert statuses[0] != 429 and statuses[1:] == [429, 429], statuses


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=["10.0.0.5"])
def test_behind_a_trusted_proxy_each_client_has_its_own_budget(rates):
    rates(signup="1/day")
    proxy = APIClient(REMOTE_ADDR="10.0.0.5")

    def signup(xff):
        return proxy.post("/api/v1/auth/register/", {}, HTTP_X_FORWARDED_FOR=xff).status_code

    assert signup("198.51.100.1") == 400
    assert signup("198.51.100.2") == 400  # another client
    assert signup("198.51.100.1") == 429
    assert signup("9.9.9.9, 198.51.100.1") == 429  # a forged left part changes nothing


# --- X-Forwarded-Proto --------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^healthz$", r"^readyz$"])
@pytest.mark.parametrize(
    ("trusted", "redirected"),
    [([], True), (["10.0.0.5"], False)],
)
def test_x_forwarded_proto_is_believed_only_from_a_trusted_proxy(settings, client, trusted, redirected):
    settings.TRUSTED_PROXIES = trusted

    response = client.get("/api/v1/feeds/channels/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_PROTO="https")

    assert (response.status_code == 301) is redirected
    assert response.headers.get("Location", "").startswith("https://") is redirected


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=[])
def test_an_untrusted_request_reaches_the_view_without_forwarding_headers(client):
    seen = {}

    def echo(request):
        seen.update(request.META)
        seen["is_secure"] = request.is_secure()
        return HttpResponse("ok")

    with override_settings(ROOT_URLCONF=type("urls", (), {"urlpatterns": [path("echo/", echo)]})):
        client.get("/echo/", HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_FOR="1.2.3.4", HTTP_X_REAL_IP="1.2.3.4")

    assert seen["is_secure"] is False
    assert not {"HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP"} & set(seen)


def test_gunicorn_believes_no_forwarding_header_itself():
    """Else gunicorn would make any request from 127.0.0.1 with X-Forwarded-Proto: https an https one."""
    import runpy

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    assert config["secure_scheme_headers"] == {} and config["forwarded_allow_ips"] == ""
