"""What identifies an answer: the request's digest, and the version of the data it was read from.

The digest covers what decides the body (the document's text, the operation's name, the
variables in a canonical order); the version changes with every change of data, in the database,
so a key made after an import can never find an answer made before it, in any process.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson


def document_hash(query: str) -> str:
    """The SHA-256 of the query text in hex, as Automatic Persisted Queries name documents."""
    return hashlib.sha256(query.encode()).hexdigest()


def request_digest(
    query: str, operation_name: str | None, variables: dict[str, Any] | None
) -> bytes:
    """A digest of everything in a request that decides its answer's body."""
    canonical = orjson.dumps([query, operation_name, variables or {}], option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).digest()


@dataclass(frozen=True)
class AnswerKey:
    """An answer's identity: the request's digest at one version of the data."""

    digest: bytes
    version: int
