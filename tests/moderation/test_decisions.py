"""Moderator decisions through moderation.services: take down, restore, dismiss."""

import pytest

from accounts.models import ApiToken, User
from moderation import services, tasks
from moderation.models import AuditLogEntry, ModerationCase
from notifications.models import Notification
from posts.models import Comment, Note
from redbook.exceptions import Forbidden
from shop.models import Product
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def report(reporter, target_type, target_id, reason="spam"):
    return services.report_create(reporter=reporter, target_type=target_type, target_id=str(target_id), reason=reason)


def test_hiding_a_note_is_audited_and_leaves_the_authors_count(note, user, moderator):
    report(user, "note", note.pk)

    entry = services.target_take_down(target_type="note", target_id=note.pk, moderator=moderator, reason="fake")

    note.refresh_from_db()
    note.author.refresh_from_db()
    assert note.is_hidden
    assert note.author.notes_count == 0
    assert not Note.objects.public().filter(pk=note.pk).exists()
    assert (entry.actor, entry.actor_name, entry.action, entry.reason) == (
        moderator,
        moderator.username,
        AuditLogEntry.Action.HIDE_NOTE,
        "fake",
    )
    case = ModerationCase.objects.get()
    assert (case.status, case.resolved_by) == (ModerationCase.Status.ACTIONED, moderator)


def test_a_take_down_twice_changes_the_count_once(note, moderator):
    for _ in range(2):
        services.target_take_down(target_type="note", target_id=note.pk, moderator=moderator)

    note.author.refresh_from_db()
    assert note.author.notes_count == 0
    assert AuditLogEntry.objects.count() == 2  # both decisions are on record


def test_restore_reverses_a_hide(note, moderator):
    services.target_take_down(target_type="note", target_id=note.pk, moderator=moderator)

    services.target_restore(target_type="note", target_id=note.pk, moderator=moderator, reason="appeal upheld")

    note.refresh_from_db()
    note.author.refresh_from_db()
    assert not note.is_hidden and note.author.notes_count == 1
    assert ModerationCase.objects.get().status == ModerationCase.Status.RESTORED
    assert list(AuditLogEntry.objects.order_by("id").values_list("action", flat=True)) == [
        AuditLogEntry.Action.HIDE_NOTE,
        AuditLogEntry.Action.RESTORE_NOTE,
    ]


def test_removing_a_comment_leaves_the_comment_count(comment, moderator):
    services.target_take_down(target_type="comment", target_id=comment.pk, moderator=moderator)

    comment.refresh_from_db()
    assert comment.is_removed
    assert Note.objects.get(pk=comment.note_id).comment_count == 0

    services.target_restore(target_type="comment", target_id=comment.pk, moderator=moderator)
    assert Note.objects.get(pk=comment.note_id).comment_count == 1
    assert not Comment.objects.get(pk=comment.pk).is_removed


def test_suspending_a_user_revokes_tokens_and_blocks_the_api(other_user, moderator):
    client = client_for(other_user)
    assert client.get("/api/v1/me/").status_code == 200

    services.target_take_down(target_type="user", target_id=other_user.pk, moderator=moderator, reason="spam bot")

    other_user.refresh_from_db()
    assert other_user.is_suspended and other_user.suspended_reason == "spam bot"
    assert not ApiToken.objects.filter(user=other_user).exists()
    assert client.get("/api/v1/me/").status_code == 401
    assert not User.objects.active().filter(pk=other_user.pk).exists()

    services.target_restore(target_type="user", target_id=other_user.pk, moderator=moderator)
    other_user.refresh_from_db()
    assert not other_user.is_suspended


def test_delisting_a_product(product, moderator):
    services.target_take_down(target_type="product", target_id=product.pk, moderator=moderator)
    assert not Product.objects.listed().filter(pk=product.pk).exists()

    services.target_restore(target_type="product", target_id=product.pk, moderator=moderator)
    assert Product.objects.listed().filter(pk=product.pk).exists()


def test_dismissing_an_auto_hidden_case_brings_the_content_back(settings, note, reporters, moderator):
    settings.MODERATION_AUTO_HIDE_REPORTS = 2
    for reporter in reporters[:2]:
        report(reporter, "note", note.pk)
    assert Note.objects.get(pk=note.pk).is_hidden

    services.case_dismiss(case=ModerationCase.objects.get(), moderator=moderator, reason="satire")

    case = ModerationCase.objects.get()
    assert not Note.objects.get(pk=note.pk).is_hidden
    assert (case.status, case.auto_hidden) == (ModerationCase.Status.DISMISSED, False)


def test_dismissing_leaves_a_moderators_take_down_alone(note, user, moderator):
    report(user, "note", note.pk)
    services.target_take_down(target_type="note", target_id=note.pk, moderator=moderator)

    services.case_dismiss(case=ModerationCase.objects.get(), moderator=moderator)

    assert Note.objects.get(pk=note.pk).is_hidden


@pytest.mark.parametrize("action", ["target_take_down", "target_restore"])
def test_only_moderators_decide(note, user, action):
    staff = User.objects.create_user("plainstaff", password="x-long-password-1", is_staff=True)
    for actor in (user, staff):
        with pytest.raises(Forbidden):
            getattr(services, action)(target_type="note", target_id=note.pk, moderator=actor)
    assert not Note.objects.get(pk=note.pk).is_hidden
    assert not AuditLogEntry.objects.exists()


def test_reporters_and_the_author_are_told_the_outcome(note, reporters, moderator):
    for reporter in reporters[:2]:
        report(reporter, "note", note.pk)
    entry = services.target_take_down(target_type="note", target_id=note.pk, moderator=moderator, reason="fake")

    tasks.notify_decision(entry.pk)
    tasks.notify_decision(entry.pk)  # a retried task notifies nobody twice

    system = Notification.objects.filter(verb=Notification.Verb.SYSTEM)
    assert set(system.values_list("recipient_id", flat=True)) == {reporters[0].pk, reporters[1].pk, note.author_id}
    assert system.count() == 3
    assert "took it down" in system.get(recipient=reporters[0]).text
    assert "fake" in system.get(recipient=note.author).text


def test_a_dismissal_tells_the_reporter(note, user, moderator):
    report(user, "note", note.pk)
    entry = services.case_dismiss(case=ModerationCase.objects.get(), moderator=moderator)

    tasks.notify_decision(entry.pk)

    assert "no violation" in Notification.objects.get(recipient=user).text
    assert not Notification.objects.filter(recipient=note.author).exists()


def test_the_notification_task_returns_quietly_for_a_missing_entry(db):
    assert tasks.notify_decision(123456) == 0


def test_spam_signups_are_suspended_with_their_content(moderator, other_user, note, comment, brand):
    count = services.signups_suspend(users=[other_user, brand, moderator], moderator=moderator, reason="spam wave")

    assert count == 2  # the staff account in the selection is skipped
    assert Note.objects.get(pk=note.pk).is_hidden
    assert Comment.objects.get(pk=comment.pk).is_removed
    assert set(User.objects.filter(is_suspended=True)) == {other_user, brand}
    assert not User.objects.get(pk=moderator.pk).is_suspended
    assert AuditLogEntry.objects.filter(action=AuditLogEntry.Action.SUSPEND_USER).count() == 2


def test_deleting_a_hidden_note_does_not_count_it_out_twice(other_user, moderator):
    from posts import services as posts_services

    Note.objects.create(author=other_user, title="kept")
    hidden = Note.objects.create(author=other_user, title="hidden")
    User.objects.filter(pk=other_user.pk).update(notes_count=2)
    services.target_take_down(target_type="note", target_id=hidden.pk, moderator=moderator)

    posts_services.note_delete(note=hidden, actor=other_user)

    assert User.objects.get(pk=other_user.pk).notes_count == 1
