"""Reading a manifest of trusted documents: the JSON object of SHA-256 -> document text that
GraphQL Code Generator's client preset (`persistedDocuments`, `persisted-documents.json`) and
Relay's compiler (`persistConfig: {"file": ..., "algorithm": "SHA256"}`) write.

Keys are 64 hex digits, bare (Relay) or prefixed `sha256:` (the client preset). Each key must
be the SHA-256 of its text's UTF-8 bytes: a manifest made with another algorithm (the client
preset's `sha1`, Relay's default MD5) or edited by hand is refused whole, naming the entry, so
that a document is never run under a hash that is not its own.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import orjson

_KEY = re.compile(r"(?:sha256:)?([0-9a-f]{64})")


class ManifestError(ValueError):
    """The manifest cannot be used; the message names the file, the entry and the fix."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"trusted documents manifest {path}: {problem}")


def load_manifest(path: str | Path) -> dict[str, str]:
    """The manifest's documents by SHA-256 (64 lowercase hex digits); raises ManifestError."""
    path = Path(path)
    try:
        data = orjson.loads(path.read_bytes())
    except OSError as e:
        raise ManifestError(path, f"cannot be read ({e.strerror or e})") from None
    except orjson.JSONDecodeError as e:
        raise ManifestError(path, f"is not valid JSON ({e})") from None
    if not isinstance(data, dict):
        raise ManifestError(
            path,
            "must be a JSON object of SHA-256 -> document text, as GraphQL Code "
            "Generator's persisted-documents.json and Relay's persisted queries file are",
        )
    if not data:
        raise ManifestError(path, "holds no documents, so nothing could be run")
    documents: dict[str, str] = {}
    for key, text in data.items():
        found = _KEY.fullmatch(key.lower())
        if found is None:
            raise ManifestError(
                path,
                f"key {_short(key)} is not a SHA-256 (64 hex digits, or sha256:<hex>); "
                "generate the manifest with SHA-256 (client preset: `hashAlgorithm: 'sha256'`; "
                'Relay: `"algorithm": "SHA256"`)',
            )
        if not isinstance(text, str):
            raise ManifestError(path, f"the document under {_short(key)} is not a string")
        actual = hashlib.sha256(text.encode()).hexdigest()
        if actual != found.group(1):
            raise ManifestError(
                path,
                f"key {_short(key)} is not the SHA-256 of its document ({actual}); "
                "the manifest was made with another hash or edited: generate it again",
            )
        documents[actual] = text
    return documents


def _short(key: str) -> str:
    return repr(key if len(key) <= 80 else key[:77] + "...")
