"""Issue 20 item 4: moderation outcomes are visible. System notifications (report
outcomes, take-downs with the reason and how to appeal, restorations) in the API and on
the page; the taken-down banner on the author's note; one appeal, into the queue."""

import pytest
from django.urls import reverse

from moderation import services, tasks
from moderation.models import Appeal, AuditLogEntry, ModerationCase
from notifications.models import Notification
from posts.models import Note
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
NOTIFICATIONS = "/api/v1/notifications/"
QUEUE = "admin:moderation_moderationcase_changelist"


def appeal_url(note) -> str:
    return f"/api/v1/notes/{note.pk}/appeal/"


def take_down(note, moderator, reason="Paid review without disclosure"):
    entry = services.target_take_down(target_type="note", target_id=note.pk, moderator=moderator, reason=reason)
    tasks.notify_decision(entry.pk)  # what the worker does after commit
    return entry


def restore(note, moderator):
    entry = services.target_restore(target_type="note", target_id=note.pk, moderator=moderator, reason="ok")
    tasks.notify_decision(entry.pk)
    return entry


# --- Notifications of outcomes -------------------------------------------------------------


def test_the_author_reads_the_take_down_with_its_reason_and_how_to_appeal(note, user, moderator):
    services.report_create(reporter=user, target_type="note", target_id=str(note.pk), reason="fake")
    take_down(note, moderator)

    item = client_for(note.author).get(NOTIFICATIONS).json()["results"][0]

    assert item["verb"] == "system" and item["kind"] == "content_taken_down"
    assert item["actor"] is None
    assert "Your note was taken down after review." in item["text"]
    assert "Paid review without disclosure" in item["text"] and "appeal" in item["text"]
    assert item["url"] == f"/notes/{note.pk}/"
    assert item["note"]["id"] == note.pk and item["is_read"] is False


def test_the_reporter_reads_the_outcome_without_a_link_to_the_content(note, user, moderator):
    services.report_create(reporter=user, target_type="note", target_id=str(note.pk), reason="fake")
    take_down(note, moderator)

    item = client_for(user).get(NOTIFICATIONS).json()["results"][0]

    assert item["kind"] == "report_taken_down"
    assert item["text"] == "Thanks for your report: we reviewed the note and took it down."
    assert item["url"] == "" and item["note"] is None


def test_outcomes_are_worded_in_the_readers_language(note, user, moderator):
    services.report_create(reporter=user, target_type="note", target_id=str(note.pk), reason="fake")
    take_down(note, moderator)

    author_item = client_for(note.author).get(NOTIFICATIONS, headers={"accept-language": "zh-hans"}).json()
    reporter_item = client_for(user).get(NOTIFICATIONS, headers={"accept-language": "zh-hans"}).json()

    assert author_item["results"][0]["text"].startswith("你的笔记经审核后已被下架。")
    assert "申诉" in author_item["results"][0]["text"]
    assert reporter_item["results"][0]["text"] == "感谢你的举报：我们已审核该笔记并将其下架。"


def test_the_notifications_page_shows_the_take_down_and_the_appeal_link(client, note, moderator):
    take_down(note, moderator)
    client.force_login(note.author)

    html = client.get("/notifications/").content.decode()

    assert "Your note was taken down after review." in html
    assert "Paid review without disclosure" in html
    assert f'href="/notes/{note.pk}/"' in html and "See the note and appeal" in html


def test_reading_notifications_changes_nothing_until_marked_read_by_post(client, note, moderator):
    take_down(note, moderator)
    author_api = client_for(note.author)
    client.force_login(note.author)

    client.get("/notifications/")
    client.head("/notifications/")
    author_api.get(NOTIFICATIONS)

    assert author_api.get(NOTIFICATIONS).json()["unread_count"] == 1
    assert Notification.objects.get().read_at is None
    assert "Mark all as read" in client.get("/notifications/").content.decode()

    response = client.post("/notifications/read/")

    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert Notification.objects.get().read_at is not None
    assert "Mark all as read" not in client.get("/notifications/").content.decode()


def test_marking_read_needs_a_post(client, user):
    client.force_login(user)

    assert client.get("/notifications/read/").status_code == 405


def test_the_notification_list_has_bounded_queries(note, user, moderator, django_assert_max_num_queries):
    for i in range(15):
        extra = Note.objects.create(author=note.author, title=f"note {i}")
        take_down(extra, moderator)
    author_api = client_for(note.author)

    with django_assert_max_num_queries(10):
        response = author_api.get(NOTIFICATIONS, {"page_size": 50})

    assert len(response.json()["results"]) == 15


# --- The banner and the appeal ---------------------------------------------------------------


def test_the_author_sees_the_banner_with_the_reason_and_an_appeal_form(client, note, moderator):
    take_down(note, moderator)
    client.force_login(note.author)

    html = client.get(f"/notes/{note.pk}/").content.decode()

    assert "This note was taken down" in html and "Paid review without disclosure" in html
    assert f'action="/notes/{note.pk}/appeal/"' in html


def test_a_note_hidden_by_reports_says_it_waits_for_review(client, note, reporters, settings):
    for reporter in reporters[:5]:
        services.report_create(reporter=reporter, target_type="note", target_id=str(note.pk), reason="spam")
    client.force_login(note.author)

    html = client.get(f"/notes/{note.pk}/").content.decode()

    assert "This note is hidden while a moderator reviews it" in html
    assert "This note was taken down" not in html
    assert f'action="/notes/{note.pk}/appeal/"' in html


def test_others_get_a_404_and_a_visible_note_shows_no_banner(client, note, user, moderator):
    client.force_login(note.author)
    assert "This note was taken down" not in client.get(f"/notes/{note.pk}/").content.decode()

    take_down(note, moderator)
    client.force_login(user)

    assert client.get(f"/notes/{note.pk}/").status_code == 404


def test_the_author_appeals_once_into_the_queue(note, moderator):
    take_down(note, moderator)
    author = client_for(note.author)

    first = author.post(appeal_url(note), {"reason": "The brand did not pay me."}, format="json")
    second = author.post(appeal_url(note), {"reason": "Please!"}, format="json")

    assert first.status_code == 201
    assert first.json()["status"] == "open" and first.json()["note_id"] == note.pk
    assert second.status_code == 409 and second.json()["code"] == "already_appealed"
    case = ModerationCase.objects.get()
    assert case.status == ModerationCase.Status.OPEN  # back in the queue
    assert Appeal.objects.get().reason == "The brand did not pay me."
    assert AuditLogEntry.objects.filter(action=AuditLogEntry.Action.APPEAL, actor=None).count() == 1


@pytest.mark.parametrize(
    ("who", "body", "status", "code"),
    [
        ("stranger", {"reason": "mine"}, 404, "not_found"),
        ("author", {"reason": ""}, 400, None),
        ("author", {}, 400, None),
        ("author", {"reason": "x" * 1001}, 400, None),
    ],
)
def test_bad_appeals_are_refused_and_save_nothing(note, user, moderator, who, body, status, code):
    take_down(note, moderator)
    client = client_for(note.author if who == "author" else user)

    response = client.post(appeal_url(note), body, format="json")

    assert response.status_code == status
    if code:
        assert response.json()["code"] == code
    assert not Appeal.objects.exists()


def test_a_visible_note_has_nothing_to_appeal(note):
    response = client_for(note.author).post(appeal_url(note), {"reason": "why not"}, format="json")

    assert response.status_code == 409 and response.json()["code"] == "not_taken_down"


@pytest.mark.parametrize("note_id", ["abc", "0", "99999999999999999999999"])
def test_odd_note_ids_are_404(user, note_id):
    response = client_for(user).post(f"/api/v1/notes/{note_id}/appeal/", {"reason": "r"}, format="json")

    assert response.status_code == 404


def test_anonymous_appeals_are_401(anon_client, note):
    assert anon_client.post(appeal_url(note), {"reason": "r"}, format="json").status_code == 401


def test_restoring_an_appealed_note_grants_the_appeal_and_tells_the_author(note, moderator):
    take_down(note, moderator)
    services.appeal_create(author=note.author, note_id=note.pk, reason="Not paid")

    restore(note, moderator)

    assert Appeal.objects.get().status == Appeal.Status.GRANTED
    assert not Note.objects.get(pk=note.pk).is_hidden
    newest = client_for(note.author).get(NOTIFICATIONS).json()["results"][0]
    assert newest["kind"] == "content_restored" and newest["text"].startswith("Your note is visible again.")


def test_upholding_the_take_down_rejects_the_appeal(note, moderator):
    take_down(note, moderator)
    services.appeal_create(author=note.author, note_id=note.pk, reason="Not paid")

    take_down(note, moderator, reason="Still undisclosed")

    assert Appeal.objects.get().status == Appeal.Status.REJECTED
    assert Note.objects.get(pk=note.pk).is_hidden


def test_appealing_from_the_banner(client, note, moderator):
    take_down(note, moderator)
    client.force_login(note.author)

    response = client.post(f"/notes/{note.pk}/appeal/", {"reason": "I bought it myself."})

    assert response.status_code == 302 and response["Location"] == f"/notes/{note.pk}/"
    html = client.get(f"/notes/{note.pk}/").content.decode()
    assert "Thanks. A moderator will review your appeal." in html
    assert "Your appeal:" in html and "Waiting for review" in html
    assert "This note was taken down" in html and "Paid review without disclosure" in html  # still, during review
    assert f'action="/notes/{note.pk}/appeal/"' not in html


def test_the_banner_appeal_of_someone_elses_note_is_404(client, note, user, moderator):
    take_down(note, moderator)
    client.force_login(user)

    assert client.post(f"/notes/{note.pk}/appeal/", {"reason": "mine"}).status_code == 404
    assert not Appeal.objects.exists()


def test_moderators_see_appeals_in_the_queue(client, note, moderator):
    take_down(note, moderator)
    services.appeal_create(author=note.author, note_id=note.pk, reason="The brand did not pay me.")
    client.force_login(moderator)
    case = ModerationCase.objects.get()

    queue = client.get(reverse(QUEUE), {"appeal": "open"}).content.decode()
    page = client.get(reverse("admin:moderation_moderationcase_change", args=[case.pk])).content.decode()

    assert "Night cream" in queue and "Waiting for review" in queue
    assert "The brand did not pay me." in page
