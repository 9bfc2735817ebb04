"""No endpoint lets a client set what only the server may: counts, flags, status, totals."""

import pytest

from accounts.models import User
from moderation import services as moderation_services
from posts.models import Note
from shop.models import Order, Product
from tests.conftest import client_for
from tests.posts.conftest import upload
from tests.shop.conftest import ADDRESS, make_product, put_in_cart

pytestmark = pytest.mark.django_db

USER_FLAGS = {
    "is_staff": True,
    "is_superuser": True,
    "is_verified": True,
    "is_suspended": True,
    "is_active": False,
    "followers_count": 999,
    "following_count": 999,
    "notes_count": 999,
}


def test_registration_ignores_privileged_fields(anon_client):
    response = anon_client.post(
        "/api/v1/auth/register/", {"username": "sneaky", "password": "Sunny-Day-42", **USER_FLAGS}, format="json"
    )

    assert response.status_code == 201
    user = User.objects.get(username="sneaky")
    assert not (user.is_staff or user.is_superuser or user.is_verified or user.is_suspended)
    assert user.is_active and user.followers_count == user.notes_count == 0


def test_profile_edits_ignore_privileged_fields(user, api_client):
    response = api_client.patch("/api/v1/me/", {"bio": "hi", "account_type": "brand", **USER_FLAGS}, format="json")

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.bio == "hi"
    assert not (user.is_staff or user.is_superuser or user.is_verified or user.is_suspended or user.is_brand)
    assert user.followers_count == 0


def test_notes_ignore_counters_and_moderation_flags(user, api_client):
    response = api_client.post(
        "/api/v1/notes/",
        {
            "title": "Mine",
            "images": [upload()],
            "like_count": 500,
            "view_count": 500,
            "is_hidden": "true",
            "author": "someone",
        },
    )

    assert response.status_code == 201, response.content
    note = Note.objects.get()
    assert (note.like_count, note.view_count, note.is_hidden, note.author) == (0, 0, False, user)


def test_an_author_cannot_unhide_a_note_a_moderator_hid(user, api_client, moderator):
    note = Note.objects.create(author=user, title="Mine")
    moderation_services.target_take_down(target_type="note", target_id=note.pk, moderator=moderator)

    api_client.patch(f"/api/v1/notes/{note.pk}/", {"is_hidden": False, "like_count": 9}, format="json")

    note.refresh_from_db()
    assert note.is_hidden and note.like_count == 0


def test_comments_ignore_counters_and_removal(user, api_client, other_user):
    note = Note.objects.create(author=other_user, title="Theirs")

    response = api_client.post(
        f"/api/v1/notes/{note.pk}/comments/", {"body": "nice", "like_count": 7, "is_removed": True}, format="json"
    )

    assert response.status_code == 201
    comment = note.comments.get()
    assert (comment.like_count, comment.is_removed) == (0, False)


def test_products_ignore_prices_counts_and_moderation_flags(brand):
    response = client_for(brand).post(
        "/api/v1/products/",
        {
            "name": "Serum",
            "variants": [{"name": "30 ml", "price": "99.00", "stock": 3}],
            "price_min": "0.01",
            "notes_count": 50,
            "sold_count": 50,
            "rating": "5.00",
            "is_delisted": False,
            "brand": "someone",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    product = Product.objects.get()
    assert (str(product.price_min), product.notes_count, product.sold_count, product.rating) == ("99.00", 0, 0, None)
    assert product.brand == brand


def test_a_brand_cannot_relist_what_moderation_delisted(brand, moderator):
    product = make_product(brand)
    moderation_services.target_take_down(target_type="product", target_id=product.pk, moderator=moderator)

    client_for(brand).patch(f"/api/v1/products/{product.pk}/", {"is_delisted": False}, format="json")

    assert Product.objects.get(pk=product.pk).is_delisted


def test_checkout_computes_totals_and_status_itself(user, api_client):
    variant = make_product(variants=(("50 ml", "129.00", 10),)).variants.get()
    put_in_cart(user, variant, 1)

    response = api_client.post(
        "/api/v1/checkout/",
        {"shipping_address": ADDRESS, "total": "0.01", "subtotal": "0.01", "status": "paid", "buyer": "x"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )

    assert response.status_code == 201, response.content
    order = Order.objects.get()
    assert (str(order.total), order.status, order.buyer) == ("129.00", "pending_payment", user)


def test_collections_ignore_counts(api_client):
    response = api_client.post("/api/v1/collections/", {"name": "Faves", "notes_count": 40}, format="json")

    assert response.status_code == 201
    assert response.json().get("notes_count", 0) == 0


def test_another_users_note_cannot_be_edited(api_client, other_user):
    note = Note.objects.create(author=other_user, title="Theirs")

    response = api_client.patch(f"/api/v1/notes/{note.pk}/", {"title": "Mine now"}, format="json")

    assert response.status_code in (403, 404)
    assert Note.objects.get(pk=note.pk).title == "Theirs"
