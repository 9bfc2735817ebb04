"""Background work of trust and safety: telling people the outcome of a decision."""

from celery import shared_task

from moderation.models import AuditLogEntry, Report, TargetType
from moderation.targets import SPECS, target_get
from notifications.models import Notification
from notifications.services import notifications_save
from notifications.system import system_notification
from redbook.celery import RETRY_TRANSIENT

Action = AuditLogEntry.Action

TAKEDOWNS = {Action.HIDE_NOTE, Action.REMOVE_COMMENT, Action.SUSPEND_USER, Action.DELIST_PRODUCT}
RESTORES = {Action.RESTORE_NOTE, Action.RESTORE_COMMENT, Action.RESTORE_USER, Action.RELIST_PRODUCT}
AUTOMATIC = {Action.AUTO_HIDE, Action.HOLD_SPAM}


def _reporter_kind(entry: AuditLogEntry) -> str | None:
    if entry.action in TAKEDOWNS:
        return "report_taken_down"
    if entry.action == Action.DISMISS:
        return "report_dismissed"
    if entry.action in RESTORES:
        return "report_restored"
    return None  # automatic holds and appeals are not an outcome yet


def _owner_kind(entry: AuditLogEntry) -> str | None:
    if entry.action in AUTOMATIC:
        return "content_held"
    if entry.action in TAKEDOWNS:
        return "content_taken_down"
    if entry.action in RESTORES:
        return "content_restored"
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
    notifications_save(notifications)  # dedupe_key: once each
    return len(notifications)


def _owner_data(entry: AuditLogEntry, kind: str, target) -> dict:
    """The owner's message links to the content (they still see it when it is down)."""
    spec = SPECS[entry.target_type]
    data = {"what": entry.target_type, "label": spec.label(target)[:100], "url": spec.url(target)}
    if kind == "content_taken_down":
        data["reason"] = entry.reason
        # One appeal per note (moderation.services.appeal_create); the banner on its page offers it.
        data["appealable"] = entry.target_type == TargetType.NOTE
    return data


def decision_notifications(entry: AuditLogEntry) -> list[Notification]:
    """The notifications a decision owes (unsaved), each with its dedupe key.

    Also used by beat's catch-up sweep (reliability/sweeps.py) to find decisions whose
    task was lost. Reporters are not shown the content: it may be down.
    """
    rows = []
    reporter_kind = _reporter_kind(entry)
    if reporter_kind and entry.case_id:
        reporter_ids = Report.objects.filter(case_id=entry.case_id).values_list("reporter_id", flat=True)
        rows += [(reporter_id, reporter_kind, {"what": entry.target_type}, None) for reporter_id in reporter_ids]
    owner_kind = _owner_kind(entry)
    target = target_get(entry.target_type, entry.target_id) if owner_kind else None
    if target is not None:
        note_id = target.pk if entry.target_type == TargetType.NOTE else None
        owner_id = SPECS[entry.target_type].owner_id(target)
        rows.append((owner_id, owner_kind, _owner_data(entry, owner_kind, target), note_id))
    return [
        system_notification(
            recipient_id=recipient_id,
            kind=kind,
            data=data,
            note_id=note_id,
            dedupe_key=f"moderation:{entry.pk}:{recipient_id}",
        )
        for recipient_id, kind, data, note_id in rows
    ]
