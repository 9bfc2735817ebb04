"""redbook.memo.Memo: made once per key, bounded, emptied when a setting changes."""

from django.test import override_settings

from redbook.memo import Memo


def test_a_value_is_made_once_per_key_and_the_oldest_ages_out():
    memo: Memo[str] = Memo(size=2)
    made = []

    def make(key):
        return lambda: made.append(key) or f"v{key}"

    assert [memo.get(k, make(k)) for k in (1, 1, 2, 1)] == ["v1", "v1", "v2", "v1"]
    assert made == [1, 2]
    memo.get(3, make(3))  # over the size: 1, the first in, goes
    memo.get(2, make(2))
    memo.get(1, make(1))
    assert made == [1, 2, 3, 1]


def test_a_setting_change_empties_every_memo():
    memo: Memo[str] = Memo(size=10)
    memo.get("url", lambda: "/media/a.webp")
    with override_settings(MEDIA_URL="/elsewhere/"):
        assert memo.get("url", lambda: "/elsewhere/a.webp") == "/elsewhere/a.webp"
