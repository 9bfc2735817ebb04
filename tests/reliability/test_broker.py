import pytest
import redis
from django.conf import settings
from kombu import Connection

from tests.conftest import requires_redis


@requires_redis
def test_a_late_ack_on_a_closed_broker_connection_is_a_connection_error_the_worker_survives():
    connection = Connection(settings.REDIS_URL, transport="redbook.broker:Transport")
    channel = connection.channel()
    channel.connection.close_connection(connection)  # what a lost broker connection does

    with pytest.raises(redis.exceptions.ConnectionError):
        channel._connparams()
    assert redis.exceptions.ConnectionError in connection.connection_errors  # Celery logs these and goes on
