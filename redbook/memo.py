"""`Memo`: a bounded, per-process memo of values that follow from their key alone.

For renderings of read models (a note card's markup, its JSON fields): the key holds
everything the rendering reads, so a changed row is a new key and nothing needs
invalidating; old keys age out, first in first out. Reads take no lock (a dict read is
atomic under the GIL); two threads missing together both compute, and one result stays.
A renderer also reads settings (storage URLs, the URLconf): every memo is emptied when a
setting changes (`override_settings` in tests), as Django's own caches of settings are.
"""

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.core.signals import setting_changed

V = TypeVar("V")


class Memo(Generic[V]):
    def __init__(self, size: int):
        self.size = size
        self._values: dict[Hashable, V] = {}
        self._lock = threading.Lock()
        _MEMOS.append(self)

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value of `key`, made by `make()` on the first call (and after it aged out)."""
        try:
            return self._values[key]
        except KeyError:
            pass
        value = make()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                del self._values[next(iter(self._values))]
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


_MEMOS: list[Memo] = []


def _forget_everything(**kwargs) -> None:
    for memo in _MEMOS:
        memo.clear()


setting_changed.connect(_forget_everything, dispatch_uid="redbook.memo")
