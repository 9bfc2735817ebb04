"""The report page (/report/<type>/<id>/) and the link to it on a note."""

import pytest

from moderation.models import Report

pytestmark = pytest.mark.django_db


def url(note):
    return f"/report/note/{note.pk}/"


def test_the_note_page_links_to_the_report_page(client, user, note):
    client.force_login(user)

    page = client.get(f"/notes/{note.pk}/")

    assert page.status_code == 200
    assert f'href="{url(note)}?next=' in page.content.decode()


def test_reporting_from_the_page(client, user, note):
    client.force_login(user)
    form = client.get(url(note))
    assert form.status_code == 200 and note.title in form.content.decode()

    response = client.post(url(note), {"reason": "fake", "detail": "paid", "next": f"/notes/{note.pk}/"})

    assert response.status_code == 302 and response.headers["Location"] == f"/notes/{note.pk}/"
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.detail) == (user, "fake", "paid")


def test_bad_input_shows_the_form_again_and_saves_nothing(client, user, note):
    client.force_login(user)

    response = client.post(url(note), {"reason": "boring"})

    assert response.status_code == 400
    assert not Report.objects.exists()


def test_unknown_targets_and_types_are_404(client, user, note):
    client.force_login(user)

    assert client.get("/report/note/999999/").status_code == 404
    assert client.get(f"/report/planet/{note.pk}/").status_code == 404


def test_a_taken_down_note_is_404_like_a_missing_one(client, user, note, moderator):
    from moderation.services import target_take_down

    target_take_down(target_type="note", target_id=note.pk, moderator=moderator)
    client.force_login(user)

    assert client.get(url(note)).status_code == 404
    assert client.post(url(note), {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, note):
    response = client.get(url(note))

    assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"]


def test_next_never_leaves_the_site(client, user, note):
    client.force_login(user)

    response = client.post(url(note), {"reason": "spam", "next": "https://evil.example/"})

    assert response.headers["Location"] == "/"


def test_the_page_is_rate_limited(client, user, note, settings):
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], "report": "1/min"}
    settings.REST_FRAMEWORK = rest
    client.force_login(user)
    client.post(url(note), {"reason": "spam"})

    response = client.post(url(note), {"reason": "spam"})

    assert response.status_code == 429


def test_the_report_page_speaks_chinese(client, user, note):
    client.force_login(user)
    client.cookies["django_language"] = "zh-hans"

    html = client.get(url(note), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "提交举报" in html  # from this app's catalogue (moderation/locale)
