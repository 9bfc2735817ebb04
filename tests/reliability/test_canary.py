import time

from django.utils import timezone

from reliability.models import Heartbeat
from reliability.tasks import canary
from tests.conftest import requires_redis


def test_canary_records_a_heartbeat_with_the_senders_token(db):
    before = timezone.now()
    canary(token="probe-1")
    beat = Heartbeat.objects.get(name="canary")
    assert beat.token == "probe-1"
    assert beat.beat_at >= before


def test_canary_is_sent_by_beat_every_minute(settings):
    assert settings.CELERY_BEAT_SCHEDULE["canary"] == {"task": "redbook.canary", "schedule": 60.0}


@requires_redis
def test_canary_runs_on_a_real_worker(celery_worker):
    canary.delay(token="probe-2")
    deadline = time.monotonic() + 20
    while not Heartbeat.objects.filter(token="probe-2").exists():
        assert time.monotonic() < deadline, "the worker never ran the canary"
        time.sleep(0.2)
