"""Partner reads: a product by GTIN, its best community notes, the API body (cached)."""

import hashlib
import json
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.avatars import generated_avatar_url
from partners.models import Partner, PartnerOrigin
from posts.cards import NoteCard, note_cards, storage_url
from posts.models import NoteImage
from redbook.exceptions import NotFound
from shop import selectors as shop_selectors
from shop.gtin import gtin_display, gtin_parse
from shop.models import Product

CANDIDATES = 60  # the most helpful community notes considered, then ranked as below
NOTES_SHOWN = 10
VERIFIED_BONUS = 2.0  # a verified buyer's note outranks one with ~7x its likes and saves
RECENCY_DAYS = 30  # a note this old has half its recency bonus left


@dataclass(frozen=True)
class RankedNote:
    note: NoteCard
    verified_buyer: bool


def partner_by_public_id(public_id) -> Partner:
    """An active partner, or 404 (a revoked partner's widget is gone)."""
    partner = None
    if isinstance(public_id, str) and 0 < len(public_id) <= 40:
        partner = Partner.objects.filter(public_id=public_id, is_active=True).first()
    if partner is None:
        raise NotFound(_("No such partner."), code="unknown_partner")
    return partner


def origin_allowed(*, partner_id: int, origin: str) -> bool:
    return PartnerOrigin.objects.filter(partner_id=partner_id, origin=origin).exists()


def origin_of_any_partner(origin: str) -> bool:
    """For CORS preflights, which carry no key: is this the origin of an active partner?"""
    return PartnerOrigin.objects.filter(origin=origin, partner__is_active=True).exists()


def product_for_gtin(gtin) -> Product:
    """The product on sale that `gtin` names (its own code or a variant's), or 404."""
    if gtin_parse(gtin) is None:
        raise NotFound(_("That is not a GTIN (8, 12, 13 or 14 digits with a check digit)."), code="invalid_gtin")
    product = shop_selectors.product_find_by_gtin(gtin)
    if product is None:
        raise NotFound(_("No product on RedBook has this GTIN."), code="unknown_gtin")
    return product


def _score(ranked: RankedNote, now) -> float:
    note = ranked.note
    helpful = math.log1p(note.like_count + note.save_count + 2 * note.comment_count)
    age_days = max((now - note.created_at).total_seconds() / 86400, 0)
    recency = 1 / (1 + age_days / RECENCY_DAYS)
    return helpful + (VERIFIED_BONUS if ranked.verified_buyer else 0) + recency


def best_notes(*, product: Product, limit: int = NOTES_SHOWN) -> list[RankedNote]:
    """The community's public notes about the product, best first: helpful (likes, saves,
    comments), written by verified buyers, recent. Never the brand's own, never a hidden,
    removed or unpublished note (public notes only). A fixed number of queries whatever the counts."""
    ids = shop_selectors.product_notes(product=product, viewer=None, source="community").values_list("pk", flat=True)
    candidates = note_cards(list(ids[:CANDIDATES]), None)
    verified = shop_selectors.verified_buyer_note_ids(notes=candidates, product_id=product.pk)
    ranked = [RankedNote(note=note, verified_buyer=note.pk in verified) for note in candidates]
    now = timezone.now()
    ranked.sort(key=lambda r: (_score(r, now), r.note.pk), reverse=True)
    return ranked[:limit]


# --- Links out ------------------------------------------------------------------------


def ref_for(partner: Partner) -> str:
    return f"partner:{partner.public_id}"


def note_link(partner: Partner, note_id: int) -> str:
    """The widget's and the API's link to a note: through the click counter, with the ref."""
    return f"{reverse('partners:go-note', kwargs={'note_id': note_id})}?ref={ref_for(partner)}"


def product_link(partner: Partner, product_id: int) -> str:
    return f"{reverse('partners:go-product', kwargs={'product_id': product_id})}?ref={ref_for(partner)}"


# --- The API body -----------------------------------------------------------------------


def note_cover(card: NoteCard, absolute) -> dict | None:
    """The card's first image (a video note's poster) as a thumbnail."""
    if not card.images:
        return None
    image = card.images[0]
    url = storage_url(NoteImage._meta.get_field("thumb").storage, image.thumb)
    return {"url": absolute(url), "width": image.thumb_width, "height": image.thumb_height}


def _author(user, absolute) -> dict:
    if user.avatar:
        avatar = absolute(storage_url(user.avatar.storage, user.avatar.name))
    else:
        avatar = generated_avatar_url(username=user.username, name=user.name)
    return {
        "username": user.username,
        "display_name": user.name,
        "avatar_url": avatar,
        "is_verified": user.is_verified,
    }


def note_summary(ranked: RankedNote, *, partner: Partner, absolute) -> dict:
    note = ranked.note
    return {
        "id": note.pk,
        "title": note.title,
        "url": absolute(note_link(partner, note.pk)),
        "cover": note_cover(note, absolute),
        "author": _author(note.author, absolute),
        "like_count": note.like_count,
        "save_count": note.save_count,
        "comment_count": note.comment_count,
        "verified_buyer": ranked.verified_buyer,
        "created_at": note.created_at.isoformat(),
    }


def product_summary(product: Product, *, partner: Partner, absolute) -> dict:
    image = next(iter(product.images.all()), None)
    return {
        "id": product.pk,
        "name": product.name,
        "brand": {
            "username": product.brand.username,
            "display_name": product.brand.name,
            "is_verified": product.brand.is_verified,
        },
        "gtin": gtin_display(product.gtin) if product.gtin else None,
        "image_url": absolute(image.thumb.url) if image else None,
        "price_min": f"{product.price_min:.2f}",
        "price_max": f"{product.price_max:.2f}",
        "currency": product.currency,
        "url": absolute(product_link(partner, product.pk)),
    }


def notes_body(*, product: Product, partner: Partner, absolute) -> dict:
    """API.md "Partners": {product, notes_count, rating?, notes, url}."""
    ranked = best_notes(product=product)
    return {
        "product": product_summary(product, partner=partner, absolute=absolute),
        "notes_count": product.notes_count,
        "rating": f"{product.rating:.2f}" if product.rating is not None else None,
        "notes": [note_summary(r, partner=partner, absolute=absolute) for r in ranked],
        "url": absolute(product_link(partner, product.pk)),
    }


@dataclass(frozen=True)
class CachedBody:
    content: bytes
    etag: str


def cached_notes_body(*, gtin: str, partner: Partner, absolute, host: str) -> CachedBody:
    """The API body and its ETag, built at most once per PARTNER_CACHE_SECONDS per partner,
    GTIN and host: a partner's pages ask for the same few products again and again, and a
    conditional request then costs a cache read, not the notes queries. A note hidden by
    moderation leaves the body within that time (Cache-Control tells clients the same)."""
    code = gtin_parse(gtin)
    if code is None:
        product_for_gtin(gtin)  # raises the 404
    key = f"partners:notes:{partner.pk}:{code}:{hashlib.blake2s(host.encode(), digest_size=6).hexdigest()}"
    seconds = settings.PARTNER_CACHE_SECONDS
    if seconds:
        hit = cache.get(key)
        if hit is not None:
            return CachedBody(*hit)
    body = notes_body(product=product_for_gtin(code), partner=partner, absolute=absolute)
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    etag = f'"{hashlib.blake2s(content, digest_size=12).hexdigest()}"'
    if seconds:
        cache.set(key, (content, etag), seconds)
    return CachedBody(content, etag)
