"""Payment gateways: one small interface, chosen by name in settings.PAYMENT_GATEWAY.

A real provider is added by writing a class with `charge` and `refund` and putting it
in GATEWAYS; the order services never know which one runs.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from redbook import numbers
from redbook.exceptions import Invalid


@dataclass(frozen=True)
class ChargeResult:
    succeeded: bool
    reference: str = ""
    message: str = ""


class PaymentGateway(Protocol):
    name: str

    def charge(self, *, amount: Decimal, currency: str, card_number: str, reference: str) -> ChargeResult:
        """Charge the card; `reference` (the order number) lets a provider dedupe retries."""

    def refund(self, *, charge_reference: str, amount: Decimal, currency: str) -> None:
        """Give `amount` of the charge back to the card."""


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
    """Test cards only: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined."""

    name = "sandbox"
    SUCCESS_CARD = "4242424242424242"
    DECLINED_CARD = "4000000000000002"

    def charge(self, *, amount: Decimal, currency: str, card_number: str, reference: str) -> ChargeResult:
        if card_number == self.SUCCESS_CARD:
            return ChargeResult(succeeded=True, reference=f"sandbox_{reference}")
        if card_number == self.DECLINED_CARD:
            return ChargeResult(succeeded=False, message=str(_("Your card was declined.")))
        return ChargeResult(succeeded=False, message=str(_("The sandbox accepts only its test cards.")))

    def refund(self, *, charge_reference: str, amount: Decimal, currency: str) -> None:
        return None


GATEWAYS: dict[str, PaymentGateway] = {SandboxGateway.name: SandboxGateway()}


def get_gateway() -> PaymentGateway:
    return GATEWAYS[settings.PAYMENT_GATEWAY]
