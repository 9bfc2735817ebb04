from celery import shared_task

from outbox.services import outbox_resend


@shared_task(name="outbox.resend_pending")
def resend_pending():
    sent, has_more = outbox_resend()
    if has_more:
        resend_pending.delay()
    return sent
