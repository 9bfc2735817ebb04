"""Messages as a moderation target (`target_type: message`).

Registered into moderation's table of targets at start-up, so moderation never imports
this app. A moderator sees the reported message with the few before it, nothing else
of the conversation; only the two sides of a conversation can report its messages.
"""

from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from messaging.models import Membership, Message
from messaging.services import message_sides_refresh
from moderation.models import AuditLogEntry, TargetType
from moderation.targets import SPECS, TargetSpec

CONTEXT_MESSAGES = 3  # shown before the reported one


def _preview(message: Message) -> str:
    before = list(
        Message.objects.filter(conversation_id=message.conversation_id, pk__lt=message.pk)
        .select_related("sender")
        .order_by("-id")[:CONTEXT_MESSAGES]
    )
    rows = [*reversed(before), message]
    lines = format_html_join(
        "",
        "<li{}>@{}: {}</li>",
        (
            (format_html(' class="{}"', "reported") if row.pk == message.pk else "", row.sender.username, _text(row))
            for row in rows
        ),
    )
    return format_html('<ol class="message-context">{}</ol>', lines)


def _text(message: Message) -> str:
    parts = [Truncator(message.body).chars(300)] if message.body else []
    if message.note_id:
        parts.append(f"[note #{message.note_id}]")
    if message.product_id:
        parts.append(f"[product #{message.product_id}]")
    if message.image:
        parts.append("[photo]")
    return " ".join(parts)


def _visible_to_reporter(message: Message, reporter) -> bool:
    return Membership.objects.filter(conversation_id=message.conversation_id, user=reporter).exists()


def _sides_refresh(message: Message, delta: int) -> None:
    # Called before moderation sets `is_hidden` on the instance: the delta says which way.
    message_sides_refresh(message=message, restored=delta > 0)


def register_message_target() -> None:
    SPECS[TargetType.MESSAGE] = TargetSpec(
        model=Message,
        flag="is_hidden",
        takedown_action=AuditLogEntry.Action.HIDE_MESSAGE,
        restore_action=AuditLogEntry.Action.RESTORE_MESSAGE,
        owner_id=lambda message: message.sender_id,
        gone=lambda message: False,
        preview=_preview,
        label=lambda message: Truncator(message.body).chars(80),
        # The conversation is private: the owner's notification leads to it, staff
        # see only the preview above.
        url=lambda message: f"/messages/{message.conversation_id}/",
        on_change=_sides_refresh,
        visible_to=_visible_to_reporter,
    )
