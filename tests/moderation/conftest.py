"""Fixtures for trust-and-safety tests: reportable things and a moderator."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

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


def ensure_moderators_group() -> Group:
    """The group the data migration makes. A transactional test's flush can drop it
    (and pytest-django's serialized rollback does not restore it around live_server),
    so then that migration runs again."""
    if not Group.objects.filter(name="Moderators").exists():
        call_command("migrate", "moderation", "0001", verbosity=0)
        call_command("migrate", "moderation", verbosity=0)
    return Group.objects.get(name="Moderators")


@pytest.fixture
def moderators_group(db):
    return ensure_moderators_group()


@pytest.fixture
def moderator(moderators_group):
    """Staff, not superuser, in the Moderators group."""
    user = UserFactory(is_staff=True)
    user.groups.add(moderators_group)
    return user


@pytest.fixture
def reporters(db):
    """Established accounts: each report weighs 1 (moderation/weights.py)."""
    return [trusted_user() for _i in range(6)]


def trusted_user(**fields):
    """A month-old account with a few notes: an established reporter."""
    return UserFactory(date_joined=timezone.now() - timedelta(days=60), notes_count=5, **fields)
