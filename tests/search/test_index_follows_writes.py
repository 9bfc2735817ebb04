"""The index follows every write after commit: inline in the writing process by default,
through the outbox and a real Celery worker otherwise (and for a user's whole content)."""

import time

import pytest

from accounts import services as account_services
from moderation import services as moderation_services
from posts import services as note_services
from search.models import NoteDocument, ProductDocument, TagStat
from shop import services as shop_services
from tests.conftest import client_for, requires_redis
from tests.factories import BrandFactory, UserFactory
from tests.posts.conftest import upload

pytestmark = requires_redis
SEARCH = "/api/v1/search/"


@pytest.fixture
def through_celery(settings):
    settings.SEARCH_INDEX_INLINE = False


def wait_for(condition, *, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("the search index did not catch up in time")
        time.sleep(0.05)


def found(client, query: str, kind: str = "notes") -> list:
    response = client.get(SEARCH, {"q": query, "type": kind})
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def tag_count(name: str) -> int:
    return TagStat.objects.filter(name=name).values_list("notes_count", flat=True).first() or 0


def test_notes_are_indexed_on_create_edit_hide_restore_and_delete(through_celery, celery_worker, anon_client):
    author = UserFactory()
    note = note_services.note_create(
        author=author, title="保湿面霜推荐", body="秋冬好物", images=[upload()], tags=["护肤"]
    )
    wait_for(lambda: found(anon_client, "面霜") == [note.pk])
    assert tag_count("护肤") == 1

    note_services.note_update(note=note, editor=author, title="防晒霜测评", tags=["防晒"])
    wait_for(lambda: found(anon_client, "防晒") == [note.pk])
    assert found(anon_client, "面霜") == []
    assert (tag_count("护肤"), tag_count("防晒")) == (0, 1)

    moderator = UserFactory(is_staff=True, is_superuser=True)
    moderation_services.target_take_down(target_type="note", target_id=note.pk, moderator=moderator)
    assert found(anon_client, "防晒") == []  # gone at once: the query filters live rows
    wait_for(lambda: not NoteDocument.objects.filter(pk=note.pk).exists())
    assert tag_count("防晒") == 0

    moderation_services.target_restore(target_type="note", target_id=note.pk, moderator=moderator)
    wait_for(lambda: found(anon_client, "防晒") == [note.pk])

    note_services.note_delete(note=note, actor=author)
    wait_for(lambda: not NoteDocument.objects.filter(pk=note.pk).exists())
    assert found(anon_client, "防晒") == []
    assert tag_count("防晒") == 0


def test_products_follow_edits_and_delisting(through_celery, celery_worker, anon_client):
    brand = BrandFactory()
    variants = [{"name": "50 ml", "price": "129.00", "stock": 5}]
    product = shop_services.product_create(brand=brand, name="Hydra cream", variants=variants)
    wait_for(lambda: found(anon_client, "hydra", "products") == [product.pk])

    shop_services.product_update(product_id=product.pk, actor=brand, name="玻尿酸精华")
    wait_for(lambda: found(anon_client, "精华", "products") == [product.pk])
    assert found(anon_client, "hydra", "products") == []

    shop_services.product_update(product_id=product.pk, actor=brand, is_listed=False)
    wait_for(lambda: not ProductDocument.objects.filter(pk=product.pk).exists())
    assert found(anon_client, "精华", "products") == []


def test_a_suspended_account_leaves_search_and_comes_back(celery_worker, anon_client):
    author = UserFactory()
    note = note_services.note_create(author=author, title="露营清单", images=[upload()], tags=["露营"])
    wait_for(lambda: found(anon_client, "露营") == [note.pk])

    account_services.user_suspend(user=author, reason="spam")
    assert found(anon_client, "露营") == []
    wait_for(lambda: not NoteDocument.objects.filter(pk=note.pk).exists())
    assert tag_count("露营") == 0

    account_services.user_unsuspend(user=author)
    wait_for(lambda: found(client_for(UserFactory()), "露营") == [note.pk])
    assert tag_count("露营") == 1


@pytest.mark.django_db(transaction=True)
def test_a_new_note_is_searchable_as_soon_as_its_request_returns(anon_client):
    """Inline indexing: no worker runs here, and none is waited for."""
    author = UserFactory()
    response = client_for(author).post(
        "/api/v1/notes/", {"title": "敏感肌面霜", "body": "温和", "images": [upload()]}, format="multipart"
    )
    assert response.status_code == 201, response.content
    assert found(anon_client, "敏感肌") == [response.json()["id"]]


@pytest.mark.django_db(transaction=True)
def test_a_failed_inline_index_is_left_to_the_task(monkeypatch):
    from search import indexing, services

    queued = []
    monkeypatch.setattr(indexing, "notes_index", lambda **ids: 1 / 0)
    monkeypatch.setattr(services, "enqueue_on_commit", lambda task, **ids: queued.append((task.name, ids)))
    note = note_services.note_create(author=UserFactory(), title="露营", images=[upload()])
    assert queued == [("search.index_notes", {"note_ids": [note.pk]})]
