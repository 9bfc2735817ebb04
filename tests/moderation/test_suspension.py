"""A suspended account cannot log in, post, comment, buy or sell (API, pages, services)."""

import pytest

from moderation import services
from posts import services as posts_services
from posts.models import Comment, Note
from redbook.exceptions import Forbidden
from shop import orders as shop_orders
from shop import services as shop_services
from tests.conftest import client_for
from tests.posts.conftest import upload

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-9"  # tests.factories.UserFactory


@pytest.fixture
def suspended(other_user, moderator):
    client = client_for(other_user)  # a token issued before the suspension
    services.target_take_down(target_type="user", target_id=other_user.pk, moderator=moderator, reason="spam")
    other_user.refresh_from_db()
    return other_user, client


def test_cannot_log_in_by_token_or_page(suspended, client):
    user, _ = suspended

    token = client.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
    page = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})

    assert token.status_code in (400, 401, 403) and "token" not in token.json()
    assert "_auth_user_id" not in client.session
    assert page.status_code != 302 or "login" in page.headers.get("Location", "")


def test_an_open_session_ends(other_user, moderator, client):
    client.force_login(other_user)
    assert client.get("/api/v1/me/").status_code == 200

    services.target_take_down(target_type="user", target_id=other_user.pk, moderator=moderator)

    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_old_tokens_cannot_post_comment_or_follow(suspended, note, user):
    _, client = suspended

    assert client.post("/api/v1/notes/", {"title": "hi", "images": [upload()]}).status_code == 401
    assert client.post(f"/api/v1/notes/{note.pk}/comments/", {"body": "hi"}).status_code == 401
    assert client.post(f"/api/v1/users/{user.username}/follow/").status_code == 401
    assert not Comment.objects.filter(body="hi").exists()


def test_services_refuse_a_suspended_author_buyer_or_seller(suspended, note, brand, moderator):
    user, _ = suspended
    services.target_take_down(target_type="user", target_id=brand.pk, moderator=moderator)
    brand.refresh_from_db()
    notes_before = Note.objects.count()

    with pytest.raises(Forbidden):
        posts_services.note_create(author=user, title="spam", images=[upload()])
    with pytest.raises(Forbidden):
        posts_services.comment_create(author=user, note=note, body="spam")
    with pytest.raises(Forbidden):
        shop_orders.order_checkout(
            buyer=user,
            idempotency_key="k1",
            shipping_address={
                "name": "A",
                "phone": "1",
                "line1": "x",
                "city": "y",
                "postal_code": "1",
                "country": "CN",
            },
        )
    with pytest.raises(Forbidden):
        shop_services.product_create(brand=brand, name="Fake", variants=[{"name": "one", "price": "9.90", "stock": 1}])
    assert Note.objects.count() == notes_before
