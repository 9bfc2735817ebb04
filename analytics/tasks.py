from celery import shared_task

from analytics import attribution, rollups


@shared_task(name="analytics.refresh_rollups")
def refresh_rollups() -> dict:
    """Beat, every minute: buffered events into the table, then today's (and dirty days') rollups."""
    return rollups.rollups_refresh()


@shared_task(name="analytics.prune")
def prune() -> dict:
    """Beat, hourly: raw events past 90 days and touches past 7 days, in bounded batches."""
    return {"events": _drain(rollups.events_prune), "touches": _drain(attribution.touches_prune)}


def _drain(prune_batch, *, max_batches: int = 100) -> int:
    deleted = 0
    for _ in range(max_batches):
        done, has_more = prune_batch()
        deleted += done
        if not has_more:
            break
    return deleted
