"""Celery tasks of search: ids in, idempotent (an index write converges on the rows)."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from redbook.celery import RETRY_TRANSIENT
from search import indexing, querylog, tiers

# Young notes' engagement moves fastest: their ranking prior is refreshed by beat.
HOT_REFRESH_WINDOW = timedelta(days=3)


@shared_task(name="search.index_notes", **RETRY_TRANSIENT)
def index_notes(*, note_ids: list[int]) -> int:
    return indexing.notes_index(note_ids=note_ids)


@shared_task(name="search.index_products", **RETRY_TRANSIENT)
def index_products(*, product_ids: list[int]) -> int:
    return indexing.products_index(product_ids=product_ids)


@shared_task(name="search.index_user_content", **RETRY_TRANSIENT)
def index_user_content(*, user_id: int) -> int:
    return indexing.user_content_index(user_id=user_id)


@shared_task(name="search.index_backlog_catch_up", **RETRY_TRANSIENT)
def index_backlog_catch_up(grace_seconds: float = 120) -> dict:
    """Beat, every 5 minutes: index writes whose indexing was lost (search/models.py IndexBacklog).

    Writes younger than `grace_seconds` are left to their own task, which may be queued;
    0 sweeps everything now (an operator after an incident).
    """
    return indexing.backlog_catch_up(grace=timedelta(seconds=grace_seconds))


@shared_task(name="search.refresh_hot", **RETRY_TRANSIENT)
def refresh_hot() -> int:
    """Beat: young notes' priors, then the hot tiers' floors (which new documents pushed up)."""
    refreshed = indexing.note_hot_refresh(since=timezone.now() - HOT_REFRESH_WINDOW)
    tiers.refresh_all()
    return refreshed


@shared_task(name="search.flush_query_counts", **RETRY_TRANSIENT)
def flush_query_counts() -> int:
    return querylog.flush_counts()
