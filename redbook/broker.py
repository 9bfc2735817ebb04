"""The Redis broker transport, with one fix for surviving a Redis restart.

When the broker connection drops while a task is finishing, kombu restores the
task's message to the queue and closes the channel; the finished task's late ack
then builds a new Redis client from the closed connection and fails with an
AttributeError, which Celery treats as unrecoverable: the whole worker exits. Here
that case raises a redis ConnectionError instead, which Celery logs as "couldn't
ack" and survives; the restored message runs again (tasks are idempotent) and the
worker reconnects by itself. Used via CELERY_BROKER_TRANSPORT in settings.
"""

import redis
from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous=False):
        if self.connection is None or self.connection.client is None:  # closed under us
            raise redis.exceptions.ConnectionError("the broker connection is closed")
        return super()._connparams(asynchronous)


class Transport(kombu_redis.Transport):
    Channel = Channel
