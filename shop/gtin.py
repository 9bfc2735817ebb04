"""GTINs (barcodes) of products and variants: EAN-8, UPC-A, EAN-13 and GTIN-14.

A GTIN is stored as its 14-digit form (shorter ones padded with leading zeros, as
GS1 defines): UPC-A 036000291452 and EAN-13 0036000291452 are the same article, so
they must collide in the uniqueness check and be found by either spelling.
"""

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from redbook import numbers
from shop.models import Product, Variant

GTIN_LENGTHS = (8, 12, 13, 14)
STORED_LENGTH = 14


def check_digit(body: str) -> int:
    """The GS1 check digit of the digits before it: weights 3, 1, 3... from the right."""
    total = sum(int(digit) * (3 if i % 2 == 0 else 1) for i, digit in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def gtin_parse(value) -> str | None:
    """The 14-digit form of a GTIN as typed (spaces and hyphens allowed), or None when
    it is not one (wrong length, not digits, wrong check digit)."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    text = str(value).strip().replace(" ", "").replace("-", "")
    if len(text) not in GTIN_LENGTHS or not numbers.is_ascii_digits(text):
        return None
    if check_digit(text[:-1]) != int(text[-1]):
        return None
    return text.zfill(STORED_LENGTH)


def gtin_clean(value, *, field: str = "gtin") -> str:
    """A GTIN field as a brand sends it: "" (none) or the stored 14-digit form; else a
    ValidationError saying what is wrong."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    gtin = gtin_parse(value)
    if gtin is None:
        message = _("Enter a GTIN of 8, 12, 13 or 14 digits with its check digit (the barcode's number).")
        raise ValidationError({field: [message]})
    return gtin


def gtin_display(gtin: str) -> str:
    """How a stored GTIN is printed under a barcode: EAN-8 for the six leading zeros GS1
    reserves for it, else the EAN-13 form when it has one (UPC-A shows with its leading 0)."""
    if len(gtin) != STORED_LENGTH:
        return gtin
    if gtin.startswith("000000"):
        return gtin[6:]
    return gtin[1:] if gtin.startswith("0") else gtin


def gtin_lock(gtins) -> None:
    """Serialise writers of the same GTINs until commit (Postgres advisory locks), so the
    check across products and variants cannot race; the unique constraints of each table
    back it up. Call inside `transaction.atomic()`."""
    if connection.vendor != "postgresql":
        return  # SQLite writes one transaction at a time anyway
    with connection.cursor() as cursor:
        for gtin in sorted(set(gtins)):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"gtin:{gtin}"])


def gtin_ensure_free(gtin: str, *, field: str, product_id: int | None = None, variant_id: int | None = None) -> None:
    """No other product or variant carries `gtin` (a product and its own variants may not
    share one either: a lookup must name one article). Raises ValidationError."""
    if not gtin:
        return
    products = Product.objects.filter(gtin=gtin)
    if product_id is not None:
        products = products.exclude(pk=product_id)
    variants = Variant.objects.filter(gtin=gtin)
    if variant_id is not None:
        variants = variants.exclude(pk=variant_id)
    if products.exists() or variants.exists():
        message = _("GTIN %(gtin)s is already used by another product or variant.") % {"gtin": gtin_display(gtin)}
        raise ValidationError({field: [message]})
