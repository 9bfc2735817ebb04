"""The index backlog: every write that stales a document leaves an entry until its
indexing is done; beat's catch-up redoes the indexing of entries left behind."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services as account_services
from posts import services as note_services
from posts.models import Note
from redbook.celery import app
from search import indexing
from search.models import IndexBacklog, NoteDocument, ProductDocument
from shop.models import Product
from tests.factories import BrandFactory, UserFactory

pytestmark = pytest.mark.django_db
NOTE = IndexBacklog.Kind.NOTE


@pytest.fixture
def through_celery(settings):
    """Index writes go to the queue, and no worker runs here: like a task that was lost."""
    settings.SEARCH_INDEX_INLINE = False


def _age(minutes: int) -> None:
    IndexBacklog.objects.update(created_at=timezone.now() - timedelta(minutes=minutes))


def _note(title: str = "保湿面霜推荐") -> Note:
    return Note.objects.create(author=UserFactory(), title=title, body="秋冬好物")


def test_an_edit_leaves_an_entry_that_its_inline_indexing_clears(django_capture_on_commit_callbacks):
    note = _note()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        note_services.note_update(note=note, editor=note.author, title="防晒霜测评")
    assert list(IndexBacklog.objects.values_list("kind", "object_id")) == [(NOTE, note.pk)]

    for callback in callbacks:
        callback()
    assert NoteDocument.objects.filter(pk=note.pk).exists()
    assert not IndexBacklog.objects.exists()


def test_catch_up_indexes_what_was_never_indexed_and_leaves_young_entries(through_celery):
    note = _note()
    note_services.note_update(note=note, editor=note.author, title="防晒霜测评")

    assert indexing.backlog_catch_up() == {}  # younger than the grace: its task may be queued
    _age(minutes=5)
    assert indexing.backlog_catch_up() == {NOTE: 1}

    assert NoteDocument.objects.filter(pk=note.pk).exists()
    assert not IndexBacklog.objects.exists()
    assert indexing.backlog_catch_up() == {}


def test_catch_up_drops_the_document_of_a_note_deleted_while_its_task_was_lost(through_celery):
    note = _note()
    indexing.notes_index(note_ids=[note.pk])
    note_services.note_delete(note=note, actor=note.author)
    _age(minutes=5)

    indexing.backlog_catch_up()

    assert not NoteDocument.objects.filter(pk=note.pk).exists()


def test_catch_up_reindexes_a_suspended_users_content(through_celery):
    brand = BrandFactory()
    product = Product.objects.create(brand=brand, name="Rose serum")
    indexing.products_index(product_ids=[product.pk])
    account_services.user_suspend(user=brand, reason="spam")
    _age(minutes=5)

    assert indexing.backlog_catch_up() == {IndexBacklog.Kind.USER: 1}
    assert not ProductDocument.objects.filter(pk=product.pk).exists()


def test_catch_up_takes_a_bounded_batch_per_run(through_celery, monkeypatch):
    monkeypatch.setattr(indexing, "BACKLOG_CATCH_UP_MAX", 2)
    notes = [_note(f"note {i}") for i in range(3)]
    IndexBacklog.objects.bulk_create([IndexBacklog(kind=NOTE, object_id=note.pk) for note in notes])
    _age(minutes=5)

    assert indexing.backlog_catch_up() == {NOTE: 2}
    assert indexing.backlog_catch_up() == {NOTE: 1}
    assert NoteDocument.objects.count() == 3


def test_indexing_keeps_the_entry_of_a_write_that_committed_while_it_ran():
    note = _note()
    IndexBacklog.objects.create(kind=NOTE, object_id=note.pk)  # the write it indexes

    with indexing._backlog_cleared(NOTE, [note.pk]):
        IndexBacklog.objects.create(kind=NOTE, object_id=note.pk)  # a later write, maybe unseen

    assert IndexBacklog.objects.count() == 1


def test_beat_sends_the_catch_up_to_a_registered_task(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["search-index-backlog-catch-up"]
    assert entry == {"task": "search.index_backlog_catch_up", "schedule": 300.0}
    assert entry["task"] in app.tasks
