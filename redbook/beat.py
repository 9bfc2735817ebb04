"""Celery beat, once per deployment: only the beat holding the leader lock sends.

README "Scale-out" asks for one beat per deployment. Should two run (a node template
that starts beat everywhere, a standby on a second machine), the one holding the
`beat:leader` key in the shared Redis sends the periodic tasks and renews the key on
every tick; the others idle and one takes over within LEADER_SECONDS of the leader
dying. Without Redis (the embedded default, one machine) the beat always leads.
Periodic tasks are idempotent anyway; the lock keeps the heavy ones (the Explore
ranking, the sweeps) from running twice as often.
"""

import logging
import uuid

import redis
from celery.beat import PersistentScheduler

from redbook.redis import get_redis

logger = logging.getLogger(__name__)

LEADER_KEY = "beat:leader"
LEADER_SECONDS = 30
STANDBY_SECONDS = 5.0  # how often a standby checks whether it may lead
RENEW_SECONDS = 10.0  # the leader ticks at least this often, so the key never lapses

# Take the key if nobody holds it; renew it if we do. One round trip, atomic.
_LEAD = """
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return 1
end
return 0
"""


class LeaderScheduler(PersistentScheduler):
    def __init__(self, *args, **kwargs):
        self.token = uuid.uuid4().hex
        self.leading = False
        super().__init__(*args, **kwargs)

    def tick(self, *args, **kwargs):
        if not self.lead():
            return STANDBY_SECONDS
        return min(super().tick(*args, **kwargs), RENEW_SECONDS)

    def lead(self) -> bool:
        client = get_redis()
        if client is None:
            return True
        try:
            leading = bool(client.eval(_LEAD, 1, LEADER_KEY, self.token, LEADER_SECONDS))
        except redis.RedisError:
            leading = False  # the broker is likely away too: send nothing rather than twice
        if leading != self.leading:
            logger.info("beat: %s", "leading, sending periodic tasks" if leading else "standing by")
            self.leading = leading
        return leading
