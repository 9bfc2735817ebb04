from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class TargetType(models.TextChoices):
    NOTE = "note", _("Note")
    COMMENT = "comment", _("Comment")
    USER = "user", _("User")
    PRODUCT = "product", _("Product")
    MESSAGE = "message", _("Message")  # the messaging app registers its spec (moderation/targets.py)


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    ABUSE = "abuse", _("Abuse or harassment")
    FAKE = "fake", _("Fake review")
    ILLEGAL = "illegal", _("Illegal")
    OTHER = "other", _("Other")


class ModerationCase(models.Model):
    """Every report about one target, grouped: the unit a moderator decides on."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACTIONED = "actioned", _("Taken down")
        DISMISSED = "dismissed", _("Dismissed")
        RESTORED = "restored", _("Restored")

    target_type = models.CharField(_("target type"), max_length=10, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField(_("target id"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    # Distinct reporters (a report is unique per reporter and target); kept by report_create.
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    # The sum of the reports' weights (moderation/weights.py): what the auto-hide threshold reads.
    report_weight = models.FloatField(_("report weight"), default=0)
    # Reports filed by accounts younger than MODERATION_NEW_ACCOUNT_DAYS.
    new_account_reports = models.PositiveIntegerField(_("reports from new accounts"), default=0)
    # Many reports from new accounts on one target: a likely report ring, shown in the queue.
    ring_suspected = models.BooleanField(_("report ring suspected"), default=False)
    # Hidden automatically at the report threshold, pending a moderator's review.
    auto_hidden = models.BooleanField(_("auto-hidden"), default=False)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    last_reported_at = models.DateTimeField(_("last reported"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.CharField(_("decision reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("moderation case")
        verbose_name_plural = _("moderation queue")
        constraints = [models.UniqueConstraint(fields=["target_type", "target_id"], name="case_unique_target")]
        indexes = [models.Index(fields=["status", "-report_count", "-last_reported_at"], name="case_queue")]
        permissions = [("moderate_content", _("Can take down, restore and dismiss reported content"))]

    def __str__(self):
        return f"{self.get_target_type_display()} #{self.target_id}"


class Report(models.Model):
    case = models.ForeignKey(ModerationCase, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made")
    reason = models.CharField(_("reason"), max_length=10, choices=ReportReason.choices)
    detail = models.CharField(_("detail"), max_length=1000, blank=True)
    # What the reporter's word counted for when they filed it (moderation/weights.py).
    weight = models.FloatField(_("weight"), default=1)
    from_new_account = models.BooleanField(_("from a new account"), default=False)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        constraints = [models.UniqueConstraint(fields=["case", "reporter"], name="report_once_per_reporter")]
        indexes = [models.Index(fields=["reporter", "-created_at"])]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.case})"


class AuditQuerySet(models.QuerySet):
    """Append-only: bulk edits and deletes are refused (Postgres also refuses them by trigger)."""

    def update(self, **kwargs):
        raise PermissionError("the moderation audit log is append-only")

    def delete(self):
        raise PermissionError("the moderation audit log is append-only")


class AuditLogEntry(models.Model):
    """Who did what to which target, when and why. Written once, never edited."""

    class Action(models.TextChoices):
        HIDE_NOTE = "hide_note", _("Hid note")
        RESTORE_NOTE = "restore_note", _("Restored note")
        REMOVE_COMMENT = "remove_comment", _("Removed comment")
        RESTORE_COMMENT = "restore_comment", _("Restored comment")
        SUSPEND_USER = "suspend_user", _("Suspended user")
        RESTORE_USER = "restore_user", _("Restored user")
        DELIST_PRODUCT = "delist_product", _("Delisted product")
        RELIST_PRODUCT = "relist_product", _("Relisted product")
        DISMISS = "dismiss", _("Dismissed reports")
        AUTO_HIDE = "auto_hide", _("Hid automatically at the report threshold")
        HOLD_SPAM = "hold_spam", _("Held for review by a spam keyword")
        APPEAL = "appeal", _("The author appealed")
        HIDE_MESSAGE = "hide_message", _("Hid message")
        RESTORE_MESSAGE = "restore_message", _("Restored message")

    # The actor may be deleted later; the log keeps their id and name as written.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(_("actor"), max_length=150, help_text=_("Empty for automatic actions."))
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    target_type = models.CharField(_("target type"), max_length=10, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField(_("target id"))
    case = models.ForeignKey(
        ModerationCase, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.actor_name or _('system')}: {self.get_action_display()} {self.target_type} #{self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the moderation audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the moderation audit log is append-only")


class Appeal(models.Model):
    """The author's one request to review a take-down again; it reopens the case."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        GRANTED = "granted", _("Granted: restored")
        REJECTED = "rejected", _("Rejected: stays down")

    case = models.OneToOneField(ModerationCase, on_delete=models.CASCADE, related_name="appeal")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("appealed"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")

    def __str__(self):
        return f"{self.get_status_display()} ({self.case})"


class SpamKeyword(models.Model):
    """A word or phrase staff maintain in the admin; matched case-insensitively inside text."""

    class Action(models.TextChoices):
        REJECT = "reject", _("Reject the post")
        HOLD = "hold", _("Publish hidden, held for review")

    phrase = models.CharField(_("phrase"), max_length=100, unique=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, default=Action.REJECT)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("spam keyword")
        ordering = ["phrase"]

    def __str__(self):
        return self.phrase


class SignupReview(User):
    """Accounts seen from the trust-and-safety side: recent sign-ups, bulk-suspended when spam."""

    class Meta:
        proxy = True
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups to review")
