from celery import shared_task

from partners import counters


@shared_task(name="partners.flush_days")
def flush_days() -> int:
    return counters.days_flush()
