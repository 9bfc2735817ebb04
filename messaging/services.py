"""Message writes: start a conversation, send, read, accept, delete, moderate.

Every write commits first and pushes after (`realtime.push_on_commit`): the database
is the record, the socket only a hint that something new is there.

Sends to one conversation are serialized by a lock on its row, so message ids commit
in increasing order per conversation: a client that has read up to id N and asks for
`after=N` can never miss a message committed later with a smaller id.
"""

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Block, Follow, User
from messaging import realtime, selectors
from messaging.cards import message_card
from messaging.models import Conversation, Membership, Message
from moderation import services as moderation
from notifications.services import notifications_save
from notifications.system import system_notification
from posts.models import Note
from redbook import numbers
from redbook.exceptions import Forbidden, Invalid
from redbook.images import load_image, make_rendition
from shop.models import Product

IMAGE_SIZE = 1600  # px, longest side of a photo in a chat
BODY_MAX = 2000
KEY_MAX = 64
TARGET_TYPE = "message"  # moderation's target type for messages


def _ensure_can_send(user: User) -> None:
    if not user.is_active or user.is_suspended:
        raise Forbidden(_("This account is suspended."), code="suspended")


def _ensure_may_reach(sender: User, recipient: User) -> None:
    """Blocked either way, or an account that is gone: 403, and nothing is delivered."""
    if Block.objects.between(sender, recipient):
        raise Forbidden(_("You cannot message this account."), code="blocked")
    if not recipient.is_active or recipient.is_suspended:
        raise Forbidden(_("You cannot message this account."), code="unavailable")


def _lands_in_inbox(*, recipient: User, sender: User) -> bool:
    """Brands get everything in the inbox; others only from accounts they follow."""
    return recipient.is_brand or Follow.objects.filter(follower=recipient, followee=sender).exists()


# --- Conversations -------------------------------------------------------------------


def conversation_start(*, user: User, other: User) -> tuple[Conversation, bool]:
    """The pair's conversation, created if new (one per pair): (conversation, created).

    The starter sees it at once; the other side only when a first message arrives."""
    _ensure_can_send(user)
    if user.pk == other.pk:
        raise Invalid(_("You cannot message yourself."), code="self_message")
    _ensure_may_reach(user, other)
    low, high = sorted((user.pk, other.pk))
    existing = Conversation.objects.filter(user_low_id=low, user_high_id=high).first()
    if existing is not None:
        Membership.objects.filter(conversation=existing, user=user, is_hidden=True).update(is_hidden=False)
        return existing, False
    now = timezone.now()
    folder = Membership.Folder.INBOX if _lands_in_inbox(recipient=other, sender=user) else Membership.Folder.REQUESTS
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(user_low_id=low, user_high_id=high)
            Membership.objects.bulk_create(
                [
                    Membership(conversation=conversation, user=user, other=other, updated_at=now),
                    Membership(
                        conversation=conversation, user=other, other=user, folder=folder, is_hidden=True, updated_at=now
                    ),
                ]
            )
    except IntegrityError:  # the other side started it at the same moment
        return Conversation.objects.get(user_low_id=low, user_high_id=high), False
    return conversation, True


def conversation_accept(*, user: User, conversation_id) -> Membership:
    membership = selectors.membership_get(user=user, conversation_id=conversation_id)
    Membership.objects.filter(pk=membership.pk).update(folder=Membership.Folder.INBOX, is_hidden=False)
    membership.folder, membership.is_hidden = Membership.Folder.INBOX, False
    _push_unread(user.pk)
    return membership


def conversation_delete(*, user: User, conversation_id) -> None:
    """Decline a request or delete a conversation: hidden for this side, read up to now,
    back when a new message arrives. The other side keeps its history."""
    membership = selectors.membership_get(user=user, conversation_id=conversation_id)
    with transaction.atomic():
        newest = Message.objects.filter(conversation_id=membership.conversation_id).order_by("-id")
        last_id = newest.values_list("id", flat=True).first() or 0
        Membership.objects.filter(pk=membership.pk).update(is_hidden=True, unread_count=0, last_read_id=last_id)
        _push_unread(user.pk)


# --- Sending -------------------------------------------------------------------------


def _shared_note(sender: User, raw_id) -> Note | None:
    """A note the sender may see (published, not hidden, no block), or 400."""
    if raw_id in (None, ""):
        return None
    pk = numbers.parse_id(raw_id)
    visible = Note.objects.visible_to(sender).filter(status=Note.Status.PUBLISHED)
    note = None if pk is None else visible.filter(pk=pk).first()
    if note is None:
        raise Invalid(_("No such note."), code="invalid_note")
    return note


def _shared_product(raw_id) -> Product | None:
    """A listed product (not delisted by moderation, not withdrawn by its brand), or 400."""
    if raw_id in (None, ""):
        return None
    pk = numbers.parse_id(raw_id)
    listed = Product.objects.filter(is_listed=True, is_delisted=False)
    product = None if pk is None else listed.filter(pk=pk).first()
    if product is None:
        raise Invalid(_("No such product."), code="invalid_product")
    return product


def _clean_key(key: str | None) -> str:
    key = (key or "").strip()
    if len(key) > KEY_MAX:
        raise Invalid(_("Idempotency-Key is too long."), code="invalid_idempotency_key")
    return key


def message_send(
    *,
    sender: User,
    conversation_id,
    body: str = "",
    note_id=None,
    product_id=None,
    image=None,
    idempotency_key: str | None = None,
) -> tuple[Message, bool]:
    """Send a message: (message, created). The same Idempotency-Key again returns the
    first message. A "hold" spam keyword keeps it hidden for review, delivered to nobody."""
    _ensure_can_send(sender)
    key = _clean_key(idempotency_key)
    body = (body or "").strip()
    if len(body) > BODY_MAX:
        raise Invalid(_("A message is at most %(max)d characters.") % {"max": BODY_MAX}, code="too_long")
    membership = selectors.membership_get(user=sender, conversation_id=conversation_id)
    if key:
        existing = Message.objects.filter(sender=sender, idempotency_key=key).first()
        if existing is not None:
            return existing, False
    _ensure_may_reach(sender, membership.other)
    note = _shared_note(sender, note_id)
    product = _shared_product(product_id)
    rendition = (
        make_rendition(load_image(image, max_side=IMAGE_SIZE), max_size=IMAGE_SIZE, fmt="JPEG") if image else None
    )
    if not (body or note or product or rendition):
        raise Invalid(_("Write a message, or attach a note, a product or a photo."), code="empty")
    held = moderation.check_spam(body) if body else False
    try:
        with transaction.atomic():
            message = _insert(membership, sender, body=body, note=note, product=product, rendition=rendition, key=key)
            if held:
                moderation.hold_for_review(target_type=TARGET_TYPE, target=message)
            else:
                _deliver(message, membership)
    except IntegrityError:
        existing = Message.objects.filter(sender=sender, idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return existing, False  # the same key raced in from another request
    return message, True


def _insert(membership: Membership, sender: User, *, body, note, product, rendition, key) -> Message:
    # The conversation's row lock orders concurrent sends (see the module docstring).
    Conversation.objects.select_for_update().filter(pk=membership.conversation_id).first()
    message = Message(
        conversation_id=membership.conversation_id,
        sender=sender,
        body=body,
        note=note,
        product=product,
        idempotency_key=key,
    )
    if rendition is not None:
        message.image.save(rendition.content.name, rendition.content, save=False)
    message.save()
    return message


def _deliver(message: Message, sender_side: Membership) -> None:
    """Both sides' inbox rows move to the top; the recipient's unread count grows; the
    recipient is told of the conversation's first message; both are pushed after commit."""
    now = message.created_at
    recipient = sender_side.other
    # Replying reads the conversation (and accepts a request).
    Membership.objects.filter(pk=sender_side.pk).update(
        last_message=message,
        updated_at=now,
        is_hidden=False,
        folder=Membership.Folder.INBOX,
        last_read_id=message.pk,
        unread_count=0,
    )
    theirs = Membership.objects.select_for_update().get(conversation_id=message.conversation_id, user=recipient)
    first_message = theirs.last_message_id is None
    if theirs.folder == Membership.Folder.REQUESTS and _lands_in_inbox(recipient=recipient, sender=message.sender):
        theirs.folder = Membership.Folder.INBOX
    Membership.objects.filter(pk=theirs.pk).update(
        last_message=message,
        updated_at=now,
        is_hidden=False,
        folder=theirs.folder,
        unread_count=F("unread_count") + 1,
    )
    event = {"type": "message", "conversation_id": message.conversation_id}
    message.note_visible = True  # the sender shared it, so could see it
    sender_card = message_card(message, request=None, other_read_id=0)
    sender_unread = selectors.unread_total(user=message.sender)
    realtime.push_on_commit([message.sender_id], {**event, "message": sender_card, "unread_count": sender_unread})
    if message.note_id is not None:  # a block or a suspension the recipient must not see through
        message.note_visible = Note.objects.visible_to(recipient).filter(pk=message.note_id).exists()
    card = message_card(message, request=None, other_read_id=0)
    del message.note_visible
    recipient_unread = selectors.unread_total(user=recipient)
    realtime.push_on_commit([recipient.pk], {**event, "message": card, "unread_count": recipient_unread})
    read = {"type": "read", "conversation_id": message.conversation_id, "up_to": message.pk}
    realtime.push_on_commit([recipient.pk], read)
    if first_message:  # after the message's push, so clients see the message first
        _notify_first_message(message, recipient_id=recipient.pk)


def _notify_first_message(message: Message, *, recipient_id: int) -> None:
    row = system_notification(
        recipient_id=recipient_id,
        kind="message_new",
        data={"name": message.sender.name, "url": f"/messages/{message.conversation_id}/"},
        dedupe_key=f"message:first:{message.conversation_id}:{recipient_id}",
    )
    row.actor_id = message.sender_id
    notifications_save([row])


def _push_unread(user_id: int) -> None:
    realtime.push_on_commit(
        [user_id], {"type": "unread", "unread_count": selectors.unread_total(user=User(pk=user_id))}
    )


# --- Reading -------------------------------------------------------------------------


def conversation_read(*, user: User, conversation_id, up_to) -> int:
    """Mark the conversation read up to a message id (never backwards); the other side's
    sockets get a read receipt, the reader's other tabs the new unread count."""
    membership = selectors.membership_get(user=user, conversation_id=conversation_id)
    up_to_id = numbers.parse_id(up_to)
    if up_to_id is None or not Message.objects.filter(pk=up_to_id, conversation_id=membership.conversation_id).exists():
        raise Invalid(_("up_to must be a message of this conversation."), code="invalid_up_to")
    with transaction.atomic():
        mine = Membership.objects.select_for_update().get(pk=membership.pk)
        if up_to_id <= mine.last_read_id:
            return mine.last_read_id
        unread = (
            Message.objects.filter(conversation_id=mine.conversation_id, pk__gt=up_to_id, is_hidden=False)
            .exclude(sender=user)
            .count()
        )
        Membership.objects.filter(pk=mine.pk).update(last_read_id=up_to_id, unread_count=unread)
        event = {"type": "read", "conversation_id": mine.conversation_id, "up_to": up_to_id}
        realtime.push_on_commit([mine.other_id], event)
        realtime.push_on_commit([user.pk], {**event, "unread_count": selectors.unread_total(user=user)})
    return up_to_id


# --- Moderation ----------------------------------------------------------------------


def message_sides_refresh(*, message: Message, restored: bool = False) -> None:
    """After a message was taken down or restored (moderation flips `is_hidden`): both
    sides' inbox previews and unread counts are rebuilt from what is visible.

    A restored message (one a spam keyword held, say) was never delivered: the recipient
    gets it as a send would give it (the conversation unhidden, moved up, into the inbox
    if they follow the sender, the first message's notification), unless they had read
    past it or a block now stands between the two."""
    sides = list(Membership.objects.filter(conversation_id=message.conversation_id).select_related("user", "other"))
    for side in sides:
        deliver = (
            restored
            and side.user_id != message.sender_id
            and message.pk > side.last_read_id
            and not Block.objects.between(side.user, side.other)
        )
        _refresh_side(side, delivered=message if deliver else None)


def _refresh_side(side: Membership, *, delivered: Message | None = None) -> None:
    visible = Message.objects.filter(conversation_id=side.conversation_id, is_hidden=False)
    last = visible.order_by("-id").first()
    unread = visible.filter(pk__gt=side.last_read_id).exclude(sender_id=side.user_id).count()
    fields: dict = {"last_message": last, "unread_count": unread}
    if delivered is not None:
        folder = side.folder
        if folder == Membership.Folder.REQUESTS and _lands_in_inbox(recipient=side.user, sender=side.other):
            folder = Membership.Folder.INBOX
        later = Greatest(F("updated_at"), Value(delivered.created_at))
        fields.update(is_hidden=False, folder=folder, updated_at=later)
    Membership.objects.filter(pk=side.pk).update(**fields)
    _push_unread(side.user_id)
    if delivered is None:
        return
    Membership.objects.filter(conversation_id=side.conversation_id, user_id=delivered.sender_id).update(
        updated_at=Greatest(F("updated_at"), Value(delivered.created_at))
    )
    delivered.is_hidden = False
    event = {"type": "message", "conversation_id": side.conversation_id}
    delivered.note_visible = True  # the sender shared it, so could see it
    realtime.push_on_commit(
        [delivered.sender_id], {**event, "message": message_card(delivered, request=None, other_read_id=0)}
    )
    if delivered.note_id is not None:
        delivered.note_visible = Note.objects.visible_to(side.user).filter(pk=delivered.note_id).exists()
    realtime.push_on_commit(
        [side.user_id], {**event, "message": message_card(delivered, request=None, other_read_id=0)}
    )
    del delivered.note_visible
    if side.last_message_id is None:  # held since the first message: never announced
        _notify_first_message(delivered, recipient_id=side.user_id)
