"""Automatic Persisted Queries (APQ), Apollo's protocol: a query's SHA-256 stands for its text.

A client sends `extensions: {"persistedQuery": {"version": 1, "sha256Hash": "<hex>"}}`:

- with no `query`: the text registered under that hash is run; an unknown hash gets the error
  `PersistedQueryNotFound` (code `PERSISTED_QUERY_NOT_FOUND`), upon which Apollo's clients send
  the query again with its text (clients match that exact message, so it is kept);
- with a `query`: the hash must be the query's (else 400), and the text is registered.

So a client's repeated reads become short GET URLs (`?extensions=...&variables=...`) that HTTP
caches can keep. Texts are kept per process, bounded in entries and bytes; a worker that does
not know a hash yet gets the text once more from the client. Turned off, a hash without a query
gets `PersistedQueryNotSupported`, on which Apollo's clients stop sending hashes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import orjson

from gateway.caching.keys import document_hash
from gateway.caching.store import BoundedStore
from gateway.http.errors import Rejected

VERSION = 1
# 64 hex digits, or the GraphQL-over-HTTP appendix's prefixed form that GraphQL Code Generator's
# client preset writes and sends (`sha256:<hex>`).
_SHA256_ID = re.compile(r"(?:sha256:)?([0-9a-fA-F]{64})")
# Never kept by an HTTP cache: the same URL answers once the client has registered its query.
NO_STORE = {"Cache-Control": "no-store"}


class PersistedQueries:
    """The query texts clients registered, by SHA-256; `max_entries=0` turns APQ off."""

    def __init__(self, *, max_entries: int, max_bytes: int) -> None:
        self.store: BoundedStore[str] | None = None
        if max_entries > 0:
            self.store = BoundedStore(max_entries=max_entries, max_bytes=max_bytes)

    def __call__(self, raw: Mapping[str, Any]) -> str | None:
        """The query text a request's parameters stand for: its `query`, or with
        `extensions.persistedQuery` the text registered under that hash."""
        query: str | None = raw.get("query")
        extensions = raw.get("extensions")
        if not isinstance(extensions, dict) or "persistedQuery" not in extensions:
            return query
        if self.store is None:
            if query is None:
                raise Rejected(
                    "PersistedQueryNotSupported",
                    code="PERSISTED_QUERY_NOT_SUPPORTED",
                    graphql=True,
                    headers=NO_STORE,
                )
            return query  # the text is there: the hash is not needed
        sha256 = persisted_query_hash(extensions["persistedQuery"])
        if query is None:
            found = self.store.get(sha256)
            if found is None:
                raise Rejected(
                    "PersistedQueryNotFound",
                    code="PERSISTED_QUERY_NOT_FOUND",
                    graphql=True,
                    headers=NO_STORE,
                )
            return found
        actual = document_hash(query)
        if actual != sha256:
            raise Rejected(
                "provided sha does not match query: `extensions.persistedQuery.sha256Hash` is "
                f"{sha256}, and the SHA-256 of `query` (its UTF-8 text, as sent) is {actual}"
            )
        self.store.put(sha256, query)
        return query


def persisted_query_hash(extension: object) -> str:
    """The SHA-256 (64 lowercase hex digits) that `extensions.persistedQuery` names; raises
    Rejected naming what is wrong with it."""
    if not isinstance(extension, dict):
        raise Rejected(
            "`extensions.persistedQuery` must be an object "
            f'({{"version": 1, "sha256Hash": "<hex>"}}), not {_json(extension)}'
        )
    version = extension.get("version")
    if version != VERSION or isinstance(version, bool):
        raise Rejected(
            f"`extensions.persistedQuery.version` must be {VERSION}, the only version of "
            f"Automatic Persisted Queries, not {_json(version)}"
        )
    return document_id(extension.get("sha256Hash"), "`extensions.persistedQuery.sha256Hash`")


def document_id(value: object, where: str) -> str:
    """The SHA-256 (64 lowercase hex digits) a document id names, given as 64 hex digits or
    as `sha256:<hex>`; raises Rejected naming `where` it came from."""
    found = _SHA256_ID.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        raise Rejected(
            f"{where} must be the document's SHA-256 as 64 hex digits (or `sha256:<hex>`), "
            f"not {_json(value)}"
        )
    return found.group(1).lower()


def _json(value: object) -> str:
    text = orjson.dumps(value).decode()
    return text if len(text) <= 80 else text[:77] + "..."
