"""check_spam: staff-edited keywords reject or hold notes and comments."""

import pytest

from moderation.models import AuditLogEntry, ModerationCase, SpamKeyword
from moderation.services import check_spam, hold_for_review
from posts.models import Comment, Note
from redbook.exceptions import Invalid
from tests.posts.conftest import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def keywords(db):
    SpamKeyword.objects.create(phrase="Free Money", action=SpamKeyword.Action.REJECT)
    SpamKeyword.objects.create(phrase="加微信", action=SpamKeyword.Action.HOLD)
    SpamKeyword.objects.create(phrase="casino", action=SpamKeyword.Action.REJECT, is_active=False)


@pytest.mark.parametrize("text", ["get FREE money now", "ＦＲＥＥ　ＭＯＮＥＹ", "free\u200b money", "free \n  money"])
def test_reject_keywords_refuse_the_text(keywords, text):
    with pytest.raises(Invalid) as caught:
        check_spam(text)
    assert caught.value.code == "spam"


@pytest.mark.parametrize(
    ("text", "held"), [("好物分享，加微信领券", True), ("casino night", False), ("面霜推荐", False)]
)
def test_hold_keywords_and_inactive_ones(keywords, text, held):
    assert check_spam(text) is held


def test_holding_hides_and_queues_for_review(other_user):
    note = Note.objects.create(author=other_user, title="coupon")

    hold_for_review(target_type="note", target=note)

    assert Note.objects.get(pk=note.pk).is_hidden
    case = ModerationCase.objects.get()
    assert case.auto_hidden and case.status == ModerationCase.Status.OPEN
    assert AuditLogEntry.objects.get().action == AuditLogEntry.Action.HOLD_SPAM


def test_a_note_with_a_reject_keyword_is_refused_by_the_api(keywords, api_client):
    response = api_client.post("/api/v1/notes/", {"title": "Free money!", "body": "click", "images": [upload()]})

    assert response.status_code == 400
    assert response.json()["code"] == "spam"
    assert not Note.objects.exists()


def test_a_comment_with_a_hold_keyword_is_published_hidden_and_queued(keywords, api_client, other_user):
    note = Note.objects.create(author=other_user, title="Serum")

    response = api_client.post(f"/api/v1/notes/{note.pk}/comments/", {"body": "私信我 加微信"})

    assert response.status_code == 201
    comment = Comment.objects.get()
    assert comment.is_removed
    assert Note.objects.get(pk=note.pk).comment_count == 0
    assert ModerationCase.objects.get().target_id == comment.pk
    listed = api_client.get(f"/api/v1/notes/{note.pk}/comments/").json()["results"]
    assert comment.pk not in {item["id"] for item in listed}
