"""A least-recently-used store bounded both in entries and in bytes.

Entries are bytes or text whose size is known, so a few huge answers cannot take the memory
that many small ones were given: the oldest go until both bounds hold. A value larger than the
whole byte budget is not kept at all.
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V", bytes, str)

# What an entry costs beyond its value object: its key and the ordered dict's node.
ENTRY_OVERHEAD = 200


class BoundedStore(Generic[V]):
    def __init__(self, *, max_entries: int, max_bytes: int) -> None:
        if max_entries < 1 or max_bytes < 1:
            raise ValueError(
                f"a store needs room for at least one entry and one byte "
                f"(max_entries={max_entries}, max_bytes={max_bytes})"
            )
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[Hashable, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries

    def get(self, key: Hashable) -> V | None:
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def put(self, key: Hashable, value: V) -> bool:
        """Keep `value` under `key`, evicting the least recently used; False if too large."""
        size = _cost(value)
        if size > self.max_bytes:
            return False
        self.discard(key)
        self._entries[key] = value
        self.bytes += size
        while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self.bytes -= _cost(evicted)
        return True

    def discard(self, key: Hashable) -> None:
        value = self._entries.pop(key, None)
        if value is not None:
            self.bytes -= _cost(value)

    def clear(self) -> None:
        self._entries.clear()
        self.bytes = 0


def _cost(value: bytes | str) -> int:
    return sys.getsizeof(value) + ENTRY_OVERHEAD
