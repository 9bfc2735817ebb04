"""What other apps call after their writes: keep the search index in step.

Call a `*_index_soon` for every create, edit, hide/unhide, delete, (de)listing, and
for account changes that affect what a user's content shows (suspension, name).
Nothing happens unless the surrounding transaction commits.

A note or product is indexed right after the commit, in this process (a few
milliseconds), so it is searchable as soon as the request that wrote it returns,
whatever the workers are busy with; should that fail, the Celery task does it.
With `SEARCH_INDEX_INLINE=0` everything goes through Celery. A user's whole content
(possibly thousands of notes) always goes through Celery: search already filters
suspended accounts and blocks on the live rows, so nothing waits on it.

Each call also records the object in the index backlog inside the write's transaction;
the indexing deletes it, and beat's catch-up sweep redoes any left behind by indexing
that never happened (search/models.py IndexBacklog).
"""

import logging

from celery import Task
from django.conf import settings
from django.db import transaction

from outbox.services import enqueue_on_commit
from search import indexing, tasks
from search.models import IndexBacklog

logger = logging.getLogger(__name__)


def _index_after_commit(index, task: Task, kind: str, object_id: int, **ids) -> None:
    IndexBacklog.objects.create(kind=kind, object_id=object_id)
    if not settings.SEARCH_INDEX_INLINE:
        enqueue_on_commit(task, **ids)
        return

    def run():
        try:
            index(**ids)
        except Exception:  # never fail the committed write: the task retries it
            logger.exception("inline search indexing failed; queueing %s", task.name)
            enqueue_on_commit(task, **ids)

    transaction.on_commit(run)


def note_index_soon(*, note_id: int) -> None:
    _index_after_commit(indexing.notes_index, tasks.index_notes, IndexBacklog.Kind.NOTE, note_id, note_ids=[note_id])


def product_index_soon(*, product_id: int) -> None:
    _index_after_commit(
        indexing.products_index, tasks.index_products, IndexBacklog.Kind.PRODUCT, product_id, product_ids=[product_id]
    )


def user_index_soon(*, user_id: int) -> None:
    """Re-index a user's notes and products (suspended, reinstated, renamed brand...)."""
    IndexBacklog.objects.create(kind=IndexBacklog.Kind.USER, object_id=user_id)
    enqueue_on_commit(tasks.index_user_content, user_id=user_id)
