"""A moderator's hide (and a suspension) takes content out of every list at once.

Lists covered: Follow, Explore, Nearby, search (notes and products), tag pages (API
and page), the product's notes, the author's notes, collections; plus the note's own
URLs (404 for everyone but the author and staff).
"""

import pytest
from django.utils import timezone

from accounts.models import Follow
from moderation import services
from posts import services as posts_services
from posts.models import Note
from search import indexing
from shop.models import Product, Variant
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.posts.conftest import upload

pytestmark = pytest.mark.django_db

SHANGHAI = {"lat": 31.2304, "lng": 121.4737}


@pytest.fixture
def world(other_user, brand, user):
    """`user` follows `other_user`, whose located, tagged note features `brand`'s product."""
    product = Product.objects.create(brand=brand, name="Rose serum", description="30 ml", price_min=99, price_max=99)
    Variant.objects.create(product=product, name="30 ml", price=99, stock=5)
    Follow.objects.create(follower=user, followee=other_user)
    note = posts_services.note_create(
        author=other_user,
        title="玫瑰精华 review",
        body="Loving this serum #skincare",
        images=[upload()],
        tags=["skincare"],
        place_name="Jing'an",
        product_ids=[product.pk],
        **SHANGHAI,
    )
    Note.objects.filter(pk=note.pk).update(published_at=timezone.now())
    posts_services.note_save(user=user, note=note)
    indexing.notes_index(note_ids=[note.pk])
    indexing.products_index(product_ids=[product.pk])
    return {"note": note, "product": product, "author": other_user, "viewer": user}


def viewer_client(world):
    """Token for the API, and a session for the HTML pages."""
    client = client_for(world["viewer"])
    client.force_login(world["viewer"])
    return client


def note_ids(client, url) -> set[int]:
    response = client.get(url)
    if response.status_code == 404:  # the whole list is gone (a suspended author's notes)
        return set()
    assert response.status_code == 200, (url, response.content[:300])
    return {int(item.get("id") or item["note"]["id"]) for item in response.json()["results"]}


def lists(world) -> dict[str, str]:
    note, product = world["note"], world["product"]
    collection = world["viewer"].collections.get()
    return {
        "follow": "/api/v1/feeds/follow/",
        "explore": "/api/v1/feeds/explore/",
        "nearby": f"/api/v1/feeds/nearby/?lat={SHANGHAI['lat']}&lng={SHANGHAI['lng']}",
        "search": "/api/v1/search/?q=玫瑰&type=notes",
        "tag": "/api/v1/tags/skincare/notes/",
        "author": f"/api/v1/users/{note.author.username}/notes/",
        "product notes": f"/api/v1/products/{product.pk}/notes/",
        "collection": f"/api/v1/collections/{collection.pk}/notes/",
    }


def visible_everywhere(client, world) -> dict[str, bool]:
    note_id = world["note"].pk
    seen = {name: note_id in note_ids(client, url) for name, url in lists(world).items()}
    product = client.get(f"/api/v1/products/{world['product'].pk}/").json()
    seen["product page"] = note_id in {item["id"] for item in product.get("notes", [])}
    seen["tag page"] = world["note"].title in client.get("/tags/skincare/").content.decode()
    seen["product html page"] = (
        world["note"].title in client.get(f"/shop/products/{world['product'].pk}/").content.decode()
    )
    seen["search html page"] = world["note"].title in client.get("/search/?q=玫瑰").content.decode()
    return seen


def test_a_moderators_hide_removes_the_note_from_every_list_at_once(world, moderator):
    viewer = viewer_client(world)
    assert all(visible_everywhere(viewer, world).values()), visible_everywhere(viewer, world)

    services.target_take_down(target_type="note", target_id=world["note"].pk, moderator=moderator, reason="fake")

    after = visible_everywhere(viewer, world)
    assert not any(after.values()), after


def test_hidden_notes_are_404_except_for_the_author_and_staff(world, moderator, admin_user):
    note = world["note"]
    services.target_take_down(target_type="note", target_id=note.pk, moderator=moderator)

    for client in (client_for(world["viewer"]), client_for(UserFactory())):
        assert client.get(f"/api/v1/notes/{note.pk}/").status_code == 404
        assert client.get(f"/notes/{note.pk}/").status_code == 404
        assert client.get(f"/api/v1/notes/{note.pk}/comments/").status_code == 404
    from rest_framework.test import APIClient

    assert APIClient().get(f"/api/v1/notes/{note.pk}/").status_code == 404
    assert client_for(world["author"]).get(f"/api/v1/notes/{note.pk}/").status_code == 200
    assert client_for(admin_user).get(f"/api/v1/notes/{note.pk}/").status_code == 200


def test_restoring_brings_the_note_back_everywhere(world, moderator):
    viewer = viewer_client(world)
    services.target_take_down(target_type="note", target_id=world["note"].pk, moderator=moderator)

    services.target_restore(target_type="note", target_id=world["note"].pk, moderator=moderator)

    assert all(visible_everywhere(viewer, world).values())


def test_a_suspended_authors_notes_and_profile_disappear(world, moderator):
    viewer = viewer_client(world)
    author = world["author"]

    services.target_take_down(target_type="user", target_id=author.pk, moderator=moderator, reason="spam")

    assert not any(visible_everywhere(viewer, world).values())
    assert viewer.get(f"/api/v1/users/{author.username}/").status_code == 404


def test_a_delisted_product_leaves_the_shop_and_search(world, moderator):
    viewer = viewer_client(world)
    product = world["product"]

    services.target_take_down(target_type="product", target_id=product.pk, moderator=moderator)

    assert viewer.get(f"/api/v1/products/{product.pk}/").status_code == 404
    assert product.pk not in {item["id"] for item in viewer.get("/api/v1/products/").json()["results"]}
    found = viewer.get("/api/v1/search/?q=Rose&type=products").json()["results"]
    assert product.pk not in {item["id"] for item in found}


@pytest.mark.parametrize("direction", ["viewer blocks author", "author blocks viewer"])
def test_blocked_users_stay_invisible_to_each_other(world, direction):
    from accounts.models import Block

    viewer, author = world["viewer"], world["author"]
    blocker, blocked = (viewer, author) if direction == "viewer blocks author" else (author, viewer)
    Block.objects.create(blocker=blocker, blocked=blocked)

    seen = visible_everywhere(viewer_client(world), world)

    assert not any(seen.values()), seen
