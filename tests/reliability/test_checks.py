"""The consistency checks find what the fault suite and the load test look for."""

import random
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone

from moderation.services import target_take_down
from posts.models import Like, Note
from reliability import checks, sweeps
from search import indexing
from search.models import IndexBacklog
from shop.models import Order, OrderItem, Product, Variant
from tests.factories import UserFactory
from tests.faults.actions import checkout


@pytest.fixture
def shop_world(user, other_user, brand):
    product = Product.objects.create(brand=brand, name="Cream", price_min="99.00", price_max="99.00")
    variant = Variant.objects.create(product=product, name="30 ml", price="99.00", stock=10)
    world = type("World", (), {"users": [user, other_user], "variants": [variant]})
    return world


def _bare_order(buyer, brand, **amounts) -> Order:
    return Order.objects.create(
        number=uuid.uuid4().hex[:12], buyer=buyer, brand=brand, shipping_address={}, idempotency_key=uuid.uuid4().hex,
        expires_at=timezone.now(), **{"subtotal": Decimal("10.00"), "total": Decimal("10.00"), **amounts},
    )  # fmt: skip


def test_a_world_changed_only_by_services_is_consistent(shop_world, user):
    before = checks.Baseline.take()
    checkout(shop_world, random.Random(1), user)
    assert checks.run_all(baseline=before, views=True, notifications_since=timezone.now()) == []


def test_finds_an_order_without_lines(user, brand):
    _bare_order(user, brand)
    assert "orders without lines" in checks.orders()[0]


def test_finds_an_order_whose_total_is_not_its_lines(shop_world, user, brand):
    order = _bare_order(user, brand)
    OrderItem.objects.create(order=order, variant=shop_world.variants[0], name="x", unit_price="99.00", quantity=1)
    assert "order totals" in checks.orders()[0]


def test_finds_units_that_went_missing(shop_world, user):
    before = checks.Baseline.take()
    checkout(shop_world, random.Random(1), user)
    Variant.objects.update(stock=F("stock") - 1)  # a unit left stock with no order line
    assert any("initial - taken" in problem for problem in checks.stock(before.stock))


def test_finds_reserved_units_no_unpaid_order_holds(shop_world):
    Variant.objects.update(reserved=2)
    assert "reserved" in checks.stock()[0]


def test_finds_a_counter_that_drifted_and_a_lost_notification(user, other_user):
    note = Note.objects.create(author=other_user, title="t", body="b")
    Like.objects.create(user=user, note=note)  # behind the service's back: no count, no notification
    assert "like_count" in checks.counters()[0]
    assert "notification" in checks.like_notifications()[0]


def test_finds_a_decision_that_notified_nobody(user, other_user):
    note = Note.objects.create(author=other_user, title="t", body="b")
    moderator = UserFactory(is_staff=True, is_superuser=True)
    target_take_down(target_type="note", target_id=note.pk, moderator=moderator)  # its task never runs here
    assert "notified nobody" in checks.decision_notifications()[0]

    sweeps.notifications_catch_up(grace=timedelta(0))
    assert checks.decision_notifications() == []


def test_finds_search_documents_out_of_step(other_user, brand):
    indexed = Note.objects.create(author=other_user, title="t", body="b")
    indexing.notes_index(note_ids=[indexed.pk])
    assert checks.search_index() == []

    Note.objects.create(author=other_user, title="never indexed", body="b")
    Note.objects.filter(pk=indexed.pk).update(is_hidden=True)  # behind the services' back: no re-index
    Product.objects.create(brand=brand, name="Cream")
    problems = "\n".join(checks.search_index())
    for problem in ("public notes without", "notes not public", "listed products without"):
        assert problem in problems


def test_finds_a_document_older_than_its_notes_edit_and_a_pending_backlog(other_user):
    note = Note.objects.create(author=other_user, title="t", body="b")
    indexing.notes_index(note_ids=[note.pk])
    note.title = "edited"
    note.save()  # its re-index was lost
    IndexBacklog.objects.create(kind=IndexBacklog.Kind.NOTE, object_id=note.pk)
    problems = "\n".join(checks.search_index())
    assert "older than their note's last edit" in problems
    assert "backlog entries left" in problems


def test_baseline_survives_its_file(shop_world):
    baseline = checks.Baseline.take()
    assert checks.Baseline.loads(baseline.dumps()) == baseline
