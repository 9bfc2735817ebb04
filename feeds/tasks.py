"""Explore ranking jobs: small, idempotent (a rerun just recomputes the same lists)."""

from celery import shared_task

from accounts.models import User
from feeds import runs, services
from redbook.celery import RETRY_TRANSIENT


@shared_task(name="feeds.rank_user", **RETRY_TRANSIENT)
def rank_user(user_id: int) -> None:
    """Recompute one user's Explore list (after their like, save, follow or "not interested")."""
    services.explore_refresh_started(user_id=user_id)
    if User.objects.active().filter(pk=user_id).exists():
        services.explore_rank(user_ids=[user_id], recent_world=True)


@shared_task(name="feeds.rank_active_users", **RETRY_TRANSIENT)
def rank_active_users() -> dict | None:
    """Beat: recompute every active user's list and the trending lists (one run at a time)."""
    return services.explore_rank_all_once()


@shared_task(name="feeds.rank_batch", **RETRY_TRANSIENT)
def rank_batch(run: str, index: int, user_ids: list[int]) -> int | None:
    """One batch of users of a distributed full run (feeds/runs.py); any ranking worker takes it."""
    return runs.run_batch(run=run, index=index, user_ids=user_ids)
