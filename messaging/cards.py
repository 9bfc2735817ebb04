"""The one JSON shape of a message (API.md "Messages"), for the API, the pages' script
and the socket alike. Rendered from rows the selectors loaded with `related()`."""

from django.urls import reverse
from rest_framework.fields import DateTimeField

from accounts.api import user_card
from messaging.models import Membership, Message
from posts.models import Note

_TIME = DateTimeField()


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


def note_summary(note, *, request, visible: bool = True) -> dict | None:
    """A shared note's card, or null (unavailable) once it is not public (hidden, deleted,
    draft) or not `visible` to the reader (a block either way, a suspended author)."""
    if note is None or not visible or note.status != note.Status.PUBLISHED or note.is_hidden:
        return None
    covers = list(note.images.all()[:1])
    return {
        "id": note.pk,
        "title": note.title,
        "cover_url": _absolute(request, covers[0].thumb.url) if covers else None,
        "url": _absolute(request, reverse("posts:note-detail", args=[note.pk])),
    }


def product_summary(product, *, request) -> dict | None:
    if product is None or product.is_delisted:
        return None
    images = list(product.images.all()[:1])
    return {
        "id": product.pk,
        "name": product.name,
        "price_min": str(product.price_min),
        "price_max": str(product.price_max),
        "currency": product.currency,
        "image": _absolute(request, images[0].image.url) if images else None,
        "brand": product.brand.username,
        "url": _absolute(request, reverse("shop:product-detail", args=[product.pk])),
    }


def _note_visible(message: Message, request) -> bool:
    """Whether the reader may open the shared note: the selectors' `note_visible`
    annotation (one query per page), else asked here for the one message."""
    visible = getattr(message, "note_visible", None)
    if visible is not None or message.note_id is None:
        return visible is not False
    viewer = getattr(request, "user", None)
    return Note.objects.visible_to(viewer).filter(pk=message.note_id).exists()


def message_card(message: Message, *, request, other_read_id: int, followed: frozenset | set = frozenset()) -> dict:
    """`other_read_id`: how far the other side of the conversation has read (read receipts).
    `message.note_visible`, when set, says whether the reader may see the shared note."""
    image = None
    if message.image:
        image = {
            "url": _absolute(request, message.image.url),
            "width": message.image_width,
            "height": message.image_height,
        }
    return {
        "id": message.pk,
        "conversation_id": message.conversation_id,
        "sender": user_card(message.sender, request=request, followed=message.sender_id in followed),
        "body": message.body,
        "note": note_summary(message.note, request=request, visible=_note_visible(message, request)),
        "product": product_summary(message.product, request=request),
        "image": image,
        "created_at": _TIME.to_representation(message.created_at),
        "read_by_other": message.pk <= other_read_id,
    }


def conversation_card(membership: Membership, *, request, followed: set) -> dict:
    last = membership.last_message
    if last is not None and hasattr(membership, "last_note_visible"):
        last.note_visible = membership.last_note_visible
    return {
        "id": membership.conversation_id,
        "other": user_card(membership.other, request=request, followed=membership.other_id in followed),
        "last_message": None
        if last is None
        else message_card(last, request=request, other_read_id=membership.other_read_id, followed=followed),
        "unread_count": membership.unread_count,
        "is_request": membership.folder == Membership.Folder.REQUESTS,
        "updated_at": _TIME.to_representation(membership.updated_at),
    }
