"""Feed fixtures: notes made straight in the database (no image pipeline) and a planted world."""

import importlib
import random
from datetime import timedelta

import pytest
from django.utils import timezone
from taggit.models import Tag

from accounts.models import User
from feeds import world
from posts.models import Like, Note, TaggedNote
from tests.factories import UserFactory

TOPICS = ["skincare", "food", "travel", "fashion", "fitness", "tech"]


def make_note(author, *, title="A note", tags=(), lat=None, lng=None, **fields) -> Note:
    note = Note.objects.create(author=author, title=title, lat=lat, lng=lng, published_at=timezone.now(), **fields)
    if tags:
        note.tags.add(*tags)
    return note


@pytest.fixture(autouse=True)
def _fresh_world_cache():
    """Each test has its own database: a world cached by an earlier test must not leak in."""
    world._cache.clear()


def ensure_default_channels() -> None:
    """Transactional tests (anyone's) flush the data migration's channels: put them back."""
    from django.apps import apps

    migration = importlib.import_module("feeds.migrations.0002_default_channels")
    migration.create_channels(apps, None)


@pytest.fixture(autouse=True)
def _default_channels(request):
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        return
    ensure_default_channels()


def planted_world(*, users: int = 60, notes_per_topic: int = 40, likes_per_user: int = 25, seed: int = 1):
    """Users each with one planted topic: 80% of their likes fall in it, the rest anywhere.

    Popular notes exist in every topic (a few are liked by everyone's random share),
    so popularity alone is a fair but beatable baseline. Returns (users, {topic: notes}).
    """
    rng = random.Random(seed)
    authors = UserFactory.create_batch(len(TOPICS) * 2)
    people = UserFactory.create_batch(users)
    by_topic: dict[str, list[Note]] = {}
    for t, topic in enumerate(TOPICS):
        notes = Note.objects.bulk_create(
            Note(author=authors[2 * t + i % 2], title=f"{topic} {i}", published_at=timezone.now())
            for i in range(notes_per_topic)
        )
        tag = _tag(topic)
        TaggedNote.objects.bulk_create(TaggedNote(content_object=note, tag=tag) for note in notes)
        by_topic[topic] = notes
    everything = [note for notes in by_topic.values() for note in notes]
    likes = []
    for n, person in enumerate(people):
        topic = TOPICS[n % len(TOPICS)]
        # In the order drawn (a dict, not a set: a set of ints iterates in an order set by the
        # pk values, which differ with the tests run before). The last drawn become the latest
        # likes, the ones the evaluation holds out, so they must not depend on the ids.
        liked: dict[int, None] = {}
        while len(liked) < likes_per_user:
            if rng.random() < 0.8:
                # within a topic, taste is skewed too: lower-numbered notes are the favourites
                pool = by_topic[topic]
                liked[pool[min(int(rng.expovariate(1 / 12)), len(pool) - 1)].pk] = None
            else:
                liked[everything[min(int(rng.expovariate(1 / 30)), len(everything) - 1)].pk] = None
        likes += [Like(user=person, note_id=note_id) for note_id in liked]
    Like.objects.bulk_create(likes)
    # Like.created_at is auto_now_add: spread the times so "latest" means something.
    stored = list(Like.objects.order_by("id"))
    for i, like in enumerate(stored):
        like.created_at = timezone.now() - timedelta(minutes=len(stored) - i)
    Like.objects.bulk_update(stored, ["created_at"], batch_size=500)
    User.objects.filter(pk__in=[p.pk for p in people]).update(last_active_at=timezone.now())
    return people, by_topic


def _tag(name) -> Tag:
    tag, _ = Tag.objects.get_or_create(name=name, defaults={"slug": name})
    return tag
