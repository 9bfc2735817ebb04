"""Attribution: the note a buyer last came from to a product, for 7 days (last touch wins).

A click from a note to a product (`POST products/{id}/click/`) remembers the note on the
visitor (the account, or a guest's session token, handed to the account at login). When
that visitor adds the product to the cart within the window, the cart line keeps the
note (`source_note_id`); checkout copies it to the order line, and the sale is the
note's when paid (analytics.receivers).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.events import event_id_for, event_record
from analytics.models import Kind, Touch
from posts.api import viewer_key
from posts.selectors import note_get_visible
from redbook import numbers
from redbook.exceptions import Invalid
from redbook.visitors import visitor_key
from shop.selectors import product_get_visible

WINDOW = timedelta(days=7)


def note_click_record(*, request, product_id, note_id) -> None:
    """A visitor followed a note's link to a product: remember the note, count the click.

    404 for a product or note the visitor may not see; 400 when the note does not
    show the product (no credit for links a note never carried).
    """
    product = product_get_visible(product_id=product_id, viewer=request.user)
    parsed_note_id = numbers.parse_id(note_id)
    if parsed_note_id is None:
        raise Invalid(_("Send the note_id of the note the click came from."), code="note_id_required")
    note = note_get_visible(viewer=request.user, note_id=parsed_note_id)
    if not note.products.filter(pk=product.pk).exists():
        raise Invalid(_("This note does not show this product."), code="product_not_in_note")
    now = timezone.now()
    touch_remember(visitor=visitor_key(request, create=True), product_id=product.pk, note_id=note.pk, at=now)
    # Once per viewer, note, product and day: a retried or repeated click counts once.
    event_record(
        event_id=event_id_for("nc", timezone.localdate(now), viewer_key(request), note.pk, product.pk),
        kind=Kind.NOTE_CLICK,
        brand_id=product.brand_id,
        product_id=product.pk,
        note_id=note.pk,
        creator_id=note.author_id,
        at=now,
    )


def touch_remember(*, visitor: str, product_id: int, note_id: int, at: datetime) -> None:
    """One upsert on the visitor's row for this product: the latest note wins."""
    Touch.objects.bulk_create(
        [Touch(visitor=visitor, product_id=product_id, note_id=note_id, touched_at=at)],
        update_conflicts=True,
        unique_fields=["visitor", "product"],
        update_fields=["note", "touched_at"],
    )


def touch_note(*, visitor: str, product_id: int, at: datetime | None = None) -> tuple[int, int] | None:
    """(note id, its author's id) the visitor last came from to this product within the window."""
    at = at or timezone.now()
    return (
        Touch.objects.filter(visitor=visitor, product_id=product_id, touched_at__gt=at - WINDOW)
        .values_list("note_id", "note__author_id")
        .first()
    )


def touches_merge(*, guest: str, account: str) -> int:
    """Hand a guest's touches to the account they signed in to, the later touch winning."""
    with transaction.atomic():
        guest_touches = list(Touch.objects.select_for_update().filter(visitor=guest))
        if not guest_touches:
            return 0
        newer_on_account = dict(
            Touch.objects.filter(visitor=account, product_id__in=[t.product_id for t in guest_touches]).values_list(
                "product_id", "touched_at"
            )
        )
        later = [
            Touch(visitor=account, product_id=t.product_id, note_id=t.note_id, touched_at=t.touched_at)
            for t in guest_touches
            if t.touched_at > newer_on_account.get(t.product_id, t.touched_at - timedelta(seconds=1))
        ]
        Touch.objects.bulk_create(
            later, update_conflicts=True, unique_fields=["visitor", "product"], update_fields=["note", "touched_at"]
        )
        Touch.objects.filter(visitor=guest).delete()
    return len(later)


def touches_prune(*, batch_size: int = 5000) -> tuple[int, bool]:
    """Delete one batch of touches past the window; returns (deleted, has_more)."""
    ids = list(Touch.objects.filter(touched_at__lte=timezone.now() - WINDOW).values_list("pk", flat=True)[:batch_size])
    Touch.objects.filter(pk__in=ids).delete()
    return len(ids), len(ids) == batch_size
