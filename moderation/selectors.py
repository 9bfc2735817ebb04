"""Trust-and-safety reads."""

from django.db.models import Model

from accounts.models import User
from moderation.models import TargetType
from moderation.targets import target_lookup
from posts.models import Note


def reportable_target(*, target_type: str, raw_id: str, reporter: User) -> Model | None:
    """The target a reporter may report, or None (unknown, or not there for them).

    Anything that exists is reportable, taken down or not (a late report is accepted
    quietly), except someone else's draft, which the reporter never saw.
    """
    target = target_lookup(target_type, raw_id)
    if target is None:
        return None
    if target_type == TargetType.NOTE and target.status == Note.Status.DRAFT and target.author_id != reporter.pk:
        return None
    if target_type == TargetType.COMMENT and target.note.status == Note.Status.DRAFT:
        return None
    return target
