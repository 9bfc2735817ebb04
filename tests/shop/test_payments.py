"""Payments outside database transactions: attempts, the gateways' ledgers, the sweep,
refunds that survive a crash, and the hosted gateway's signed webhook."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from django.utils import timezone

from shop import orders, payment_flow, tasks
from shop.models import GatewayCharge, Order, Payment, WebhookEvent
from shop.payments import GATEWAYS, SIGNATURE_HEADER, SandboxGateway, webhook_signature
from tests.conftest import client_for, requires_postgres
from tests.shop.conftest import paid_order, place_order

GOOD, DECLINED = "4242424242424242", "4000000000000002"
ROOT = Path(__file__).resolve().parents[2]
SECRET = "test-webhook-secret"


@pytest.fixture(autouse=True)
def _payment_settings(settings):
    settings.PAYMENT_WEBHOOK_SECRET = SECRET
    settings.PAYMENT_SWEEP_AFTER_SECONDS = 60


def _age(payment: Payment, seconds: int = 120) -> None:
    """Make an attempt look untouched for a while, as the sweep expects of crash leftovers."""
    Payment.objects.filter(pk=payment.pk).update(updated_at=timezone.now() - timedelta(seconds=seconds))


def _eventually(predicate, timeout: float = 60) -> bool:
    """Poll until the worker has done its part (a bound, not a speed requirement)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _signed_post(client, body: bytes, *, gateway="hosted", timestamp=None, secret=SECRET):
    signature = webhook_signature(body=body, secret=secret, timestamp=timestamp)
    return client.post(
        f"/api/v1/payments/webhook/{gateway}/",
        data=body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: signature},
    )


# --- No gateway call inside a transaction ------------------------------------------------------


class _SpyGateway(SandboxGateway):
    """The sandbox, noting whether a transaction was open at each call."""

    name = "spy"

    def __init__(self):
        self.calls = []

    def charge(self, **kwargs):
        self.calls.append(("charge", connection.in_atomic_block))
        return super().charge(**kwargs)

    def refund(self, **kwargs):
        self.calls.append(("refund", connection.in_atomic_block))
        return super().refund(**kwargs)


@pytest.mark.django_db(transaction=True)
def test_charge_and_refund_run_outside_any_transaction(settings, monkeypatch, user, variant):
    spy = _SpyGateway()
    monkeypatch.setitem(GATEWAYS, spy.name, spy)
    settings.PAYMENT_GATEWAY = spy.name
    api = client_for(user)
    order = place_order(user, variant)
    assert api.post(f"/api/v1/orders/{order.pk}/pay/", {"card_number": GOOD}).json()["status"] == "paid"
    assert api.post(f"/api/v1/orders/{order.pk}/cancel/").json()["status"] == "cancelled"
    assert spy.calls == [("charge", False), ("refund", False)]
    payment = Payment.objects.get(order=order)
    assert payment.status == "refunded" and payment.gateway == "spy"
    assert GatewayCharge.objects.filter(key=payment_flow.refund_key(payment), status="succeeded").exists()


# --- The sandbox is a provider with a ledger -----------------------------------------------------


@pytest.mark.django_db
def test_sandbox_charge_is_idempotent_per_key_and_answers_status_queries():
    gateway = SandboxGateway()
    first = gateway.charge(key="pay_a", amount="10.00", currency="CNY", card_number=GOOD)
    again = gateway.charge(key="pay_a", amount="10.00", currency="CNY", card_number=GOOD)
    assert first == again and first.status == "succeeded"
    assert GatewayCharge.objects.filter(key="pay_a").count() == 1
    assert gateway.status(key="pay_a") == first
    assert gateway.status(key="pay_never").status == "not_found"
    assert gateway.charge(key="pay_b", amount="1.00", currency="CNY", card_number=DECLINED).status == "declined"
    assert gateway.status(key="pay_b").status == "declined"


@pytest.mark.django_db
def test_pay_records_the_attempt_with_its_key_and_a_second_click_in_flight_is_409(user, api_client, variant):
    order = place_order(user, variant)
    Payment.objects.create(
        order=order, gateway="sandbox", status="pending", idempotency_key="pay_inflight", amount="1", currency="CNY"
    )
    response = api_client.post(f"/api/v1/orders/{order.pk}/pay/", {"card_number": GOOD})
    assert response.status_code == 409 and response.json()["code"] == "payment_in_progress"
    Payment.objects.filter(idempotency_key="pay_inflight").update(status="failed")
    assert api_client.post(f"/api/v1/orders/{order.pk}/pay/", {"card_number": GOOD}).json()["status"] == "paid"
    payment = Payment.objects.get(order=order, status="succeeded")
    assert payment.idempotency_key.startswith("pay_") and payment.card_last4 == "4242"
    assert GatewayCharge.objects.get(key=payment.idempotency_key).status == "succeeded"


# --- The sweep heals what a crash left ------------------------------------------------------------


@pytest.mark.django_db
def test_sweep_records_a_charge_the_request_never_recorded(user, variant):
    order = place_order(user, variant, 2)
    with_key = payment_flow.attempt_create(order=order, card_last4="4242")
    SandboxGateway().charge(key=with_key.idempotency_key, amount=order.total, currency="CNY", card_number=GOOD)
    assert payment_flow.payments_sweep() == (0, False)  # too young: maybe still in a request's hands
    _age(with_key)
    assert payment_flow.payments_sweep() == (1, False)
    assert Order.objects.get(pk=order.pk).status == "paid"
    assert Payment.objects.get(pk=with_key.pk).status == "succeeded"
    variant.refresh_from_db()
    assert (variant.stock, variant.reserved) == (8, 0)


@pytest.mark.django_db
def test_sweep_fails_an_attempt_the_gateway_never_saw_and_a_late_charge_is_refunded(user, variant):
    order = place_order(user, variant)
    attempt = payment_flow.attempt_create(order=order, card_last4="4242")
    _age(attempt)
    payment_flow.payments_sweep()
    assert Payment.objects.get(pk=attempt.pk).status == "failed"
    # The order is paid by a new attempt; then the first charge lands after all.
    orders.order_pay(order_id=order.pk, buyer=user, card_number=GOOD)
    late = SandboxGateway().charge(key=attempt.idempotency_key, amount=order.total, currency="CNY", card_number=GOOD)
    assert payment_flow.attempt_settle(payment_id=attempt.pk, result=late).status == "refunded"
    assert Order.objects.get(pk=order.pk).status == "paid"
    assert Payment.objects.filter(order=order, status="succeeded").count() == 1


@pytest.mark.django_db
def test_a_charge_landing_on_an_order_cancelled_meanwhile_is_refunded(user, variant):
    order = place_order(user, variant)
    attempt = payment_flow.attempt_create(order=order, card_last4="4242")
    orders.order_cancel(order_id=order.pk, actor=user)
    result = SandboxGateway().charge(key=attempt.idempotency_key, amount=order.total, currency="CNY", card_number=GOOD)
    assert payment_flow.attempt_settle(payment_id=attempt.pk, result=result).status == "refunded"
    assert Order.objects.get(pk=order.pk).status == "cancelled"
    variant.refresh_from_db()
    assert (variant.stock, variant.reserved) == (10, 0)


@pytest.mark.django_db
def test_sweep_finishes_a_refund_a_crash_interrupted(user, variant):
    order = paid_order(user, variant)
    payment = Payment.objects.get(order=order)
    with payment_flow.transaction.atomic():  # the cancel committed; the process died before the gateway call
        payment_flow.payment_refund_start(order=order)
    assert Payment.objects.get(pk=payment.pk).status == "refunding"
    _age(payment)
    assert payment_flow.payments_sweep() == (1, False)
    assert Payment.objects.get(pk=payment.pk).status == "refunded"
    assert GatewayCharge.objects.filter(key=payment_flow.refund_key(payment), kind="refund").count() == 1


@pytest.mark.django_db
def test_expiry_leaves_an_order_whose_payment_is_in_flight(user, variant):
    order = place_order(user, variant)
    payment_flow.attempt_create(order=order, card_last4="4242")
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert orders.orders_expire_unpaid() == (0, False)
    assert Order.objects.get(pk=order.pk).status == "pending_payment"


_CRASHING_PAYER = """
import os, sys, time
import django
django.setup()
from accounts.models import User
from shop import orders, payments

order_id, buyer_id, marker = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
charge = payments.SandboxGateway.charge

def charge_then_hang(self, **kwargs):
    result = charge(self, **kwargs)
    with open(marker, "w") as out:
        out.write(result.status)
    time.sleep(300)  # killed here: after the gateway took the money, before we record it

payments.SandboxGateway.charge = charge_then_hang
orders.order_pay(order_id=order_id, buyer=User.objects.get(pk=buyer_id), card_number="4242424242424242")
"""


def _child_env() -> dict:
    """The test database for a child process: the same server, the test's database name."""
    url = urlsplit(os.environ["DATABASE_URL"])
    name = connection.settings_dict["NAME"]
    return {**os.environ, "DATABASE_URL": urlunsplit(url._replace(path=f"/{name}")), "DEBUG": "1"}


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_process_killed_between_charge_and_record_is_healed_by_the_sweep(
    settings, celery_worker, user, variant, tmp_path
):
    order = place_order(user, variant, 3)
    marker = tmp_path / "charged"
    child = subprocess.Popen(
        [sys.executable, "-c", _CRASHING_PAYER, str(order.pk), str(user.pk), str(marker)],
        cwd=ROOT,
        env=_child_env(),
    )
    try:
        assert _eventually(lambda: marker.exists() or child.poll() is not None, timeout=120)
        assert marker.exists() and marker.read_text() == "succeeded", "the child never reached the gateway"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    attempt = Payment.objects.get(order=order)
    assert attempt.status == "pending" and Order.objects.get(pk=order.pk).status == "pending_payment"
    assert GatewayCharge.objects.get(key=attempt.idempotency_key).status == "succeeded"  # money taken

    settings.PAYMENT_SWEEP_AFTER_SECONDS = 0
    tasks.payments_sweep.delay()  # what beat sends every minute, run by the real worker
    assert _eventually(lambda: Order.objects.get(pk=order.pk).status == "paid")
    assert Payment.objects.get(pk=attempt.pk).status == "succeeded"
    variant.refresh_from_db()
    assert (variant.stock, variant.reserved) == (7, 0)


# --- The hosted gateway: 202, then a signed webhook ---------------------------------------------


@pytest.fixture
def hosted(settings):
    settings.PAYMENT_GATEWAY = "hosted"


def _hosted_pay(api_client, order, card=GOOD):
    response = api_client.post(f"/api/v1/orders/{order.pk}/pay/", {"card_number": card})
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "pending_payment"
    return Payment.objects.get(order=order, status="pending")


@pytest.mark.django_db
def test_hosted_pay_is_202_until_the_signed_webhook_pays_it_once(hosted, user, api_client, anon_client, variant):
    order = place_order(user, variant)
    attempt = _hosted_pay(api_client, order)
    body = GATEWAYS["hosted"].event_for(attempt.idempotency_key)
    response = _signed_post(anon_client, body)
    assert response.status_code == 200 and response.json() == {"received": True, "replay": False}
    assert Order.objects.get(pk=order.pk).status == "paid"
    # The provider retries the same event: acknowledged, nothing happens twice.
    assert _signed_post(anon_client, body).json() == {"received": True, "replay": True}
    assert WebhookEvent.objects.count() == 1
    variant.refresh_from_db()
    assert (variant.stock, variant.reserved) == (9, 0)


@pytest.mark.django_db
def test_hosted_decline_arrives_by_webhook(hosted, user, api_client, anon_client, variant):
    order = place_order(user, variant)
    attempt = _hosted_pay(api_client, order, card=DECLINED)
    assert _signed_post(anon_client, GATEWAYS["hosted"].event_for(attempt.idempotency_key)).status_code == 200
    assert Payment.objects.get(pk=attempt.pk).status == "declined"
    assert Order.objects.get(pk=order.pk).status == "pending_payment"


@pytest.mark.django_db
def test_webhook_refuses_bad_signatures_old_deliveries_and_unknown_gateways(
    hosted, user, api_client, anon_client, variant
):
    order = place_order(user, variant)
    attempt = _hosted_pay(api_client, order)
    body = GATEWAYS["hosted"].event_for(attempt.idempotency_key)
    stale = int(time.time()) - 3600
    bad = [
        _signed_post(anon_client, body, secret="wrong"),
        _signed_post(anon_client, body, timestamp=stale),
        anon_client.post(  # a valid signature over another body
            "/api/v1/payments/webhook/hosted/",
            data=body.replace(b"charge.succeeded", b"charge.declined"),
            content_type="application/json",
            headers={SIGNATURE_HEADER: webhook_signature(body=body, secret=SECRET)},
        ),
        anon_client.post("/api/v1/payments/webhook/hosted/", data=body, content_type="application/json"),
        anon_client.post(  # a non-ASCII signature: refused, not a 500 from compare_digest
            "/api/v1/payments/webhook/hosted/",
            data=body,
            content_type="application/json",
            headers={SIGNATURE_HEADER: f"t={int(time.time())},v1=\u00e9"},
        ),
    ]
    for response in bad:
        assert response.status_code == 400 and response.json()["code"] == "invalid_signature"
    assert _signed_post(anon_client, body, gateway="sandbox").status_code == 404
    for malformed in (b"[1]", b"{", b'{"id": "e1", "type": "charge.maybe", "data": {"idempotency_key": "x"}}'):
        response = _signed_post(anon_client, malformed)
        assert response.status_code == 400 and response.json()["code"] == "invalid_event"
    unknown = json.dumps({"id": "e2", "type": "charge.succeeded", "data": {"idempotency_key": "pay_x"}}).encode()
    assert _signed_post(anon_client, unknown).status_code == 404
    assert Order.objects.get(pk=order.pk).status == "pending_payment" and not WebhookEvent.objects.exists()


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_hosted_provider_delivers_its_webhook_through_celery(hosted, celery_worker, user, variant):
    order = place_order(user, variant)
    assert client_for(user).post(f"/api/v1/orders/{order.pk}/pay/", {"card_number": GOOD}).status_code == 202
    assert _eventually(lambda: Order.objects.get(pk=order.pk).status == "paid")
    assert WebhookEvent.objects.filter(gateway="hosted").count() == 1


@pytest.mark.django_db
def test_hosted_pay_on_the_order_page_says_the_payment_is_being_confirmed(hosted, client, user, variant):
    order = place_order(user, variant)
    client.force_login(user)
    response = client.post(f"/orders/{order.pk}/pay/", {"card_number": GOOD}, follow=True)
    assert "being confirmed" in response.content.decode()
    assert Order.objects.get(pk=order.pk).status == "pending_payment"


def test_beat_runs_the_payments_sweep(settings):
    assert {"task": "shop.payments_sweep", "schedule": 60.0} in settings.CELERY_BEAT_SCHEDULE.values()


@pytest.mark.django_db
def test_expiry_leaves_orders_with_a_payment_in_flight_and_does_not_spin_on_them(user, variant):
    order = place_order(user, variant)
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    payment_flow.attempt_create(order=order, card_last4="4242")
    assert orders.orders_expire_unpaid(batch_size=1) == (0, False)  # has_more would re-queue at once
    assert Order.objects.get(pk=order.pk).status == "pending_payment"


@pytest.mark.django_db
def test_the_sweep_moves_what_it_cannot_settle_to_the_back(user, variant, settings):
    settings.PAYMENT_SWEEP_AFTER_SECONDS = 0
    order = place_order(user, variant)
    attempt = payment_flow.attempt_create(order=order, card_last4="4242")  # the gateway never saw it
    Payment.objects.filter(pk=attempt.pk).update(status=Payment.Status.REFUNDING)  # a refund nobody finished
    Payment.objects.filter(pk=attempt.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    settled, has_more = payment_flow.payments_sweep(batch_size=1)
    assert not has_more or settled == 1
    touched = Payment.objects.get(pk=attempt.pk)
    assert touched.status == Payment.Status.REFUNDED or touched.updated_at > timezone.now() - timedelta(minutes=1)
