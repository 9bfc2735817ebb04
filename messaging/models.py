"""Direct messages: one conversation per pair of accounts, one membership row per side.

The membership row holds what differs per side (folder, hidden, read position, unread
count, last activity), so the inbox is one indexed scan of the reader's own rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Conversation(models.Model):
    # The pair in id order, so "one conversation per pair" is a unique constraint.
    user_low = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    user_high = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conversation")
        constraints = [
            models.UniqueConstraint(fields=["user_low", "user_high"], name="conversation_unique_pair"),
            models.CheckConstraint(condition=Q(user_low__lt=F("user_high")), name="conversation_ordered_pair"),
        ]

    def __str__(self):
        return f"{self.user_low_id} & {self.user_high_id}"


class Membership(models.Model):
    class Folder(models.TextChoices):
        INBOX = "inbox", _("Inbox")
        REQUESTS = "requests", _("Requests")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    folder = models.CharField(max_length=10, choices=Folder.choices, default=Folder.INBOX)
    # Declined or deleted: out of the lists until the next message arrives.
    is_hidden = models.BooleanField(default=False)
    # The newest visible message and its time: what the inbox shows and sorts by.
    last_message = models.ForeignKey("Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField()
    # Messages up to this id are read by this side (read receipts for the other side).
    last_read_id = models.BigIntegerField(default=0)
    # Unread messages from the other side, kept by the services (never counted per request).
    unread_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="membership_unique_user")]
        indexes = [models.Index(fields=["user", "folder", "is_hidden", "-updated_at", "-id"], name="membership_inbox")]

    def __str__(self):
        return f"{self.user_id} in {self.conversation_id}"


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("message"), max_length=2000, blank=True)
    note = models.ForeignKey("posts.Note", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    product = models.ForeignKey("shop.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    image = models.ImageField(
        upload_to="messages/%Y/%m/", blank=True, width_field="image_width", height_field="image_height"
    )
    image_width = models.PositiveIntegerField(null=True, blank=True)
    image_height = models.PositiveIntegerField(null=True, blank=True)
    # Taken down by a moderator or held by a spam keyword: gone for both sides.
    is_hidden = models.BooleanField(default=False)
    # Per sender: the same key twice is the same message (a retried send).
    idempotency_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "idempotency_key"], condition=~Q(idempotency_key=""), name="message_idempotent_send"
            )
        ]
        indexes = [models.Index(fields=["conversation", "id"], name="message_conversation_id")]

    def __str__(self):
        return f"message {self.pk} in {self.conversation_id}"
