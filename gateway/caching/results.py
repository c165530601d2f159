"""The result cache: whole response bodies of successful answers, by request and data version.

Bounded in entries and in bytes (`BoundedStore`), per worker process. Keys carry the dataset's
version, read from the database by every request, so an import seen by any process changes
every key in every process: no answer made from old data can be found after it. The first
request that sees a newer version drops what the older ones left, since no request reading the
current version can ask for them; an answer computed from an older snapshot is not kept.
"""

from __future__ import annotations

from gateway.caching.keys import AnswerKey
from gateway.caching.store import BoundedStore


class ResultCache:
    def __init__(self, *, max_entries: int, max_bytes: int) -> None:
        self.store: BoundedStore[bytes] = BoundedStore(max_entries=max_entries, max_bytes=max_bytes)
        self.version = 0  # the newest version of the data seen
        self.hits = 0
        self.misses = 0

    def _current(self, version: int) -> bool:
        """Whether `version` is the newest seen; a newer one drops every answer kept before."""
        if version > self.version:
            self.store.clear()
            self.version = version
        return version == self.version

    def get(self, key: AnswerKey) -> bytes | None:
        body = self.store.get(key) if self._current(key.version) else None
        if body is None:
            self.misses += 1
        else:
            self.hits += 1
        return body

    def put(self, key: AnswerKey, body: bytes) -> None:
        if self._current(key.version):
            self.store.put(key, body)
