"""Fixtures for trust-and-safety tests: reportable things and a moderator."""

import pytest
from django.contrib.auth.models import Group

from posts.models import Comment, Note
from shop.models import Product
from tests.factories import UserFactory


@pytest.fixture
def note(other_user):
    other_user.notes_count = 1
    other_user.save(update_fields=["notes_count"])
    return Note.objects.create(author=other_user, title="Night cream", body="My honest review", comment_count=1)


@pytest.fixture
def comment(note, brand):
    return Comment.objects.create(note=note, author=brand, body="Buy cheap followers at spam.example")


@pytest.fixture
def product(brand):
    return Product.objects.create(brand=brand, name="Rose serum", description="30 ml")


@pytest.fixture
def moderator(db):
    """Staff, not superuser, in the Moderators group the data migration creates."""
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def reporters(db):
    return UserFactory.create_batch(6)
