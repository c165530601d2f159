"""Requests seen before: what a request's exact bytes were worked out to mean, so that asked
again it is answered from the caches without being parsed, validated or costed again.

A request's parameters follow from its bytes alone (`gateway.http.request.RawRequest`), and its
digest and cost from its parameters, so they hold for every later request with the same bytes,
at any version of the data. Only requests whose answers the caches may keep are remembered: a
known request is one the caches can answer. Bounded in entries, least recently used first out;
each entry is a few hundred bytes whatever the size of the request.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gateway.limits.cost import Cost


@dataclass(frozen=True)
class Known:
    """What a request was found to be: its answer's digest, its cost and its operation's name."""

    digest: bytes
    cost: Cost
    operation_name: str | None


class KnownRequests:
    def __init__(self, max_entries: int) -> None:
        if max_entries < 1:
            raise ValueError(f"room for at least one request is needed (max_entries={max_entries})")
        self.max_entries = max_entries
        self._entries: OrderedDict[bytes, Known] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, fingerprint: bytes) -> Known | None:
        known = self._entries.get(fingerprint)
        if known is not None:
            self._entries.move_to_end(fingerprint)
        return known

    def put(self, fingerprint: bytes, known: Known) -> None:
        self._entries[fingerprint] = known
        self._entries.move_to_end(fingerprint)
        if len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
