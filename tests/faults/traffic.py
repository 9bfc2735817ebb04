"""Users hitting the API of the gunicorn under test, from threads, while a fault is
injected; every response is recorded with the phase of the fault it met."""

import functools
import io
import random
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import requests
from PIL import Image

from tests.faults.actions import ADDRESS


@functools.cache
def _tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "crimson").save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class Outcome:
    name: str
    write: bool
    status: int  # 0: no HTTP answer at all (connection refused or reset)
    phase: str
    body: str = ""
    at: float = 0.0  # time.monotonic() when the answer came


@dataclass
class Traffic:
    base_url: str
    world: object
    phase: str = "before"
    outcomes: list[Outcome] = field(default_factory=list)
    checkouts: dict[str, int] = field(default_factory=dict)  # Idempotency-Key -> status of the last try
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, session, method: str, path: str, name: str, *, write: bool, **kwargs):
        phase = self.phase
        try:
            response = session.request(method, self.base_url + path, timeout=30, **kwargs)
            status, body = response.status_code, response.text[:300]
        except requests.RequestException as exc:
            response, status, body = None, 0, str(exc)[:300]
        with self._lock:
            self.outcomes.append(Outcome(name, write, status, phase, body, time.monotonic()))
        return response

    def session_for(self, user) -> requests.Session:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {self.world.tokens[user.pk]}"
        return session

    def browse_and_write(self, rng: random.Random, users: list, *, writes=("like", "comment", "checkout")) -> None:
        """One user's visit: a few reads, then one write."""
        user = rng.choice(users)
        session = self.session_for(user)
        note = rng.choice(self.world.notes)
        self.call(session, "GET", "/api/v1/feeds/explore/", "explore", write=False)
        self.call(session, "GET", f"/api/v1/notes/{note.pk}/", "note", write=False)
        self.call(session, "POST", f"/api/v1/notes/{note.pk}/view/", "view", write=True)
        self.call(session, "GET", "/api/v1/search/?q=body&type=notes", "search", write=False)
        action = rng.choice(writes)
        if action == "like":
            self.call(session, "POST", f"/api/v1/notes/{note.pk}/like/", "like", write=True)
        elif action == "post":
            files = {"images": ("photo.png", _tiny_png(), "image/png")}
            data = {"title": "今日好物", "body": "new find #skincare", "tags": "skincare"}
            self.call(session, "POST", "/api/v1/notes/", "post", write=True, data=data, files=files)
        elif action == "save":
            self.call(session, "POST", f"/api/v1/notes/{note.pk}/save/", "save", write=True)
        elif action == "follow":
            self.call(session, "POST", f"/api/v1/users/{note.author.username}/follow/", "follow", write=True)
        elif action == "comment":
            body = {"body": f"love it {uuid.uuid4().hex[:6]}"}
            self.call(session, "POST", f"/api/v1/notes/{note.pk}/comments/", "comment", write=True, json=body)
        else:
            self.buy(session, rng)

    def buy(self, session, rng: random.Random, retries: int = 10) -> None:
        """Add to cart and check out; on a 503 retry with the same Idempotency-Key, as a client should."""
        variant = rng.choice(self.world.variants)
        item = {"variant_id": variant.pk, "quantity": rng.randint(1, 2)}
        self.call(session, "POST", "/api/v1/cart/items/", "cart_add", write=True, json=item)
        key = uuid.uuid4().hex
        for _ in range(retries):
            response = self.call(
                session, "POST", "/api/v1/checkout/", "checkout", write=True,
                json={"shipping_address": ADDRESS}, headers={"Idempotency-Key": key},
            )  # fmt: skip
            status = response.status_code if response is not None else 0
            self.checkouts[key] = status
            if status not in (0, 503):
                return
            self._stop.wait(1.0)

    def run_in_threads(self, threads: int, **kwargs) -> list[threading.Thread]:
        def loop(seed: int):
            rng = random.Random(seed)
            users = self.world.users[seed::threads]  # a user is on one device at a time
            while not self._stop.is_set():
                self.browse_and_write(rng, users, **kwargs)

        started = [threading.Thread(target=loop, args=(seed,), daemon=True) for seed in range(threads)]
        for thread in started:
            thread.start()
        return started

    def stop(self, threads: list[threading.Thread]) -> None:
        self._stop.set()
        for thread in threads:
            thread.join(timeout=60)

    def statuses(self, *, write: bool | None = None, phase: str | None = None) -> Counter:
        return Counter(
            (o.name, o.status)
            for o in self.outcomes
            if (write is None or o.write == write) and (phase is None or o.phase == phase)
        )

    def answered(self, status: int) -> int:
        """How many calls so far got this status."""
        with self._lock:
            return sum(1 for o in self.outcomes if o.status == status)

    def failures(self, *, write: bool | None = None, allowed=(503,)) -> list[Outcome]:
        """Answers that are a server error (or no answer), other than the `allowed` statuses."""
        return [
            o
            for o in self.outcomes
            if (write is None or o.write == write) and (o.status == 0 or o.status >= 500) and o.status not in allowed
        ]
