"""Production settings: plain HTTP is redirected to HTTPS except /healthz and /readyz, and only a
trusted proxy's X-Forwarded-Proto makes a request count as HTTPS."""

import json

from tests.security.test_deploy_check import manage

PROBE = """
import json
from django.test import Client
client = Client(raise_request_exception=False)
def status(path, **headers):
    response = client.get(path, **headers)
    return [response.status_code, response.headers.get("Location", "")]
print(json.dumps({
    "healthz": status("/healthz"),
    "readyz": status("/readyz"),
    "api": status("/api/v1/no-such-endpoint/?x=1"),
    "page": status("/"),
    "forged_proto": status("/api/v1/no-such-endpoint/", HTTP_X_FORWARDED_PROTO="https"),
    "proxied_https": status("/healthz", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_PROTO="https"),
    "proxied_http": status("/api/v1/no-such-endpoint/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_PROTO="http"),
    "proxied_page": status("/api/v1/no-such-endpoint/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_PROTO="https"),
}))
"""


def test_production_redirects_plain_http_except_the_health_probes():
    result = manage(
        "shell",
        "-c",
        PROBE,
        DEBUG="0",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="testserver",
        TRUSTED_PROXIES="10.0.0.0/8",
        LOG_LEVEL="ERROR",
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert seen["healthz"][0] == 200
    assert seen["readyz"][0] in (200, 503)  # answers over plain HTTP, whatever the database says
    assert seen["api"] == [301, "https://testserver/api/v1/no-such-endpoint/?x=1"]
    assert seen["page"] == [301, "https://testserver/"]
    assert seen["forged_proto"][0] == 301  # a client cannot claim HTTPS itself
    assert seen["proxied_https"][0] == 200
    assert seen["proxied_http"][0] == 301
    assert seen["proxied_page"][0] != 301  # the TLS proxy's word is believed


def test_a_malformed_trusted_proxy_fails_at_startup():
    result = manage("check", DEBUG="1", TRUSTED_PROXIES="10.0.0.0/8,not-an-address")

    assert result.returncode != 0 and "not-an-address" in result.stderr
