"""Payment gateways: one small interface, chosen by name in settings.PAYMENT_GATEWAY.

A gateway is an outside service: the order code calls it outside any database
transaction (shop/payment_flow.py), always with the attempt's idempotency key, so a
retried call never charges twice and `status` can tell after a crash what happened.

Two sandboxes behave as providers do, each keeping its own ledger (`GatewayCharge`):
- `sandbox` answers a charge at once (succeeded or declined);
- `hosted` answers "processing" and confirms later by a signed webhook
  (`POST /api/v1/payments/webhook/hosted/`), as hosted checkouts do.
Test cards for both: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined.
"""

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from outbox.services import send_or_park
from redbook import numbers
from redbook.exceptions import Invalid
from shop.models import GatewayCharge

SUCCEEDED, DECLINED, PROCESSING, NOT_FOUND = "succeeded", "declined", "processing", "not_found"
SIGNATURE_HEADER = "X-RedBook-Signature"


@dataclass(frozen=True)
class GatewayResult:
    status: str  # SUCCEEDED | DECLINED | PROCESSING | NOT_FOUND
    reference: str = ""
    message: str = ""


class GatewayUnavailable(Exception):
    """The provider could not be reached or answered garbage: the outcome is unknown."""


class PaymentGateway(Protocol):
    name: str

    def charge(self, *, key: str, amount: Decimal, currency: str, card_number: str) -> GatewayResult:
        """Charge the card once per `key`; the same key again returns the first result."""

    def refund(self, *, key: str, charge_key: str, amount: Decimal, currency: str) -> GatewayResult:
        """Give the charge `charge_key` back, once per `key`."""

    def status(self, *, key: str) -> GatewayResult:
        """What became of the charge or refund made with `key` (NOT_FOUND: never made)."""


def normalize_card_number(raw: str) -> str:
    """Digits only; 400 for anything that cannot be a card number (Luhn check)."""
    digits = "".join(str(raw or "").split()).replace("-", "")
    if not numbers.is_ascii_digits(digits) or not 12 <= len(digits) <= 19 or not _luhn_ok(digits):
        raise Invalid(_("Enter a valid card number."), code="invalid_card")
    return digits


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


class SandboxGateway:
    """A provider that answers at once, with a ledger keyed by idempotency key."""

    name = "sandbox"
    SUCCESS_CARD = "4242424242424242"
    DECLINED_CARD = "4000000000000002"

    def charge(self, *, key: str, amount: Decimal, currency: str, card_number: str) -> GatewayResult:
        if card_number == self.SUCCESS_CARD:
            status, message = SUCCEEDED, ""
        elif card_number == self.DECLINED_CARD:
            status, message = DECLINED, str(_("Your card was declined."))
        else:
            status, message = DECLINED, str(_("The sandbox accepts only its test cards."))
        entry = self._ledger_add(
            key=key, kind="charge", status=status, amount=amount, currency=currency, card=card_number, message=message
        )
        return self._answer(entry)

    def refund(self, *, key: str, charge_key: str, amount: Decimal, currency: str) -> GatewayResult:
        charge = GatewayCharge.objects.filter(gateway=self.name, key=charge_key, kind="charge").first()
        status = SUCCEEDED if charge is not None and charge.status == SUCCEEDED else DECLINED
        entry = self._ledger_add(key=key, kind="refund", status=status, amount=amount, currency=currency)
        return self._answer(entry)

    def status(self, *, key: str) -> GatewayResult:
        entry = GatewayCharge.objects.filter(gateway=self.name, key=key).first()
        return self._final(entry) if entry else GatewayResult(NOT_FOUND)

    def _ledger_add(self, *, key, kind, status, amount, currency, card="", message="") -> GatewayCharge:
        """The first call with a key is recorded; a retry gets that record back unchanged."""
        try:
            with transaction.atomic():  # a savepoint when a caller's test wraps us in one
                return GatewayCharge.objects.create(
                    gateway=self.name,
                    key=key,
                    kind=kind,
                    status=status,
                    amount=amount,
                    currency=currency,
                    card_last4=card[-4:],
                    message=message,
                )
        except IntegrityError:
            return GatewayCharge.objects.get(key=key)

    def _answer(self, entry: GatewayCharge) -> GatewayResult:
        return self._final(entry)

    def _final(self, entry: GatewayCharge) -> GatewayResult:
        return GatewayResult(entry.status, reference=f"{self.name}_{entry.pk}", message=entry.message)


class HostedSandboxGateway(SandboxGateway):
    """A hosted provider: a charge answers "processing"; the outcome arrives by webhook.

    Its ledger settles at once (a status query knows the outcome), and the signed event
    is delivered by the Celery task `shop.hosted_sandbox_deliver`, as the provider's
    servers would post it.
    """

    name = "hosted"

    def _answer(self, entry: GatewayCharge) -> GatewayResult:
        if entry.kind == "charge":
            send_or_park("shop.hosted_sandbox_deliver", {"key": entry.key})
            return GatewayResult(PROCESSING, reference=f"{self.name}_{entry.pk}")
        return self._final(entry)

    def event_for(self, key: str) -> bytes:
        """The webhook body the provider sends for the charge made with `key`."""
        entry = GatewayCharge.objects.get(gateway=self.name, key=key)
        event = {
            "id": f"evt_{entry.pk}",
            "type": f"{entry.kind}.{entry.status}",
            "created": int(time.time()),
            "data": {
                "idempotency_key": entry.key,
                "reference": f"{self.name}_{entry.pk}",
                "amount": str(entry.amount),
                "currency": entry.currency,
                "message": entry.message,
            },
        }
        return json.dumps(event).encode()


GATEWAYS: dict[str, PaymentGateway] = {
    SandboxGateway.name: SandboxGateway(),
    HostedSandboxGateway.name: HostedSandboxGateway(),
}


def get_gateway(name: str | None = None) -> PaymentGateway:
    return GATEWAYS[name or settings.PAYMENT_GATEWAY]


# --- Webhook signatures ---------------------------------------------------------------
# Stripe's scheme: `t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. The time inside
# the signed text makes an old delivery useless to a replayer once the tolerance passes.


def webhook_signature(*, body: bytes, secret: str, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={_mac(secret, timestamp, body)}"


def webhook_signature_ok(*, body: bytes, header: str, secret: str, tolerance_s: int) -> bool:
    """True if `header` signs `body` with `secret` and was made within the tolerance."""
    if not secret:
        return False
    parts = dict(part.split("=", 1) for part in str(header or "").split(",") if "=" in part)
    timestamp = parts.get("t", "")
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        return False
    if abs(time.time() - int(timestamp)) > tolerance_s:
        return False
    signature = parts.get("v1", "")
    if not signature.isascii():  # compare_digest raises on non-ASCII text: a forged header, not a 500
        return False
    return hmac.compare_digest(signature, _mac(secret, int(timestamp), body))


def _mac(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
