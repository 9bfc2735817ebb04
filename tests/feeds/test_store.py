"""The ranking store: Redis sorted sets and the database fallback replace a list atomically."""

import pytest

from feeds.models import RankedItem
from feeds.store import DatabaseStore, RankedList, RedisStore, get_store
from redbook.redis import get_redis
from tests.conftest import requires_redis

OLD = RankedList("u:1", [(10, 3.0, "tag:food"), (11, 2.0, "similar"), (12, 1.0, "trending")])
NEW = RankedList("u:1", [(20, 9.0, "liked_by:lin"), (21, 8.0, "new")])


@pytest.fixture(params=["redis", "database"])
def store(request, db):
    if request.param == "redis":
        if get_redis() is None:
            pytest.skip("needs Redis (REDIS_URL)")
        return RedisStore(get_redis())
    return DatabaseStore()


def test_page_reads_best_first_with_reasons_and_keyset(store):
    store.replace_many([OLD])
    assert store.page("u:1", below=None, limit=2) == [(10, 3.0, "tag:food"), (11, 2.0, "similar")]
    assert store.page("u:1", below=2.0, limit=5) == [(12, 1.0, "trending")]
    assert store.existing(["u:1", "u:2"]) == {"u:1"}
    assert store.note_ids("u:1") == {10, 11, 12}


def test_replace_swaps_the_whole_list(store):
    store.replace_many([OLD])
    store.replace_many([NEW])
    assert store.page("u:1", below=None, limit=10) == [(20, 9.0, "liked_by:lin"), (21, 8.0, "new")]


def test_replace_with_nothing_removes_the_list(store):
    store.replace_many([OLD])
    store.replace_many([RankedList("u:1", [])])
    assert store.existing(["u:1"]) == set()
    assert store.page("u:1", below=None, limit=10) == []


def test_a_refresh_that_dies_midway_leaves_the_old_lists_whole(store):
    store.replace_many([OLD, RankedList("u:2", [(30, 1.0, "new")])])

    def lists_then_crash():
        yield NEW
        raise RuntimeError("worker killed")

    with pytest.raises(RuntimeError):
        store.replace_many(lists_then_crash())
    # Redis: nothing was swapped in; the database: each list is replaced in its own transaction.
    expected_first = [10, 11, 12] if isinstance(store, RedisStore) else [20, 21]
    assert [note_id for note_id, _, _ in store.page("u:1", below=None, limit=10)] == expected_first
    assert store.page("u:2", below=None, limit=10) == [(30, 1.0, "new")]


@requires_redis
def test_redis_lists_expire_and_leave_no_temporary_keys(db):
    store = RedisStore(get_redis())
    store.replace_many([OLD])
    client = get_redis()
    assert 0 < client.ttl("explore:u:1") <= 8 * 24 * 3600
    assert sorted(k.decode() for k in client.keys("explore:*")) == ["explore:u:1", "explore:u:1:why"]


def test_without_redis_the_store_is_the_table(db, settings):
    settings.REDIS_URL = settings.RANKING_REDIS_URL = ""
    store = get_store()
    assert isinstance(store, DatabaseStore)
    store.replace_many([OLD])
    assert RankedItem.objects.filter(list_key="u:1").count() == 3
