"""Trust-and-safety reads."""

from django.db.models import Model
from django.utils.translation import gettext as _

from accounts.models import User
from moderation.models import Appeal, ModerationCase, TargetType
from moderation.targets import SPECS, target_lookup
from posts.models import Note
from redbook.exceptions import NotFound


def reportable_target(*, target_type: str, raw_id: str, reporter: User) -> Model | None:
    """The target a reporter may report, or None: unknown, or not there for them.

    What is taken down, deleted or someone else's draft is not there for anyone but its
    author and staff, so it answers exactly as an id that never existed: a report must
    not reveal that hidden content exists.
    """
    target = target_lookup(target_type, raw_id)
    if target is None or SPECS[target_type].is_down(target):
        return None
    visible_to = SPECS[target_type].visible_to
    if visible_to is not None and not visible_to(target, reporter):
        return None
    if target_type == TargetType.NOTE and target.status == Note.Status.DRAFT:
        return None
    if target_type == TargetType.COMMENT and not _note_is_public(target.note):
        return None
    return target


def _note_is_public(note: Note) -> bool:
    return note.status == Note.Status.PUBLISHED and not note.is_hidden


def note_of_author(*, author: User, note_id) -> Note:
    """The author's own note by a client-supplied id; NotFound for anyone else's."""
    note = target_lookup(TargetType.NOTE, str(note_id))
    if note is None or note.author_id != author.pk or note.status == Note.Status.DELETED:
        raise NotFound(_("No such note."))
    return note


def takedown_of(*, note: Note) -> tuple[ModerationCase | None, Appeal | None]:
    """The case that keeps the author's note hidden, and the author's appeal on it, if any."""
    case = ModerationCase.objects.filter(target_type=TargetType.NOTE, target_id=note.pk).first()
    appeal = Appeal.objects.filter(case=case).first() if case is not None else None
    return case, appeal
