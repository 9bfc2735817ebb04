"""The socket may live on another origin (`make run`: daphne on PORT+1): the CSP lets the
page connect to it, and to nothing else."""

import os
import subprocess
import sys

from django.test import Client

from redbook.settings import ws_origin


def test_the_socket_origin_is_scheme_host_and_port():
    assert ws_origin("ws://127.0.0.1:8001/ws/") == "ws://127.0.0.1:8001"
    assert ws_origin("wss://user:pw@ws.example.com/ws/?x=1") == "wss://ws.example.com"
    assert ws_origin("") == ""


def test_pages_may_connect_to_their_own_origin_by_default(db, settings):
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"] == ["'self'"]  # REALTIME_WS_URL unset
    policy = Client().get("/")["Content-Security-Policy"]
    assert "connect-src 'self'" in policy


def test_a_socket_served_apart_is_in_connect_src():
    code = "from redbook import settings; print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['connect-src'])"
    env = {**os.environ, "REALTIME_WS_URL": "ws://127.0.0.1:8001/ws/"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[\"'self'\", 'ws://127.0.0.1:8001']"
