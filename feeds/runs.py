"""A full Explore ranking run spread over any number of ranking workers (with Redis).

beat's `feeds.rank_active_users` starts a run:
1. it takes the run lock (redis-py's `Lock`: its token is the run's id, and only the
   holder of that token can release it, so a run that outlived the lock's expiry can
   never delete the next run's lock);
2. loads the world and builds the item model ONCE, writes the trending lists, and puts
   the pickled (world, item model) in Redis under the run's id;
3. splits the active users into batches of EXPLORE_RUN_BATCH_USERS and sends one
   `feeds.rank_batch` task per batch to the "ranking" queue, which any number of
   workers consume.
Each batch reads the shared model (once per worker process and run), ranks its users
and writes their lists, then adds its index to the run's set of finished batches; the
batch that completes the set (a counter, not a chord: the app keeps no result backend)
deletes the run's keys and releases the lock with the run's token.

A worker killed mid-batch leaves the message unacknowledged (acks_late,
reject_on_worker_lost): the broker's visibility timeout hands it to another worker, and a
batch done twice writes the same lists and counts once. A run whose batches all got lost
ends when its lock and keys expire (RUN_SECONDS); the next beat starts a fresh one. A
coordinator killed while planning holds the lock only PLAN_SECONDS.
"""

import logging
import pickle
import time
from typing import cast

import numpy as np
import redis
from django.conf import settings
from redis.exceptions import LockError

from feeds import services, tasks
from feeds.ranking import ItemModel, Ranker, World
from feeds.store import get_store
from feeds.world import load_world, world_of_users
from outbox.services import send_or_park
from redbook.redis import get_ranking_redis

logger = logging.getLogger(__name__)

RUN_LOCK = "explore:rank-all:running"
# A coordinator killed while planning blocks the next runs at most this long (the lock's
# first expiry); once its batches are sent the lock is extended to RUN_SECONDS.
PLAN_SECONDS = 10 * 60
# Bounds a run whose batches vanished: its lock and shared model expire then.
RUN_SECONDS = 60 * 60
MODEL_KEY = "explore:run:{run}:model"  # pickled (World, ItemModel)
STATE_KEY = "explore:run:{run}"  # hash: batches, users, started
DONE_KEY = "explore:run:{run}:done"  # set of finished batch indexes

# The model of the latest run this process read, so a worker taking several batches of
# one run unpickles it once. One entry: a new run replaces it.
_loaded: dict[str, tuple[World, ItemModel]] = {}


def _client() -> redis.Redis:
    """The ranking Redis. This module runs only with one: `services.explore_rank_all_once` starts
    a run only when `get_ranking_redis()` is not None, and batches come from such a run."""
    client = get_ranking_redis()
    assert client is not None, "a distributed ranking run needs RANKING_REDIS_URL"
    return client


def run_lock(client: redis.Redis) -> redis.lock.Lock:
    return client.lock(RUN_LOCK, timeout=PLAN_SECONDS, thread_local=False)


def run_start() -> dict | None:
    """Start a distributed run, unless one is still going (a big world can outlast beat's period)."""
    client = _client()
    lock = run_lock(client)
    if not lock.acquire(blocking=False):
        logger.info("explore ranking: previous run still going, skipped")
        return None
    run = lock.local.token.decode()
    try:
        figures = _plan(client, run, lock)
    except BaseException:
        _release(client, run)
        raise
    if figures["batches"] == 0:
        _finish(client, run)
    return figures


def _plan(client: redis.Redis, run: str, lock: redis.lock.Lock) -> dict:
    started = time.monotonic()
    world = load_world()
    model = ItemModel(world)
    get_store().replace_many(services.trending_lists(world, model))
    users = services.active_user_ids()
    size = settings.EXPLORE_RUN_BATCH_USERS
    batches = [users[start : start + size] for start in range(0, len(users), size)]
    blob = pickle.dumps((world, model), protocol=pickle.HIGHEST_PROTOCOL)
    pipe = client.pipeline(transaction=True)
    pipe.set(MODEL_KEY.format(run=run), blob, ex=RUN_SECONDS)
    pipe.hset(STATE_KEY.format(run=run), mapping={"batches": len(batches), "users": len(users), "started": time.time()})
    pipe.expire(STATE_KEY.format(run=run), RUN_SECONDS)
    pipe.execute()
    _loaded.clear()
    _loaded[run] = (world, model)  # this worker may take batches too: no need to read it back
    lock.extend(RUN_SECONDS, replace_ttl=True)  # before any batch can finish and release it
    for index, batch in enumerate(batches):
        send_or_park(tasks.rank_batch.name, {"run": run, "index": index, "user_ids": batch})
    figures = {
        "run": run,
        "users": len(users),
        "batches": len(batches),
        "candidates": world.n_items,
        "model_bytes": len(blob),
        "plan_s": round(time.monotonic() - started, 2),
    }
    logger.info("explore ranking run planned: %s", figures)
    return figures


def run_batch(*, run: str, index: int, user_ids: list[int]) -> int | None:
    """Rank one batch of a run and record it; the batch that completes the run finishes it."""
    client = _client()
    shared = _shared_model(client, run)
    if shared is None:
        logger.warning("explore ranking: run %s is over, batch %s dropped", run, index)
        return None
    world, model = shared
    users = sorted(int(uid) for uid in user_ids)
    ranker = Ranker(world_of_users(world, users), users=np.asarray(users, dtype=np.int64), items=model)
    written = services.rank_into_store(ranker, users)
    _mark_done(client, run, index)
    return written


def _shared_model(client: redis.Redis, run: str) -> tuple[World, ItemModel] | None:
    """The run's (world, item model), or None once the run is over (finished or expired)."""
    if not client.exists(STATE_KEY.format(run=run)):
        _loaded.pop(run, None)
        return None
    if run not in _loaded:
        # The client has no decode_responses: replies are bytes.
        blob = cast(bytes | None, client.get(MODEL_KEY.format(run=run)))
        if blob is None:
            return None
        _loaded.clear()
        _loaded[run] = pickle.loads(blob)  # written by our own coordinator, in our own Redis
    return _loaded[run]


def _mark_done(client: redis.Redis, run: str, index: int) -> None:
    pipe = client.pipeline(transaction=True)
    pipe.sadd(DONE_KEY.format(run=run), index)
    pipe.expire(DONE_KEY.format(run=run), RUN_SECONDS)
    pipe.scard(DONE_KEY.format(run=run))
    pipe.hget(STATE_KEY.format(run=run), "batches")
    added, _expire, done, batches = pipe.execute()
    # Only the batch whose own add completed the set finishes: a redone batch adds nothing.
    if added and batches is not None and done == int(batches):
        _finish(client, run)


def _finish(client: redis.Redis, run: str) -> None:
    state = cast(dict[bytes, bytes], client.hgetall(STATE_KEY.format(run=run)))  # no decode_responses
    client.delete(MODEL_KEY.format(run=run), STATE_KEY.format(run=run), DONE_KEY.format(run=run))
    _release(client, run)
    started = float(state.get(b"started", 0) or 0)
    logger.info(
        "explore ranking run %s done: users=%s batches=%s total_s=%.2f",
        run,
        state.get(b"users", b"0").decode(),
        state.get(b"batches", b"0").decode(),
        time.time() - started if started else 0.0,
    )


def _release(client: redis.Redis, run: str) -> None:
    """Release the run lock only if it is still this run's (checked by token, atomically in Redis)."""
    lock = run_lock(client)
    lock.local.token = run.encode()
    try:
        lock.release()
    except LockError:  # expired, and perhaps taken by a newer run: not ours to delete
        logger.warning("explore ranking run %s: its lock had expired", run)


def run_state(run: str) -> dict:
    """Batches planned and finished (empty once the run is over): for tests and the bench."""
    client = _client()
    state = client.hgetall(STATE_KEY.format(run=run))
    if not state:
        return {}
    return {"batches": int(state[b"batches"]), "done": client.scard(DONE_KEY.format(run=run))}
