"""What other apps call after their writes: keep the search index in step.

Each `*_index_soon` enqueues the index task after the surrounding transaction
commits (outbox), so a rolled-back write is never indexed and a committed one
always is. Call it for every create, edit, hide/unhide, delete, (de)listing, and
for account changes that affect what a user's content shows (suspension, name).
"""

from outbox.services import enqueue_on_commit
from search import tasks


def note_index_soon(*, note_id: int) -> None:
    enqueue_on_commit(tasks.index_notes, note_ids=[note_id])


def product_index_soon(*, product_id: int) -> None:
    enqueue_on_commit(tasks.index_products, product_ids=[product_id])


def user_index_soon(*, user_id: int) -> None:
    """Re-index a user's notes and products (suspended, reinstated, renamed brand...)."""
    enqueue_on_commit(tasks.index_user_content, user_id=user_id)
