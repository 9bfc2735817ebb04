"""Partner writes: creation, keys (shown once, stored hashed), rotation and revocation."""

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partners import counters
from partners.models import DEFAULT_RATE_PER_MINUTE, Partner, PartnerKey, PartnerOrigin
from partners.signals import partner_click

KEY_PREFIX = "rbk_"
ROTATION_GRACE = timedelta(hours=24)  # an old key keeps working this long after a rotation
MAX_ORIGINS = 20


def key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def origin_clean(value) -> str:
    """`scheme://host[:port]` as browsers send it in `Origin` (lower case, no path, no
    default port); ValidationError for anything else."""
    text = str(value or "").strip().rstrip("/")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path
        or parts.query
        or parts.fragment
        or parts.username
        or parts.password
    ):
        message = _("“%(origin)s” is not an origin: write scheme://host[:port], e.g. https://shop.example.") % {
            "origin": text[:100]
        }
        raise ValidationError({"origins": [message]})
    default_port = {"http": 80, "https": 443}[parts.scheme]
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default_port else "")


def _new_key(partner: Partner) -> str:
    """A fresh key for `partner`; only its hash is kept, so this is the one time it is seen."""
    prefix = secrets.token_hex(4)
    raw = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    PartnerKey.objects.create(partner=partner, prefix=f"{KEY_PREFIX}{prefix}", key_hash=key_hash(raw))
    return raw


def _public_id_for(name: str) -> str:
    base = slugify(name)[:24] or "partner"
    return f"{base}-{secrets.token_hex(3)}"


def partner_create(
    *, name: str, origins, public_id: str = "", rate_per_minute: int = DEFAULT_RATE_PER_MINUTE
) -> tuple[Partner, str]:
    """Create a partner with its allowed origins; returns it and its API key (shown once)."""
    name = str(name or "").strip()
    if not name or len(name) > 120:
        raise ValidationError({"name": [_("Give the partner a name of at most 120 characters.")]})
    cleaned = origins_clean(origins)
    public_id = str(public_id or "").strip() or _public_id_for(name)
    if slugify(public_id) != public_id or len(public_id) > 40:
        raise ValidationError({"public_id": [_("A public id is lower-case letters, digits and hyphens.")]})
    with transaction.atomic():
        if Partner.objects.filter(public_id=public_id).exists():
            raise ValidationError({"public_id": [_("This public id is taken.")]})
        partner = Partner.objects.create(name=name, public_id=public_id, rate_per_minute=rate_per_minute)
        PartnerOrigin.objects.bulk_create(PartnerOrigin(partner=partner, origin=origin) for origin in cleaned)
        key = _new_key(partner)
    return partner, key


def partner_key_issue(*, partner: Partner) -> str:
    """A first key for a partner created without one (the admin's add form)."""
    return _new_key(partner)


def partner_key_rotate(*, partner: Partner, grace: timedelta = ROTATION_GRACE) -> str:
    """A new key; the keys in use now keep working for `grace`, then stop."""
    with transaction.atomic():
        ends = timezone.now() + grace
        current = PartnerKey.objects.filter(partner=partner, revoked_at__isnull=True)
        current.filter(expires_at__isnull=True).update(expires_at=ends)
        current.filter(expires_at__gt=ends).update(expires_at=ends)
        return _new_key(partner)


def partner_revoke(*, partner: Partner) -> None:
    """Stop the partner: every key refused, API and widget closed to it."""
    with transaction.atomic():
        Partner.objects.filter(pk=partner.pk).update(is_active=False)
        PartnerKey.objects.filter(partner=partner, revoked_at__isnull=True).update(revoked_at=timezone.now())
    partner.is_active = False


def partner_authenticate(raw_key) -> Partner | None:
    """The active partner whose usable key this is (one query), or None."""
    if not isinstance(raw_key, str) or not raw_key.startswith(KEY_PREFIX) or len(raw_key) > 100:
        return None
    key = PartnerKey.objects.usable().select_related("partner").filter(key_hash=key_hash(raw_key)).first()
    return key.partner if key else None


def click_record(*, partner: Partner, note_id: int | None = None, product_id: int | None = None) -> None:
    """A shopper followed a widget link back to RedBook: counted on the partner's day and
    announced (`partners.signals.partner_click`) for attribution."""
    counters.count(partner_id=partner.pk, kind="clicks")
    partner_click.send(
        sender=Partner,
        partner_id=partner.pk,
        public_id=partner.public_id,
        note_id=note_id,
        product_id=product_id,
        at=timezone.now(),
    )


def origins_clean(values) -> list[str]:
    cleaned = list(dict.fromkeys(origin_clean(origin) for origin in values if str(origin).strip()))
    if not cleaned or len(cleaned) > MAX_ORIGINS:
        raise ValidationError({"origins": [_("Give from 1 to %(n)d origins.") % {"n": MAX_ORIGINS}]})
    return cleaned


def partner_origins_set(*, partner: Partner, origins) -> None:
    """Replace the partner's allowed origins (CORS and framing follow at once)."""
    cleaned = origins_clean(origins)
    with transaction.atomic():
        PartnerOrigin.objects.filter(partner=partner).exclude(origin__in=cleaned).delete()
        PartnerOrigin.objects.bulk_create(
            [PartnerOrigin(partner=partner, origin=origin) for origin in cleaned], ignore_conflicts=True
        )
