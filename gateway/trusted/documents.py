"""Trusted documents: a server that runs only the documents of its manifest.

A client names a document by its SHA-256 in whichever way it was built to:

- `documentId` in the body or the URL (the GraphQL-over-HTTP persisted documents appendix;
  GraphQL Code Generator's client preset sends `document.__meta__.hash`, `sha256:<hex>`);
- `doc_id` (Relay's network layer, as its persisted queries guide writes it);
- `extensions.persistedQuery.sha256Hash` (Apollo's and urql's persisted query links);

or sends the document's exact text, run when its SHA-256 is in the manifest. Anything else is
refused before it is parsed: an unknown id with `PERSISTED_QUERY_NOT_FOUND`, a text that is not
in the manifest with `PERSISTED_QUERY_NOT_IN_LIST` (the codes Apollo's router gives). A known id
with a text beside it must have that text.

With `introspection=True` (the explorer allowed, `GATEWAY_TRUSTED_DOCUMENTS_EXPLORER`) an
operation that selects only `__schema`, `__type` and `__typename` runs too, so that the
explorer can show the schema; it is told apart once parsed (`check`), after the size and token
limits, and introspection stays subject to `GATEWAY_INTROSPECTION`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gateway.caching.keys import document_hash
from gateway.caching.persisted import NO_STORE, document_id, persisted_query_hash
from gateway.http.errors import Rejected
from gateway.http.operation import Operation
from gateway.http.request import DOCUMENT_ID_KEYS
from gateway.trusted.manifest import load_manifest

INTROSPECTION_FIELDS = frozenset({"__schema", "__type", "__typename"})


class TrustedDocuments:
    """The `PersistedLookup` of `/graphql` when only a manifest's documents may run."""

    def __init__(self, documents: Mapping[str, str], *, introspection: bool = False) -> None:
        self.documents = dict(documents)  # by SHA-256, 64 lowercase hex digits
        self.introspection = introspection

    @classmethod
    def from_manifest(cls, path: str | Path, *, introspection: bool = False) -> TrustedDocuments:
        return cls(load_manifest(path), introspection=introspection)

    def __call__(self, raw: Mapping[str, Any]) -> str | None:
        """The text of the document the request names or sends; raises Rejected for others."""
        query: str | None = raw.get("query")
        named = _named_document(raw)
        if named is not None:
            where, sha256 = named
            text = self.documents.get(sha256)
            if query is None:
                if text is None:
                    raise Rejected(
                        f"no trusted document has the SHA-256 {sha256} ({where}): this server "
                        "runs only the documents of its manifest",
                        code="PERSISTED_QUERY_NOT_FOUND",
                        graphql=True,
                        headers=NO_STORE,
                    )
                return text
            if query == text:
                return text
            if text is None and document_hash(query) not in self.documents:
                # A client told the id is unknown sends the text (APQ): a manifest takes none.
                return self._untrusted(query)
            raise Rejected(
                f"`query` is not the document that {where} names ({sha256}); send the id alone, "
                "or the document's exact text"
            )
        if query is None:
            return None  # the request then says it has no `query`
        if document_hash(query) in self.documents:
            return query
        return self._untrusted(query)

    def _untrusted(self, query: str) -> str:
        if self.introspection:
            return query  # it may be introspection: `check` decides once it is parsed
        raise _not_in_list(query)

    def check(self, operation: Operation) -> None:
        """Refuses a parsed operation run by text that is neither trusted nor introspection."""
        if not self.introspection:
            return  # every text was checked before it was parsed
        query = operation.request.query
        if document_hash(query) in self.documents:
            return
        if all(name in INTROSPECTION_FIELDS for name in operation.root_fields()):
            return
        raise _not_in_list(query)


def _named_document(raw: Mapping[str, Any]) -> tuple[str, str] | None:
    """Where the request names a document and its SHA-256, if it names one."""
    named = [
        (f"`{key}`", document_id(raw[key], f"`{key}`")) for key in DOCUMENT_ID_KEYS if key in raw
    ]
    extensions = raw.get("extensions")
    if isinstance(extensions, dict) and "persistedQuery" in extensions:
        hashed = persisted_query_hash(extensions["persistedQuery"])
        named.append(("`extensions.persistedQuery.sha256Hash`", hashed))
    if len({sha256 for _, sha256 in named}) > 1:
        raise Rejected(
            f"the request names {len(named)} different documents "
            f"({', '.join(where for where, _ in named)}); name one"
        )
    return named[0] if named else None


def _not_in_list(query: str) -> Rejected:
    return Rejected(
        f"this server runs only trusted documents, and this one (SHA-256 {document_hash(query)}) "
        "is not in its manifest",
        code="PERSISTED_QUERY_NOT_IN_LIST",
        graphql=True,
        headers=NO_STORE,
    )
