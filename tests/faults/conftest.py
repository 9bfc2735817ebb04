"""Fixtures of the fault suite: a world to break, and the processes it breaks.

Runs only under scripts/faults.sh (`make test-faults`), which starts a private
Postgres and Redis and points DATABASE_URL / REDIS_URL at them.
"""

import os
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import redis
from django.conf import settings

from accounts.models import User
from accounts.services import token_issue
from notifications.models import Notification
from outbox.models import PendingTask
from posts.models import Note
from reliability.models import Heartbeat
from reliability.sweeps import notifications_catch_up
from search import indexing
from shop.models import Product, Variant
from tests.factories import BrandFactory, UserFactory
from tests.faults.processes import PrivatePostgres, PrivateRedis, Server, Worker, wait_until

SHORT = os.environ.get("FAULTS_SHORT") == "1"
CANARY_DEADLINE = 60  # seconds for a restarted worker to run a fresh task


@pytest.fixture(autouse=True)
def _only_in_the_fault_run():
    if not os.environ.get("FAULTS_WORK"):
        pytest.skip("the fault suite runs under `make test-faults` (private Postgres and Redis)")


@pytest.fixture(scope="session")
def django_db_setup():
    """scripts/faults.sh migrated the private database: use it as it is."""


@pytest.fixture
def private_redis():
    server = PrivateRedis()
    yield server
    if not server.answers():
        server.start()


@pytest.fixture
def private_postgres():
    server = PrivatePostgres()
    yield server
    server.start_if_stopped()


@pytest.fixture
def workers(transactional_db):
    """start_worker() starts one more real Celery worker; all are stopped after the test."""
    started: list[Worker] = []

    def start_worker(concurrency: int = 2) -> Worker:
        worker = Worker(index=len(started), concurrency=concurrency).start()
        started.append(worker)
        return worker

    yield start_worker
    for worker in started:
        worker.stop()


@pytest.fixture
def server(transactional_db):
    gunicorn = Server().start()
    yield gunicorn
    gunicorn.stop()


@dataclass
class World:
    """Shoppers, authors with notes, and a brand whose variants have known stock."""

    users: list
    notes: list
    variants: list
    tokens: dict = field(default_factory=dict)


@pytest.fixture
def world(transactional_db) -> World:
    users = UserFactory.create_batch(12 if SHORT else 30)
    authors = users[:5]
    notes = [
        Note.objects.create(author=authors[i % len(authors)], title=f"note {i}", body=f"body {i}") for i in range(20)
    ]
    for i, note in enumerate(notes):
        note.tags.add(f"tag{i % 4}", "skincare")
    for author in authors:  # as note_create would have counted them
        User.objects.filter(pk=author.pk).update(notes_count=Note.objects.filter(author=author).count())
    brand = BrandFactory()
    product = Product.objects.create(brand=brand, name="Cream", price_min="99.00", price_max="129.00")
    variants = [
        Variant.objects.create(product=product, name=f"{ml} ml", price=price, stock=100_000)
        for ml, price in ((30, "99.00"), (50, "129.00"))
    ]
    tokens = {user.pk: token_issue(user=user)[1] for user in users}
    indexing.notes_index(note_ids=[note.pk for note in notes])  # searchable, as note_create leaves them
    indexing.products_index(product_ids=[product.pk])
    return World(users=users, notes=notes, variants=variants, tokens=tokens)


def broker() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1)


def drained() -> bool:
    """No task queued, none taken by a worker and unacknowledged, none parked."""
    client = broker()
    queued = sum(client.llen(queue.name) for queue in settings.CELERY_TASK_QUEUES)
    return queued == 0 and client.hlen("unacked") == 0 and not PendingTask.objects.exists()


def wait_for_drain(timeout: float = 240) -> None:
    wait_until(drained, timeout=timeout, interval=1, what="the task queue to drain")


def canary_answers_within(seconds: float) -> float:
    """Send the canary and return how long a worker took to run it."""
    from outbox.services import send_or_park

    token = uuid.uuid4().hex[:16]
    started = time.monotonic()
    send_or_park("redbook.canary", {"token": token})
    wait_until(lambda: Heartbeat.objects.filter(token=token).exists(), timeout=seconds, what="the canary")
    return time.monotonic() - started


def search_catch_up_made() -> dict[str, int]:
    """Run beat's search catch-up sweep now; return what it re-indexed (objects per kind)."""
    return indexing.backlog_catch_up(grace=timedelta(0))


def catch_up_made() -> int:
    """Run beat's notification catch-up sweep now; return how many notifications it made
    (events it re-runs by design without one, like a self-like, do not count)."""
    before = Notification.objects.count()
    notifications_catch_up(grace=timedelta(0))
    return Notification.objects.count() - before
