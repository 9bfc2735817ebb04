from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Verb(models.TextChoices):
        LIKE = "like", _("liked your note")
        SAVE = "save", _("saved your note")
        COMMENT = "comment", _("commented on your note")
        REPLY = "reply", _("replied to your comment")
        MENTION = "mention", _("mentioned you")
        FOLLOW = "follow", _("started following you")
        RESHARE = "reshare", _("re-shared your note")
        SYSTEM = "system", _("system message")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    verb = models.CharField(max_length=10, choices=Verb.choices)
    # By label, not by import: a notification may be about a note or a comment, and the
    # posts app (higher up) is never imported from here.
    note = models.ForeignKey("posts.Note", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey("posts.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=300, blank=True)
    # System messages: what happened (notifications/system.py KINDS) and its details,
    # rendered in the reader's language when read; `text` is the English fallback.
    kind = models.CharField(max_length=30, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Unique per source event, so a retried task never notifies twice.
    dedupe_key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "posts_notification"  # the table it had in posts: moved without copying a row
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="posts_notif_recipie_51632d_idx"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]
