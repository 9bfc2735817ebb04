"""POST /api/v1/reports/: one report per reporter and target, quiet on removed content."""

import pytest

from moderation.models import AuditLogEntry, ModerationCase, Report
from posts.models import Note
from tests.conftest import client_for

URL = "/api/v1/reports/"
pytestmark = pytest.mark.django_db


def test_report_a_note_creates_a_case(api_client, note):
    response = api_client.post(URL, {"target_type": "note", "target_id": note.pk, "reason": "fake"}, format="json")

    assert response.status_code == 201
    assert response.data["target_type"] == "note"
    assert response.data["target_id"] == str(note.pk)
    assert response.data["reason"] == "fake"
    case = ModerationCase.objects.get(target_type="note", target_id=note.pk)
    assert case.report_count == 1
    assert case.status == ModerationCase.Status.OPEN


def test_a_second_report_by_the_same_person_returns_the_first(api_client, note):
    first = api_client.post(URL, {"target_type": "note", "target_id": note.pk, "reason": "spam"}, format="json")
    again = api_client.post(URL, {"target_type": "note", "target_id": note.pk, "reason": "abuse"}, format="json")

    assert first.status_code == 201
    assert again.status_code == 201
    assert again.data["id"] == first.data["id"]
    assert again.data["reason"] == "spam"
    assert Report.objects.count() == 1
    assert ModerationCase.objects.get().report_count == 1


@pytest.mark.parametrize("target_type", ["comment", "product"])
def test_report_comments_and_products(api_client, target_type, comment, product):
    target = {"comment": comment, "product": product}[target_type]
    response = api_client.post(URL, {"target_type": target_type, "target_id": str(target.pk), "reason": "spam"})

    assert response.status_code == 201
    assert ModerationCase.objects.filter(target_type=target_type, target_id=target.pk).exists()


def test_report_a_user_by_username(api_client, other_user):
    response = api_client.post(
        URL, {"target_type": "user", "target_id": other_user.username, "reason": "abuse", "detail": "insults me"}
    )

    assert response.status_code == 201
    assert response.data["detail"] == "insults me"
    assert ModerationCase.objects.get().target_id == other_user.pk


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"target_type": "note", "target_id": "999999", "reason": "spam"}, 404),
        ({"target_type": "note", "target_id": "abc", "reason": "spam"}, 404),
        ({"target_type": "note", "target_id": "9" * 40, "reason": "spam"}, 404),
        ({"target_type": "user", "target_id": "nobody-here", "reason": "spam"}, 404),
        ({"target_type": "planet", "target_id": "1", "reason": "spam"}, 400),
        ({"target_type": "note", "target_id": "1", "reason": "boring"}, 400),
        ({"target_type": "note", "reason": "spam"}, 400),
        ({"target_type": "note", "target_id": "1", "reason": "spam", "detail": "x" * 1001}, 400),
        ({"target_type": ["note"], "target_id": {"a": 1}, "reason": None}, 400),
    ],
)
def test_bad_reports_are_refused_and_nothing_is_saved(api_client, payload, status):
    response = api_client.post(URL, payload, format="json")

    assert response.status_code == status
    assert Report.objects.count() == 0
    assert ModerationCase.objects.count() == 0


def test_a_json_array_body_is_a_400(api_client):
    assert api_client.post(URL, [1, 2], format="json").status_code == 400


def test_anonymous_cannot_report(anon_client, note):
    response = anon_client.post(URL, {"target_type": "note", "target_id": note.pk, "reason": "spam"})

    assert response.status_code == 401
    assert Report.objects.count() == 0


def test_own_content_cannot_be_reported(note):
    response = client_for(note.author).post(URL, {"target_type": "note", "target_id": note.pk, "reason": "spam"})

    assert response.status_code == 400
    assert response.data["code"] == "own_content"


def test_someone_elses_draft_is_unknown(api_client, other_user):
    draft = Note.objects.create(author=other_user, title="Draft", status=Note.Status.DRAFT)

    response = api_client.post(URL, {"target_type": "note", "target_id": draft.pk, "reason": "spam"})

    assert response.status_code == 404


@pytest.mark.parametrize("target_type", ["note", "comment", "user", "product"])
def test_reporting_taken_down_content_answers_as_for_missing_content(
    api_client, target_type, note, comment, product, other_user, moderator
):
    from moderation.services import target_take_down

    target = {"note": note, "comment": comment, "user": other_user, "product": product}[target_type]
    target_take_down(target_type=target_type, target_id=target.pk, moderator=moderator, reason="fake review")
    missing = api_client.post(URL, {"target_type": target_type, "target_id": "987654321", "reason": "spam"})

    hidden = api_client.post(URL, {"target_type": target_type, "target_id": str(target.pk), "reason": "spam"})

    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())
    assert hidden.status_code == 404
    case = ModerationCase.objects.get(target_type=target_type)
    assert case.status == ModerationCase.Status.ACTIONED and case.report_count == 0  # not reopened
    assert AuditLogEntry.objects.count() == 1  # nothing else happened


def test_a_comment_on_a_hidden_note_answers_as_missing(api_client, note, comment, moderator):
    from moderation.services import target_take_down

    target_take_down(target_type="note", target_id=note.pk, moderator=moderator)

    response = api_client.post(URL, {"target_type": "comment", "target_id": str(comment.pk), "reason": "spam"})

    assert response.status_code == 404
    assert not Report.objects.exists()


def test_the_threshold_hides_until_reviewed(settings, note, reporters):
    settings.MODERATION_AUTO_HIDE_REPORTS = 3
    for reporter in reporters[:2]:
        client_for(reporter).post(URL, {"target_type": "note", "target_id": note.pk, "reason": "spam"})
    note.refresh_from_db()
    assert not note.is_hidden

    client_for(reporters[2]).post(URL, {"target_type": "note", "target_id": note.pk, "reason": "fake"})

    note.refresh_from_db()
    case = ModerationCase.objects.get()
    assert note.is_hidden
    assert case.auto_hidden and case.status == ModerationCase.Status.OPEN and case.report_count == 3
    entry = AuditLogEntry.objects.get()
    assert entry.action == AuditLogEntry.Action.AUTO_HIDE and entry.actor_id is None


def test_repeated_reports_by_one_person_do_not_reach_the_threshold(settings, api_client, note):
    settings.MODERATION_AUTO_HIDE_REPORTS = 2
    for reason in ["spam", "abuse", "fake"]:
        api_client.post(URL, {"target_type": "note", "target_id": note.pk, "reason": reason})

    note.refresh_from_db()
    assert not note.is_hidden


def test_after_a_dismissal_new_reports_reopen_without_auto_hiding(settings, note, reporters, moderator):
    from moderation.services import case_dismiss

    settings.MODERATION_AUTO_HIDE_REPORTS = 2
    client_for(reporters[0]).post(URL, {"target_type": "note", "target_id": note.pk, "reason": "spam"})
    case_dismiss(case=ModerationCase.objects.get(), moderator=moderator, reason="fine")

    for reporter in reporters[1:4]:
        client_for(reporter).post(URL, {"target_type": "note", "target_id": note.pk, "reason": "spam"})

    note.refresh_from_db()
    case = ModerationCase.objects.get()
    assert not note.is_hidden
    assert case.status == ModerationCase.Status.OPEN and not case.auto_hidden
