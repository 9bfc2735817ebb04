"""The cluster behind nginx (marker `cluster`, `make test-cluster`): two web nodes, two
workers and beat on a Postgres primary + replica and one Redis, each node answering for
what the other wrote. Starting it costs about a minute; the checks about as much."""

import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
import redis
import requests

from feeds import runs
from tests.cluster.conftest import png_bytes
from tests.cluster.processes import ROOT, VENV_BIN, nginx_available, postgres_available, wait_until
from tests.cluster.stack import Cluster

pytestmark = pytest.mark.cluster

PASSWORD = "pw-Cluster-123"


@pytest.fixture(scope="module")
def cluster(cluster_work):
    if not (postgres_available() and nginx_available()):
        pytest.skip("needs the Postgres server binaries and nginx")
    extra = {
        "THROTTLE_SIGNUP": "1000/hour",
        "THROTTLE_LOGIN_IP": "1000/hour",
        "THROTTLE_COMMENT": "100000/hour",  # the load tests comment as fast as two nodes answer
        "EXPLORE_RUN_BATCH_USERS": "1",  # a batch per user: a kill meets one mid-run
        "CELERY_VISIBILITY_TIMEOUT": "10",  # a dead worker's task comes back in seconds (production: 5 min)
    }
    stack = Cluster(cluster_work, extra_env=extra)
    try:
        yield stack.start()
    finally:
        stack.stop()


def _account(url: str, name: str) -> str:
    created = requests.post(f"{url}/api/v1/auth/register/", json={"username": name, "password": PASSWORD}, timeout=30)
    assert created.status_code == 201, created.text
    return _token(url, name)


def _token(url: str, name: str) -> str:
    response = requests.post(f"{url}/api/v1/auth/token/", json={"username": name, "password": PASSWORD}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["token"]


def _auth(token: str) -> dict:
    return {"Authorization": f"Token {token}"}


def _note(url: str, token: str, title: str, tags: str) -> dict:
    response = requests.post(
        f"{url}/api/v1/notes/",
        headers=_auth(token),
        data={"title": title, "body": "made in the cluster test", "tags": tags},
        files={"images": ("photo.png", png_bytes(), "image/png")},
        timeout=60,
    )
    assert response.status_code == 201, response.text
    return response.json()


def _absolute(base: str, url: str) -> str:
    return url if url.startswith("http") else base + url


def test_a_note_posted_through_node_a_is_served_with_its_images_by_node_b(cluster):
    a, b = cluster.node_a.url, cluster.node_b.url
    token = _account(a, "cl_author")
    note = _note(a, token, "posted on A", "cluster")
    served = requests.get(f"{b}/api/v1/notes/{note['id']}/", timeout=30)
    assert served.status_code == 200, served.text
    assert served.json()["title"] == "posted on A"
    image = served.json()["images"][0]
    for key in ("url", "thumb_url"):
        picture = requests.get(_absolute(b, image[key]), timeout=30)
        assert picture.status_code == 200
        assert picture.headers["Content-Type"].startswith("image/")


def test_tokens_and_sessions_issued_by_one_node_work_on_the_other(cluster):
    a, b = cluster.node_a.url, cluster.node_b.url
    token = _account(a, "cl_visitor")
    assert requests.get(f"{b}/api/v1/me/", headers=_auth(token), timeout=30).json()["username"] == "cl_visitor"
    # a browser session: signed in through A's login form, then a page of B
    # (cookies are Secure in production settings, so this test carries them by hand over loopback HTTP)
    form = requests.get(f"{a}/accounts/login/", timeout=30)
    csrf = form.cookies["csrftoken"]
    middleware_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    login = requests.post(
        f"{a}/accounts/login/",
        data={"username": "cl_visitor", "password": PASSWORD, "csrfmiddlewaretoken": middleware_token},
        headers={"Cookie": f"csrftoken={csrf}", "Referer": f"{a}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert login.status_code == 302, login.text[:500]
    session = login.cookies["sessionid"]
    me = requests.get(f"{b}/api/v1/me/", headers={"Cookie": f"sessionid={session}"}, timeout=30)
    assert me.status_code == 200 and me.json()["username"] == "cl_visitor"


def test_a_rate_limit_counts_the_attempts_made_on_both_nodes(cluster):
    nodes = [cluster.node_a.url, cluster.node_b.url]
    _account(nodes[0], "cl_guarded")
    codes = [
        requests.post(
            f"{nodes[i % 2]}/api/v1/auth/token/", json={"username": "cl_guarded", "password": "wrong"}, timeout=30
        ).status_code
        for i in range(6)
    ]
    # five wrong passwords per account and address in 15 minutes, whichever node took them
    assert all(code in (400, 401) for code in codes[:5]), codes
    assert codes[5] == 429, codes


def test_a_like_through_node_a_changes_explore_read_through_node_b_within_a_minute(cluster):
    a, b = cluster.node_a.url, cluster.node_b.url
    author = _account(a, "cl_creator")
    food = [_note(a, author, f"dumplings {i}", "clusterfood")["id"] for i in range(3)]
    for i in range(3):
        _note(a, author, f"mountains {i}", "clustertravel")
    fan = _account(a, "cl_fan")
    assert requests.post(f"{a}/api/v1/notes/{food[0]}/like/", headers=_auth(fan), timeout=30).status_code == 201

    def explore_top_is_food():
        page = requests.get(f"{b}/api/v1/feeds/explore/", headers=_auth(fan), timeout=30).json()
        items = page.get("results", [])
        return items and items[0]["id"] in food[1:] and "clusterfood" in str(items[0].get("reason", ""))

    wait_until(explore_top_is_food, timeout=60, interval=1, what="the like to reach Explore through node B")


def _pool_children(worker) -> list[int]:
    path = Path(f"/proc/{worker.pid}/task/{worker.pid}/children")
    return [int(pid) for pid in path.read_text().split()] if path.exists() else []


def _batches_in_hands(broker) -> int:
    return sum(b"feeds.rank_batch" in message for message in broker.hvals("unacked"))


def test_a_ranking_batch_whose_worker_was_killed_is_redone_by_the_other(cluster):
    broker = redis.Redis(port=cluster.redis.port)
    first, second = cluster.workers
    second.stop(timeout=30)  # the first worker alone takes the batches
    cluster.beat.stop(timeout=30)  # and nothing but batches
    wait_until(lambda: broker.hlen("unacked") == 0, timeout=60, what="the first worker to be idle")
    # given: the first worker's pool process frozen: its main process takes a batch (recorded
    # as unacknowledged) and hands it to a process that never finishes it
    for child in _pool_children(first):
        os.kill(child, signal.SIGSTOP)
    # when: a full run starts (as beat's task would) and the worker dies with that batch
    start_run = "from feeds import services; services.explore_rank_all_once()"
    manage = [str(VENV_BIN / "python"), "manage.py", "shell", "-c", start_run]
    subprocess.run(manage, cwd=ROOT, env=cluster.env, check=True)
    wait_until(lambda: _batches_in_hands(broker) > 0, timeout=30, interval=0.05, what="a batch taken")
    first.kill_hard()
    assert broker.exists(runs.RUN_LOCK)  # the run waits for that batch
    # then: the batch comes back after the visibility timeout, the other worker redoes it, the run ends
    second.start()
    wait_until(lambda: not broker.exists(runs.RUN_LOCK), timeout=120, interval=0.5, what="the run to end")
    assert _batches_in_hands(broker) == 0
    assert not list(broker.scan_iter(match="explore:run:*"))
    first.start()
    cluster.beat.start()


class Load:
    """Three clients reading a note and commenting on it through the balancer until stopped."""

    def __init__(self, balancer: str, token: str, note: int):
        self.balancer, self.token, self.note = balancer, token, note
        self.failed, self.created, self.refused = [], [], []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._client, args=(n,)) for n in range(3)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def _client(self, n: int):
        i = 0
        while not self.stop.is_set():
            i += 1
            if i % 3:
                response = requests.get(f"{self.balancer}/api/v1/notes/{self.note}/", timeout=60)
                if response.status_code != 200:
                    self.failed.append(("GET", response.status_code))
                continue
            body = f"comment {n}-{i}"
            response = requests.post(
                f"{self.balancer}/api/v1/notes/{self.note}/comments/",
                headers=_auth(self.token),
                json={"body": body},
                timeout=60,
            )
            if response.status_code == 201:
                self.created.append(body)
            elif response.status_code == 502:  # sent to the node as it closed: not retried (not idempotent)
                self.refused.append(body)
            else:
                self.failed.append(("POST", response.status_code))

    def stored(self, base: str) -> list[str]:
        url = f"{base}/api/v1/notes/{self.note}/comments/"
        bodies = []
        while url:
            page = requests.get(url, timeout=30).json()
            bodies += [comment["body"] for comment in page["results"]]
            url = page.get("next")
        return bodies


def _loaded_note(cluster, name: str) -> tuple[str, int]:
    token = _account(cluster.balancer.url, name)
    return token, _note(cluster.balancer.url, token, "under load", "cluster")["id"]


def test_stopping_node_a_mid_load_loses_no_retriable_request_and_no_data(cluster):
    token, note = _loaded_note(cluster, "cl_loader")
    with Load(cluster.balancer.url, token, note) as load:
        time.sleep(3)
        cluster.node_a.stop(timeout=30)  # graceful, but the balancer still sends it requests
        time.sleep(4)
    # every read (idempotent: nginx retries it on node B) succeeded; no write failed otherwise
    assert load.failed == []
    assert len(load.created) > 3
    # every comment acknowledged is stored, none twice; a POST refused with 502 was not run twice either
    stored = load.stored(cluster.node_b.url)
    assert set(load.created) <= set(stored)
    assert len(stored) == len(set(stored))


def test_a_node_drained_before_it_stops_fails_no_request_at_all(cluster):
    cluster.restart(cluster.node_a)
    token, note = _loaded_note(cluster, "cl_roller")
    with Load(cluster.balancer.url, token, note) as load:
        time.sleep(3)
        cluster.drain_and_stop(cluster.node_b)  # a rolling restart's step
        time.sleep(4)
    assert load.failed == [] and load.refused == []
    assert len(load.created) > 3
    assert sorted(load.stored(cluster.node_a.url)) == sorted(load.created)
