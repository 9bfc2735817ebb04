"""Background work of trust and safety: telling people the outcome of a decision."""

from celery import shared_task
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from moderation.models import AuditLogEntry, Report, TargetType
from moderation.targets import SPECS, target_get
from posts.models import Notification
from redbook.celery import RETRY_TRANSIENT

Action = AuditLogEntry.Action

TAKEDOWNS = {Action.HIDE_NOTE, Action.REMOVE_COMMENT, Action.SUSPEND_USER, Action.DELIST_PRODUCT}
RESTORES = {Action.RESTORE_NOTE, Action.RESTORE_COMMENT, Action.RESTORE_USER, Action.RELIST_PRODUCT}
AUTOMATIC = {Action.AUTO_HIDE, Action.HOLD_SPAM}
# How a notification names the target ("Your account was ...", not "Your user was ...").
NAMES = {
    TargetType.NOTE: gettext_lazy("note"),
    TargetType.COMMENT: gettext_lazy("comment"),
    TargetType.USER: gettext_lazy("account"),
    TargetType.PRODUCT: gettext_lazy("product"),
}


def _reporter_text(entry: AuditLogEntry, what: str) -> str | None:
    if entry.action in TAKEDOWNS:
        return _("Thanks for your report: we reviewed the %(what)s and took it down.") % {"what": what}
    if entry.action == Action.DISMISS:
        return _("We reviewed the %(what)s you reported and found no violation of our guidelines.") % {"what": what}
    if entry.action in RESTORES:
        return _("We reviewed the %(what)s you reported again and restored it.") % {"what": what}
    return None  # automatic holds are not an outcome yet


def _owner_text(entry: AuditLogEntry, what: str) -> str | None:
    if entry.action in AUTOMATIC:
        return _("Your %(what)s is hidden until a moderator reviews it.") % {"what": what}
    if entry.action in TAKEDOWNS:
        text = _("Your %(what)s was taken down after review.") % {"what": what}
        return f"{text} {entry.reason}".strip()
    if entry.action in RESTORES:
        return _("Your %(what)s is visible again.") % {"what": what}
    return None


@shared_task(name="moderation.notify_decision", **RETRY_TRANSIENT)
def notify_decision(entry_id: int) -> int:
    """Notify the reporters (and the content's owner) of a decision; safe to retry.

    Returns how many notifications were due (repeats are skipped by their dedupe key).
    """
    entry = AuditLogEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        return 0
    notifications = decision_notifications(entry)
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)  # dedupe_key: once each
    return len(notifications)


def decision_notifications(entry: AuditLogEntry) -> list[Notification]:
    """The notifications a decision owes (unsaved), each with its dedupe key.

    Also used by beat's catch-up sweep (reliability/sweeps.py) to find decisions whose
    task was lost.
    """
    what = str(NAMES[entry.target_type])
    rows = []
    reporter_text = _reporter_text(entry, what)
    if reporter_text and entry.case_id:
        reporter_ids = Report.objects.filter(case_id=entry.case_id).values_list("reporter_id", flat=True)
        rows += [(reporter_id, reporter_text) for reporter_id in reporter_ids]
    owner_text = _owner_text(entry, what)
    target = target_get(entry.target_type, entry.target_id) if owner_text else None
    if target is not None:
        rows.append((SPECS[entry.target_type].owner_id(target), owner_text))
    return [
        Notification(
            recipient_id=recipient_id,
            verb=Notification.Verb.SYSTEM,
            text=text[:300],
            dedupe_key=f"moderation:{entry.pk}:{recipient_id}",
        )
        for recipient_id, text in rows
    ]
