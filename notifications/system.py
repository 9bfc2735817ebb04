"""System notifications: messages from RedBook itself (moderation outcomes, orders).

A row stores its `kind` and the details (`data`, JSON) and is worded when it is read,
in the reader's language; `text` keeps an English wording for any reader that predates
a kind. `data["url"]` is where the notification leads (set when it is made, so a page of
notifications needs no query per row).
"""

from decimal import InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.models import Notification
from redbook.formats import money

# How a message names what it is about ("your account", not "your user").
WHAT = {
    "note": gettext_lazy("note"),
    "comment": gettext_lazy("comment"),
    "user": gettext_lazy("account"),
    "product": gettext_lazy("product"),
    "message": gettext_lazy("message"),
}

KINDS = {
    # To the people who reported something, once a moderator decided.
    "report_taken_down": gettext_lazy("Thanks for your report: we reviewed the %(what)s and took it down."),
    "report_dismissed": gettext_lazy("We reviewed the %(what)s you reported and found no violation of our guidelines."),
    "report_restored": gettext_lazy("We reviewed the %(what)s you reported again and restored it."),
    # To the owner of what was reported.
    "content_held": gettext_lazy("Your %(what)s is hidden until a moderator reviews it."),
    "content_taken_down": gettext_lazy("Your %(what)s was taken down after review."),
    "content_restored": gettext_lazy("Your %(what)s is visible again."),
    # Orders: to the buyer, and to the brand for a new paid order.
    "order_paid": gettext_lazy("Payment received for order %(number)s: %(amount)s."),
    "order_shipped": gettext_lazy("Order %(number)s has shipped (tracking number %(tracking)s)."),
    "order_refunded": gettext_lazy("Order %(number)s was refunded: %(amount)s is on its way back to you."),
    "order_received": gettext_lazy("New paid order %(number)s from @%(buyer)s: %(amount)s."),
    # Messages: the first message of a conversation.
    "message_new": gettext_lazy("%(name)s sent you a message."),
    # Video notes: to the author, once transcoding finished (posts/videos.py).
    "video_ready": gettext_lazy("Your video is ready: your note is published."),
    "video_failed": gettext_lazy("Your video could not be processed: open the note to see why."),
}


def _params(data: dict) -> dict:
    params = dict(data)
    if "what" in data:
        params["what"] = WHAT.get(data["what"], data["what"])
    if "amount" in data:
        params["amount"] = money(data["amount"], data.get("currency", "CNY"))
    return params


def _details(kind: str, data: dict) -> list[str]:
    """What follows the sentence: the title, a take-down's reason and how to appeal."""
    parts = []
    if data.get("label"):
        parts.append(f"“{data['label']}”")
    if kind == "content_taken_down":
        reason = (data.get("reason") or "").rstrip(" .。") or _("a breach of our guidelines")
        parts.append(_("Reason: %(reason)s.") % {"reason": reason})
        if data.get("appealable"):
            parts.append(_("You can appeal once, from the note's page."))
    return parts


def system_text(*, kind: str, data: dict, fallback: str = "") -> str:
    """The message in the active language; `fallback` for an unknown kind or bad data."""
    template = KINDS.get(kind)
    if template is None:
        return fallback
    try:
        sentence = str(template) % _params(data)
    except (KeyError, TypeError, ValueError, InvalidOperation):
        return fallback
    return " ".join([sentence, *_details(kind, data)])


def system_link_label(*, kind: str, data: dict) -> str:
    """The words of the link that opens what a system notification is about."""
    if data.get("appealable"):
        return _("See the note and appeal")
    if kind.startswith("order_"):
        return _("See the order")
    if kind.startswith("message_"):
        return _("Open the conversation")
    return _("See it")


def system_notification(*, recipient_id: int, kind: str, data: dict, dedupe_key: str, note_id=None) -> Notification:
    """An unsaved system notification (bulk-create it with ignore_conflicts: the dedupe
    key makes a retried task add nothing)."""
    with translation.override("en"):
        text = system_text(kind=kind, data=data)
    return Notification(
        recipient_id=recipient_id,
        verb=Notification.Verb.SYSTEM,
        kind=kind,
        data=data,
        text=text[:300],
        note_id=note_id,
        dedupe_key=dedupe_key,
    )
