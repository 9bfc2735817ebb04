"""Read replicas against a real streaming replica: GET reads go to the replica, writes to the
primary, a writer reads their own writes, and a replica lagging past the bound is skipped.

The replica's replay is paused (pg_wal_replay_pause) so that what the primary has and the
replica lacks tells which database answered."""

import re

import pytest
import requests
from django.conf import settings

from tests.cluster.conftest import png_bytes
from tests.cluster.processes import app_environment, wait_healthy, wait_until, web_node

MAX_LAG = 12


@pytest.fixture(scope="module")
def server(replica_pair, cluster_work):
    env = app_environment(
        DATABASE_URL=replica_pair.primary.url,
        DATABASE_REPLICA_URLS=replica_pair.replica.url,
        REDIS_URL=settings.REDIS_URL,
        DEBUG="1",
        LOG_LEVEL="WARNING",
        REPLICA_MAX_LAG_SECONDS=str(MAX_LAG),
        REPLICA_LAG_CHECK_SECONDS="0.5",
        REPLICA_STICKY_SECONDS="60",  # longer than the test: read-your-writes must hold throughout
        THROTTLE_SIGNUP="1000/hour",
    )
    node = web_node(replica_pair.primary.data.parent, "replica-web", env).start()
    try:
        wait_healthy(node.url)
        yield node
    finally:
        node.stop()


def _register(url: str, session, name: str) -> str:
    created = session.post(f"{url}/api/v1/auth/register/", json={"username": name, "password": "pw-Replica-123"})
    assert created.status_code == 201, created.text
    token = session.post(f"{url}/api/v1/auth/token/", json={"username": name, "password": "pw-Replica-123"})
    return token.json()["token"]


def _post_note(url: str, token: str, title: str) -> int:
    response = requests.post(
        f"{url}/api/v1/notes/",
        headers={"Authorization": f"Token {token}"},
        data={"title": title, "body": "from the replica test", "tags": "replicas"},
        files={"images": ("a.png", png_bytes(), "image/png")},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _status(url: str, note_id: int, **kwargs) -> int:
    return requests.get(f"{url}/api/v1/notes/{note_id}/", timeout=10, **kwargs).status_code


def _replica_line(url: str) -> str:
    response = requests.get(f"{url}/readyz", timeout=10)
    assert response.status_code == 200, response.text
    return re.search(r"^replica1 .*$", response.text, re.M).group(0)


def test_reads_use_the_replica_writes_the_primary_and_a_writer_reads_their_writes(server, replica_pair):
    url = server.url
    token = _register(url, requests.Session(), "replica_author")
    first = _post_note(url, token, "seen everywhere")
    wait_until(lambda: _status(url, first) == 200, timeout=30, what="the replica to replay the first note")
    assert "in use" in _replica_line(url)
    # given: the replica stops replaying; the author writes a note (a write: the primary takes it)
    replica_pair.pause_replay()
    try:
        second = _post_note(url, token, "only on the primary")
        # then: an anonymous GET is served by the replica, which lacks the note
        assert _status(url, second) == 404
        # the author's reads stay on the primary after their write (a mark per user: no cookie here)
        assert _status(url, second, headers={"Authorization": f"Token {token}"}) == 200
        # a browser that just wrote (here: signed up) carries the sticky cookie and reads the primary too
        browser = requests.Session()
        _register(url, browser, "replica_reader")
        assert browser.get(f"{url}/api/v1/notes/{second}/", timeout=10).status_code == 200
        # when: the replica falls further behind than the bound, reads leave it
        wait_until(lambda: "skipped" in _replica_line(url), timeout=MAX_LAG + 30, what="the lag to pass the bound")
        assert _status(url, second) == 200
    finally:
        replica_pair.resume_replay()
    # and once it has caught up it serves reads again
    wait_until(lambda: "in use" in _replica_line(url), timeout=30, what="the replica to catch up")
    lag = float(re.search(r"lag_seconds=([0-9.]+)", _replica_line(url)).group(1))
    assert lag <= MAX_LAG
    assert _status(url, second) == 200
