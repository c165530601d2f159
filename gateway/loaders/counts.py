"""Totals of root connections, counted once per data version.

`allSpacecraft { totalCount }` over a million rows costs a scan; the answer changes only when the
data does. The cache is the process's, keyed by database, data version, kind and the filter and
search: after an import the version moves and every total is counted afresh.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

Key = tuple[str, int, str, str]


class CountCache:
    def __init__(self, *, size: int = 4096) -> None:
        self.size = size
        self._entries: OrderedDict[Key, int] = OrderedDict()
        self.hits = 0
        self.misses = 0

    async def total(self, key: Key, count: Callable[[], Awaitable[int]]) -> int:
        if key in self._entries:
            self._entries.move_to_end(key)
            self.hits += 1
            return self._entries[key]
        self.misses += 1
        value = await count()
        self._entries[key] = value
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return value


def count_key(database: Any, version: int, entity: str, filter_key: str) -> Key:
    return (str(database), version, entity, filter_key)
