"""Trust-and-safety writes: reports, moderator decisions, spam holds, bulk suspensions.

Every decision goes through `_record`, which writes the append-only audit log and
enqueues the outcome notifications after commit. Moderators need the
`moderation.moderate_content` permission (the "Moderators" group has it); automatic
actions (report threshold, spam hold) are logged with no actor.
"""

import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from moderation import tasks
from moderation.models import Appeal, AuditLogEntry, ModerationCase, Report, SpamKeyword, TargetType
from moderation.selectors import note_of_author, reportable_target
from moderation.targets import SPECS, target_get, target_set_down
from moderation.weights import is_new_account, reporter_weight
from outbox.services import enqueue_on_commit
from posts.models import Comment, Note
from redbook.exceptions import Conflict, Forbidden, Invalid, NotFound

Decision = ModerationCase.Status
PERMISSION = "moderation.moderate_content"


def _require_moderator(moderator: User) -> None:
    if not (moderator.is_active and moderator.has_perm(PERMISSION)):
        raise Forbidden(_("Only moderators can do this."))


def _record(
    *, action: str, target_type: str, target_id: int, moderator: User | None, reason: str, case=None
) -> AuditLogEntry:
    entry = AuditLogEntry.objects.create(
        actor=moderator,
        actor_name=moderator.get_username() if moderator else "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        case=case,
        reason=reason[:500],
    )
    enqueue_on_commit(tasks.notify_decision, entry_id=entry.pk)
    return entry


def _case_for(target_type: str, target_id: int, *, lock: bool = False) -> ModerationCase:
    case, _created = ModerationCase.objects.get_or_create(target_type=target_type, target_id=target_id)
    if lock:  # serializes reports and decisions on one target
        case = ModerationCase.objects.select_for_update().get(pk=case.pk)
    return case


# --- Reports -------------------------------------------------------------------------


@transaction.atomic
def report_create(
    *, reporter: User, target_type: str, target_id: str, reason: str, detail: str = ""
) -> tuple[Report, bool]:
    """File a report; returns (report, created). A second report by the same person
    on the same target returns the first one unchanged.

    Something taken down or deleted is not there to report: NotFound, exactly as for
    an id that never existed, so a report cannot tell whether hidden content exists.
    """
    if target_type not in SPECS:
        raise Invalid(_("Unknown target type."), code="invalid_target_type")
    target = reportable_target(target_type=target_type, raw_id=str(target_id), reporter=reporter)
    if target is None:
        raise NotFound(_("There is nothing to report here."))
    if SPECS[target_type].owner_id(target) == reporter.pk:
        raise Invalid(_("You cannot report yourself or your own content."), code="own_content")
    case = _case_for(target_type, target.pk, lock=True)
    existing = Report.objects.filter(case=case, reporter=reporter).first()
    if existing is not None:
        return existing, False
    weight, new_account = reporter_weight(reporter), is_new_account(reporter)
    report = Report.objects.create(
        case=case,
        reporter=reporter,
        reason=reason,
        detail=detail.strip()[:1000],
        weight=weight,
        from_new_account=new_account,
    )
    ModerationCase.objects.filter(pk=case.pk).update(
        report_count=F("report_count") + 1,
        report_weight=F("report_weight") + weight,
        new_account_reports=F("new_account_reports") + int(new_account),
        last_reported_at=timezone.now(),
    )
    case.refresh_from_db()
    _flag_ring(case)
    _reopen_or_auto_hide(case, target)
    return report, True


def _flag_ring(case: ModerationCase) -> None:
    """Many reports from new accounts, making up half of the target's reports or more,
    look like a coordinated ring: a signal for the moderator (it stays once raised)."""
    ring = case.new_account_reports >= settings.MODERATION_RING_REPORTS and (
        2 * case.new_account_reports >= case.report_count
    )
    if ring and not case.ring_suspected:
        case.ring_suspected = True
        case.save(update_fields=["ring_suspected"])


def _may_auto_hide(case: ModerationCase, target) -> bool:
    """Only a moderator suspends an account (a reported user just waits in the queue),
    and nothing of a staff account is ever actioned automatically."""
    spec = SPECS[case.target_type]
    if not spec.auto_hide:
        return False
    return not User.objects.filter(pk=spec.owner_id(target), is_staff=True).exists()


def _reopen_or_auto_hide(case: ModerationCase, target) -> None:
    if case.status != Decision.OPEN:
        # New reports after a decision go back to a human; no automatic take-down
        # overrides a moderator who already looked.
        case.status = Decision.OPEN
        case.save(update_fields=["status"])
        return
    if (
        case.resolved_at is None
        and not case.auto_hidden
        and case.report_weight >= settings.MODERATION_AUTO_HIDE_REPORTS
        and _may_auto_hide(case, target)
    ):
        target_set_down(case.target_type, target, down=True, reason=str(_("Reported by many people")))
        case.auto_hidden = True
        case.save(update_fields=["auto_hidden"])
        _record(
            action=AuditLogEntry.Action.AUTO_HIDE,
            target_type=case.target_type,
            target_id=case.target_id,
            moderator=None,
            reason=str(
                _("%(count)d reports weighing %(weight).2f")
                % {"count": case.report_count, "weight": case.report_weight}
            ),
            case=case,
        )


# --- Appeals -------------------------------------------------------------------------


@transaction.atomic
def appeal_create(*, author: User, note_id, reason: str) -> Appeal:
    """The author asks, once, for their taken-down note to be reviewed again: the case
    goes back to the queue with the appeal on it. NotFound for anyone else's note."""
    note = note_of_author(author=author, note_id=note_id)
    if not note.is_hidden:
        raise Conflict(_("This note is not taken down: there is nothing to appeal."), code="not_taken_down")
    reason = reason.strip()
    if not reason:
        raise Invalid(_("Tell us why the note should come back."), code="reason_required")
    case = _case_for(TargetType.NOTE, note.pk, lock=True)
    if Appeal.objects.filter(case=case).exists():
        raise Conflict(_("You have already appealed this decision."), code="already_appealed")
    appeal = Appeal.objects.create(case=case, author=author, reason=reason[:1000])
    case.status = Decision.OPEN
    case.save(update_fields=["status"])
    _record(
        action=AuditLogEntry.Action.APPEAL,
        target_type=TargetType.NOTE,
        target_id=note.pk,
        moderator=None,
        reason=reason,
        case=case,
    )
    return appeal


def _settle_appeal(case: ModerationCase, *, restored: bool) -> None:
    status = Appeal.Status.GRANTED if restored else Appeal.Status.REJECTED
    Appeal.objects.filter(case=case, status=Appeal.Status.OPEN).update(status=status, decided_at=timezone.now())


# --- Decisions -----------------------------------------------------------------------


def _decide(*, case: ModerationCase, moderator: User, reason: str, status: str, down: bool | None) -> AuditLogEntry:
    """Apply one decision to a locked case; `down` None leaves the content as it is."""
    spec = SPECS[case.target_type]
    target = target_get(case.target_type, case.target_id)
    if target is None:
        raise NotFound(_("The reported content no longer exists."))
    if down is not None:
        target_set_down(case.target_type, target, down=down, reason=reason)
    case.status = status
    case.auto_hidden = False
    case.resolved_at = timezone.now()
    case.resolved_by = moderator
    case.decision_reason = reason[:500]
    case.save(update_fields=["status", "auto_hidden", "resolved_at", "resolved_by", "decision_reason"])
    _settle_appeal(case, restored=not spec.is_down(target))
    actions = {
        Decision.ACTIONED: spec.takedown_action,
        Decision.RESTORED: spec.restore_action,
        Decision.DISMISSED: AuditLogEntry.Action.DISMISS,
    }
    return _record(
        action=actions[status],
        target_type=case.target_type,
        target_id=case.target_id,
        moderator=moderator,
        reason=reason,
        case=case,
    )


@transaction.atomic
def target_take_down(*, target_type: str, target_id: int, moderator: User, reason: str = "") -> AuditLogEntry:
    """Hide a note, remove a comment, suspend a user (revoking tokens) or delist a product."""
    _require_moderator(moderator)
    case = _case_for(target_type, target_id, lock=True)
    return _decide(case=case, moderator=moderator, reason=reason, status=Decision.ACTIONED, down=True)


@transaction.atomic
def target_restore(*, target_type: str, target_id: int, moderator: User, reason: str = "") -> AuditLogEntry:
    """Reverse a take-down (a moderator's or the automatic one)."""
    _require_moderator(moderator)
    case = _case_for(target_type, target_id, lock=True)
    return _decide(case=case, moderator=moderator, reason=reason, status=Decision.RESTORED, down=False)


@transaction.atomic
def case_dismiss(*, case: ModerationCase, moderator: User, reason: str = "") -> AuditLogEntry:
    """No violation: close the case; content hidden only by the threshold comes back."""
    _require_moderator(moderator)
    case = ModerationCase.objects.select_for_update().get(pk=case.pk)
    down = False if case.auto_hidden else None
    return _decide(case=case, moderator=moderator, reason=reason, status=Decision.DISMISSED, down=down)


def case_decide(*, case: ModerationCase, decision: str, moderator: User, reason: str = "") -> AuditLogEntry:
    """The admin's entry point: decision is "actioned", "restored" or "dismissed"."""
    if decision == Decision.DISMISSED:
        return case_dismiss(case=case, moderator=moderator, reason=reason)
    decide = {Decision.ACTIONED: target_take_down, Decision.RESTORED: target_restore}.get(decision)
    if decide is None:
        raise Invalid(_("Unknown decision."), code="invalid_decision")
    return decide(target_type=case.target_type, target_id=case.target_id, moderator=moderator, reason=reason)


# --- Spam ----------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def _normalize(text: str) -> str:
    """Fold width, case and spacing so "ＦＲＥＥ  Money" matches "free money"."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_INVISIBLE).casefold().split())


def check_spam(text: str) -> bool:
    """Screen text (a note's title and body, a comment) against staff-edited keywords.

    Raises Invalid (400, code "spam") on a "reject" keyword. Returns True when a "hold"
    keyword matches: the caller publishes the item and calls `hold_for_review`.
    Substring matching, since Chinese has no spaces between words.
    """
    normalized = _normalize(text)
    held = False
    for phrase, action in SpamKeyword.objects.filter(is_active=True).values_list("phrase", "action"):
        phrase = _normalize(phrase)
        if phrase and phrase in normalized:
            if action == SpamKeyword.Action.REJECT:
                raise Invalid(_("This looks like spam and was not posted."), code="spam")
            held = True
    return held


@transaction.atomic
def hold_for_review(*, target_type: str, target: Model) -> None:
    """Hide what a "hold" spam keyword matched and queue it for a moderator."""
    case = _case_for(target_type, target.pk, lock=True)
    target_set_down(target_type, target, down=True)
    case.status = Decision.OPEN
    case.auto_hidden = True
    case.save(update_fields=["status", "auto_hidden"])
    _record(
        action=AuditLogEntry.Action.HOLD_SPAM,
        target_type=target_type,
        target_id=target.pk,
        moderator=None,
        reason=str(_("Matched a spam keyword")),
        case=case,
    )


@transaction.atomic
def signups_suspend(*, users: Iterable[User], moderator: User, reason: str = "") -> int:
    """Bulk action on spam sign-ups: suspend each account and take down all its content.

    Returns how many accounts were newly suspended. Each account and each hidden note
    or removed comment gets its own audit entry, so every step can be reversed.
    """
    _require_moderator(moderator)
    suspended = 0
    for user in users:
        if user.is_staff:
            continue  # never lock staff out through a bulk action
        notes = Note.objects.filter(author=user, is_hidden=False).exclude(status=Note.Status.DELETED)
        comments = Comment.objects.filter(author=user, is_removed=False)
        for target_type, queryset in ((TargetType.NOTE, notes), (TargetType.COMMENT, comments)):
            for target in queryset:
                target_take_down(target_type=target_type, target_id=target.pk, moderator=moderator, reason=reason)
        if not user.is_suspended:
            target_take_down(target_type=TargetType.USER, target_id=user.pk, moderator=moderator, reason=reason)
            suspended += 1
    return suspended
