"""A bounded load driver: virtual users browsing and buying through the JSON API.

Each virtual user (a thread with its own token) repeats visits: open Explore and
page it, open notes and their comments (each open sends the view beacon), search,
look at products and the cart and notifications, and about once every 50 reads
write something: like, save, comment, add to cart, check out (then pay or cancel).
The run stops at its duration or its request budget, whichever comes first.
"""

import random
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import requests

ADDRESS = {
    "name": "Han Meimei",
    "phone": "+86 139 0000 0000",
    "line1": "8 Century Avenue",
    "city": "Shanghai",
    "postal_code": "200120",
    "country": "CN",
}
SEARCH_WORDS = ["面霜", "skincare", "coffee", "hiking", "lipstick", "travel", "咖啡", "穿搭"]
# One write action per ~75 reads: a checkout is 2-3 write requests (cart, checkout, pay),
# so requests come out at about 50 reads per write.
WRITES_PER_READ = 1 / 75
# Statuses that are a correct answer, not an error: a sold-out variant (409), a note
# hidden or deleted meanwhile (404), a declined card (402).
ACCEPTED = {"checkout": {409}, "cart_add": {409}, "pay": {402}, "note": {404}, "like": {404}, "comment": {404}}
WRITE_WEIGHTS = {"like": 30, "save": 10, "comment": 15, "cart_add": 15, "checkout": 30}


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    errors: dict[str, int] = field(default_factory=Counter)
    samples: dict[str, str] = field(default_factory=dict)
    reads: int = 0
    writes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, name: str, *, write: bool, status: int, seconds: float, body: str) -> None:
        error = status == 0 or status >= 500 or (status >= 400 and status not in ACCEPTED.get(name, ()))
        with self.lock:
            self.latencies[name].append(seconds)
            self.statuses[name][status] += 1
            if write:
                self.writes += 1
            elif name != "view":  # the view beacon rides along with a read
                self.reads += 1
            if error:
                self.errors[name] += 1
                self.samples.setdefault(f"{name} {status}", body[:200])

    @property
    def requests(self) -> int:
        return sum(len(values) for values in self.latencies.values())

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def report(stats: Stats, elapsed: float) -> str:
    lines = [f"{'endpoint':<14}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}  statuses"]
    for name in sorted(stats.latencies):
        values = stats.latencies[name]
        lines.append(
            f"{name:<14}{len(values):>9}{percentile(values, 0.5) * 1000:>9.0f}{percentile(values, 0.95) * 1000:>9.0f}"
            f"{percentile(values, 0.99) * 1000:>9.0f}{stats.errors.get(name, 0):>8}  {dict(stats.statuses[name])}"
        )
    everything = [v for values in stats.latencies.values() for v in values]
    rate = stats.error_count / max(1, stats.requests)
    lines.append(
        f"{'all':<14}{stats.requests:>9}{percentile(everything, 0.5) * 1000:>9.0f}"
        f"{percentile(everything, 0.95) * 1000:>9.0f}{percentile(everything, 0.99) * 1000:>9.0f}{stats.error_count:>8}"
    )
    lines.append(
        f"{elapsed:.0f}s, {stats.requests / max(elapsed, 1e-9):.1f} req/s, reads per write "
        f"{stats.reads / max(1, stats.writes):.1f}, error rate {rate:.4%}"
    )
    lines += [f"  sample error {key}: {body}" for key, body in stats.samples.items()]
    return "\n".join(lines)


@dataclass
class Catalog:
    """Ids the users pick from, read once from the database before the run."""

    tokens: list[str]
    note_ids: list[int]
    variant_brands: dict[int, str]  # variant id -> its store (brand username)
    product_ids: list[int]


class VirtualUser:
    def __init__(self, *, base_url: str, token: str, catalog: Catalog, stats: Stats, rng: random.Random):
        self.base_url, self.catalog, self.stats, self.rng = base_url, catalog, stats, rng
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token {token}"
        self.reads_until_write = self._next_gap()

    def _next_gap(self) -> int:
        return int(self.rng.expovariate(WRITES_PER_READ)) + 1

    def call(self, method: str, path: str, name: str, *, write: bool = False, **kwargs):
        started = time.perf_counter()
        try:
            response = self.session.request(method, self.base_url + path, timeout=30, **kwargs)
            status, body = response.status_code, response.text
        except requests.RequestException as exc:
            response, status, body = None, 0, str(exc)
        self.stats.record(name, write=write, status=status, seconds=time.perf_counter() - started, body=body)
        if not write and name != "view":
            self.reads_until_write -= 1
        return response

    def visit(self) -> None:
        """One visit: a browsing path, then a write once enough reads have passed."""
        self.rng.choice([self.browse_explore, self.read_notes, self.search, self.shop])()
        if self.reads_until_write <= 0:
            self.reads_until_write = self._next_gap()
            self.write()

    def browse_explore(self) -> None:
        url = "/api/v1/feeds/explore/"
        for _page in range(self.rng.randint(1, 3)):
            response = self.call("GET", url, "explore")
            next_url = response.json().get("next") if response is not None and response.ok else None
            if not next_url:
                return
            url = next_url.removeprefix(self.base_url)
        self.read_notes()

    def read_notes(self) -> None:
        for note_id in self.rng.sample(self.catalog.note_ids, k=min(3, len(self.catalog.note_ids))):
            self.call("GET", f"/api/v1/notes/{note_id}/", "note")
            self.call("POST", f"/api/v1/notes/{note_id}/view/", "view")
            if self.rng.random() < 0.3:
                self.call("GET", f"/api/v1/notes/{note_id}/comments/", "comments")

    def search(self) -> None:
        word = self.rng.choice(SEARCH_WORDS)
        self.call("GET", "/api/v1/search/suggest/", "suggest", params={"q": word[:1]})
        self.call(
            "GET", "/api/v1/search/", "search", params={"q": word, "type": self.rng.choice(["notes", "products"])}
        )

    def shop(self) -> None:
        self.call("GET", "/api/v1/products/", "products")
        product_id = self.rng.choice(self.catalog.product_ids)
        self.call("GET", f"/api/v1/products/{product_id}/", "product")
        self.call("GET", "/api/v1/cart/", "cart")
        if self.rng.random() < 0.2:
            self.call("GET", "/api/v1/notifications/", "notifications")

    def write(self) -> None:
        action = self.rng.choices(list(WRITE_WEIGHTS), weights=list(WRITE_WEIGHTS.values()))[0]
        note_id = self.rng.choice(self.catalog.note_ids)
        if action == "like":
            self.call("POST", f"/api/v1/notes/{note_id}/like/", "like", write=True)
        elif action == "save":
            self.call("POST", f"/api/v1/notes/{note_id}/save/", "save", write=True)
        elif action == "comment":
            body = {"body": self.rng.choice(["好用!", "love this", "求链接", "where is this?"])}
            self.call("POST", f"/api/v1/notes/{note_id}/comments/", "comment", write=True, json=body)
        elif action == "cart_add":
            self.add_to_cart(self.rng.choice(list(self.catalog.variant_brands)))
        else:
            self.check_out()

    def add_to_cart(self, variant_id: int):
        item = {"variant_id": variant_id, "quantity": 1}
        return self.call("POST", "/api/v1/cart/items/", "cart_add", write=True, json=item)

    def check_out(self) -> None:
        """Buy one item now: a cart spanning stores checks out one store (`brand`) at a time."""
        variant_id = self.rng.choice(list(self.catalog.variant_brands))
        response = self.add_to_cart(variant_id)
        if response is None or response.status_code != 201:
            return
        headers = {"Idempotency-Key": uuid.uuid4().hex}
        body = {"shipping_address": ADDRESS, "brand": self.catalog.variant_brands[variant_id]}
        response = self.call("POST", "/api/v1/checkout/", "checkout", write=True, json=body, headers=headers)
        if response is None or response.status_code != 201:
            return
        order_id = response.json()["id"]
        if self.rng.random() < 0.7:  # most pay; some cancel; the rest leave it to expire
            card = {"card_number": "4242424242424242"}
            self.call("POST", f"/api/v1/orders/{order_id}/pay/", "pay", write=True, json=card)
        elif self.rng.random() < 0.5:
            self.call("POST", f"/api/v1/orders/{order_id}/cancel/", "cancel", write=True)


def run(*, base_url: str, catalog: Catalog, users: int, duration: float, max_requests: int, seed: int) -> Stats:
    stats = Stats()
    deadline = time.monotonic() + duration
    master = random.Random(seed)

    def loop(user: VirtualUser) -> None:
        while time.monotonic() < deadline and stats.requests < max_requests:
            user.visit()

    virtual_users = [
        VirtualUser(base_url=base_url, token=token, catalog=catalog, stats=stats, rng=random.Random(master.random()))
        for token in master.sample(catalog.tokens, k=min(users, len(catalog.tokens)))
    ]
    threads = [threading.Thread(target=loop, args=(user,), daemon=True) for user in virtual_users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 120)
    return stats
