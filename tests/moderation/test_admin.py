"""The moderation queue, audit log, spam keywords and sign-up review in the admin."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.urls import reverse

from moderation import services
from moderation.models import AuditLogEntry, ModerationCase
from posts.models import Note
from tests.conftest import requires_postgres
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
QUEUE = "admin:moderation_moderationcase_changelist"


def test_the_moderators_group_has_exactly_the_moderation_permissions():
    codenames = set(Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True))

    assert codenames == {
        "view_moderationcase",
        "moderate_content",
        "view_report",
        "view_appeal",
        "view_auditlogentry",
        "view_signupreview",
        "view_spamkeyword",
        "add_spamkeyword",
        "change_spamkeyword",
        "delete_spamkeyword",
    }


def test_the_queue_lists_cases_with_counts_reasons_and_a_preview(client, moderator, note, comment, reporters):
    for i, reporter in enumerate(reporters[:3]):
        services.report_create(
            reporter=reporter, target_type="note", target_id=str(note.pk), reason=["spam", "fake"][i % 2]
        )
    services.report_create(reporter=reporters[0], target_type="comment", target_id=str(comment.pk), reason="abuse")
    client.force_login(moderator)

    response = client.get(reverse(QUEUE))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Night cream" in html and "My honest review" in html  # the note's preview
    assert "spam.example" in html  # the comment's preview
    assert "Spam × 2" in html and "Fake review × 1" in html
    assert html.index("Night cream") < html.index("spam.example")  # most reported first
    assert f'href="/notes/{note.pk}/"' in html and f'href="/notes/{note.pk}/#comment-{comment.pk}"' in html


def test_the_queue_escapes_reported_text(client, moderator, other_user, user):
    note = Note.objects.create(author=other_user, title="<script>x</script>", body="<img src=x onerror=alert(1)>")
    services.report_create(reporter=user, target_type="note", target_id=str(note.pk), reason="spam")
    client.force_login(moderator)

    html = client.get(reverse(QUEUE)).content.decode()

    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<img src=x" not in html


def test_the_queue_page_has_bounded_queries(client, moderator, reporters, django_assert_max_num_queries):
    for i in range(30):
        note = Note.objects.create(author=reporters[i % 3], title=f"note {i}")
        services.report_create(reporter=reporters[5], target_type="note", target_id=str(note.pk), reason="spam")
    client.force_login(moderator)

    with django_assert_max_num_queries(15):
        response = client.get(reverse(QUEUE))

    assert response.status_code == 200
    assert response.content.decode().count("note 2") >= 1


def test_a_moderator_takes_down_from_the_queue_with_a_reason(client, moderator, note, user):
    services.report_create(reporter=user, target_type="note", target_id=str(note.pk), reason="fake")
    case = ModerationCase.objects.get()
    client.force_login(moderator)

    response = client.post(
        reverse(QUEUE), {"action": "take_down", "_selected_action": [case.pk], "reason": "paid review", "index": 0}
    )

    assert response.status_code == 302
    assert Note.objects.get(pk=note.pk).is_hidden
    entry = AuditLogEntry.objects.get()
    assert (entry.actor, entry.reason, entry.case_id) == (moderator, "paid review", case.pk)


def test_the_decision_form_on_a_case_page(client, moderator, note, user):
    services.report_create(reporter=user, target_type="note", target_id=str(note.pk), reason="fake")
    case = ModerationCase.objects.get()
    client.force_login(moderator)

    page = client.get(reverse("admin:moderation_moderationcase_change", args=[case.pk]))
    assert page.status_code == 200 and "Apply decision" in page.content.decode()
    assert user.username in page.content.decode()  # the reports inline

    url = reverse("admin:moderation_moderationcase_decide", args=[case.pk])
    client.post(url, {"decision": "dismissed", "reason": "satire"})
    assert ModerationCase.objects.get().status == ModerationCase.Status.DISMISSED
    assert client.get(url).status_code == 405


def test_staff_outside_the_group_cannot_see_or_decide(client, note, user):
    staff = UserFactory(is_staff=True)
    services.report_create(reporter=user, target_type="note", target_id=str(note.pk), reason="fake")
    case = ModerationCase.objects.get()
    client.force_login(staff)

    assert client.get(reverse(QUEUE)).status_code == 403
    response = client.post(reverse("admin:moderation_moderationcase_decide", args=[case.pk]), {"decision": "actioned"})
    assert response.status_code == 403
    assert not Note.objects.get(pk=note.pk).is_hidden


@pytest.mark.parametrize("name", ["moderationcase", "auditlogentry", "signupreview"])
def test_nobody_adds_changes_or_deletes_through_the_admin(client, admin_user, moderator, note, name):
    entry = services.target_take_down(target_type="note", target_id=note.pk, moderator=moderator)
    pk = {"moderationcase": entry.case_id, "auditlogentry": entry.pk, "signupreview": moderator.pk}[name]
    client.force_login(admin_user)  # even a superuser

    assert client.get(reverse(f"admin:moderation_{name}_add")).status_code == 403
    assert client.post(reverse(f"admin:moderation_{name}_delete", args=[pk]), {"post": "yes"}).status_code == 403
    change = client.post(reverse(f"admin:moderation_{name}_change", args=[pk]), {"reason": "edited"})
    assert change.status_code == 403
    assert AuditLogEntry.objects.get(pk=entry.pk).reason == ""


def test_the_audit_log_refuses_edits_in_code(note, moderator):
    entry = services.target_take_down(target_type="note", target_id=note.pk, moderator=moderator, reason="r")

    entry.reason = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditLogEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(PermissionError):
        AuditLogEntry.objects.all().delete()
    assert AuditLogEntry.objects.get(pk=entry.pk).reason == "r"


@requires_postgres
def test_the_database_refuses_edits_to_the_audit_log(note, moderator):
    entry = services.target_take_down(target_type="note", target_id=note.pk, moderator=moderator, reason="r")

    for sql in ("UPDATE moderation_auditlogentry SET reason = 'x'", "DELETE FROM moderation_auditlogentry"):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditLogEntry.objects.get(pk=entry.pk).reason == "r"


def test_spam_signups_bulk_action(client, moderator, other_user, note):
    client.force_login(moderator)

    response = client.post(
        reverse("admin:moderation_signupreview_changelist"),
        {"action": "suspend_spam_signups", "_selected_action": [other_user.pk], "index": 0},
    )

    assert response.status_code == 302
    other_user.refresh_from_db()
    assert other_user.is_suspended and other_user.suspended_reason == "Spam sign-up"
    assert Note.objects.get(pk=note.pk).is_hidden


def test_moderators_edit_spam_keywords(client, moderator):
    client.force_login(moderator)

    response = client.post(
        reverse("admin:moderation_spamkeyword_add"), {"phrase": "加微信", "action": "reject", "is_active": "on"}
    )

    assert response.status_code == 302
    from moderation.models import SpamKeyword

    assert SpamKeyword.objects.get().phrase == "加微信"


def test_open_cases_come_first_however_many_reports_a_closed_one_has(client, moderator, other_user, reporters):
    busy = Note.objects.create(author=other_user, title="closed busy")
    quiet = Note.objects.create(author=other_user, title="open quiet")
    for reporter in reporters[:4]:
        services.report_create(reporter=reporter, target_type="note", target_id=str(busy.pk), reason="spam")
    services.report_create(reporter=reporters[5], target_type="note", target_id=str(quiet.pk), reason="spam")
    services.case_dismiss(case=ModerationCase.objects.get(target_id=busy.pk), moderator=moderator)
    client.force_login(moderator)

    html = client.get(reverse(QUEUE)).content.decode()

    assert html.index("open quiet") < html.index("closed busy")


@pytest.mark.parametrize("name", ["auditlogentry", "signupreview", "spamkeyword"])
def test_the_other_admin_lists_have_bounded_queries(client, moderator, other_user, name, django_assert_max_num_queries):
    from moderation.models import SpamKeyword

    for i in range(25):
        note = Note.objects.create(author=other_user, title=f"n{i}")
        services.target_take_down(target_type="note", target_id=note.pk, moderator=moderator, reason=f"r{i}")
        SpamKeyword.objects.create(phrase=f"phrase {i}")
    UserFactory.create_batch(25)
    client.force_login(moderator)

    with django_assert_max_num_queries(12):
        response = client.get(reverse(f"admin:moderation_{name}_changelist"))

    assert response.status_code == 200
