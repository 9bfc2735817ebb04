"""Search fixtures: notes and products made straight in the database, then indexed.

Notes skip posts' image pipeline (search never looks at images); tests that check the
index following real writes go through posts' and shop's services instead.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from posts.models import Note
from search import indexing
from shop.models import Product
from tests.factories import BrandFactory, UserFactory


def make_note(author=None, *, title="", body="", tags=(), index=True, days_old=0, **fields) -> Note:
    note = Note.objects.create(author=author or UserFactory(), title=title[:20], body=body, **fields)
    if tags:
        note.tags.add(*tags)
    if days_old:
        Note.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(days=days_old))
    if index:
        indexing.notes_index(note_ids=[note.pk])
    return note


def make_product(brand=None, *, name="", description="", price="99.00", index=True, **fields) -> Product:
    product = Product.objects.create(
        brand=brand or BrandFactory(), name=name, description=description, price_min=price, price_max=price, **fields
    )
    if index:
        indexing.products_index(product_ids=[product.pk])
    return product


@pytest.fixture
def browser_client(user):
    """A browser session signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def author(db):
    return UserFactory(username="mei", display_name="小美")


def veteran(**fields):
    """An account old enough for its searches to count in trending."""
    return UserFactory(date_joined=timezone.now() - timedelta(days=30), **fields)


def searched_by_many(query: str, *, accounts: int = 5) -> list:
    """`accounts` distinct veteran accounts search `query` (the public minimum by default)."""
    from search import querylog

    people = [veteran() for _ in range(accounts)]
    for person in people:
        querylog.search_log(user=person, query=query)
    querylog.flush_counts()
    return people
