"""The caching steps of `/graphql`, around execution: `lookup` before it, `keep` after.

    cached = await caching.lookup(operation, context, request, media)   # inside the context
    if cached.response is not None:
        return cached.response                 # 304, or a kept body: nothing executed
    ...execute...
    return caching.keep(cached, outcome, encode(outcome, media))

`lookup` reads the dataset's version (one statement on the request's connection) only when a
cache is on and the operation is a query; with every cache off it runs nothing. On a GET whose
`If-None-Match` holds the current ETag it answers 304 without looking further; otherwise a body
kept for the same request at the same version answers. `keep` keeps successful answers (no
`errors`) and gives GET answers their caching headers.

A kept body leaves out `extensions.sql` (the debug report of one request's statements); a debug
request served from the cache gets its own, which says what the hit cost.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import OperationType
from starlette.requests import Request
from starlette.responses import Response

from gateway.caching.conditional import HttpCaching
from gateway.caching.keys import AnswerKey, request_digest
from gateway.caching.results import ResultCache
from gateway.caching.version import dataset_version
from gateway.extensions.sql_stats import KEY as SQL_KEY
from gateway.extensions.sql_stats import sql_extension
from gateway.http.operation import Operation, Outcome
from gateway.http.response import answer, body
from gateway.middleware.headers import add_vary

VersionReader = Callable[[Any], Awaitable[int]]


@dataclass(frozen=True)
class Lookup:
    """What `lookup` found: the answer's key and ETag, and a response when one is ready."""

    key: AnswerKey | None = None
    etag: str | None = None
    response: Response | None = None


MISS = Lookup()


class Caching:
    """The result cache and HTTP caching; either may be None (off), and both by default."""

    def __init__(
        self,
        *,
        results: ResultCache | None = None,
        http: HttpCaching | None = None,
        version: VersionReader = dataset_version,
    ) -> None:
        self.results = results
        self.http = http
        self.version = version

    def on(self, request: Request) -> bool:
        """Whether any cache may answer this request (a result cache, or a GET's validator)."""
        return self.results is not None or (
            self.http is not None and request.method in ("GET", "HEAD")
        )

    async def lookup(
        self, operation: Operation, context: Any, request: Request, media: str
    ) -> Lookup:
        if not self.on(request):
            return MISS
        if operation.definition.operation is not OperationType.QUERY or _live(operation):
            return MISS
        r = operation.request
        key = AnswerKey(
            request_digest(r.query, r.operation_name, r.variables), await self.version(context)
        )
        return self.answer(key, request, media, debug=lambda: sql_extension(context))

    def answer(
        self,
        key: AnswerKey,
        request: Request,
        media: str,
        *,
        debug: Callable[[], dict[str, Any] | None] | None = None,
    ) -> Lookup:
        """What the caches hold for `key`: a 304, a kept body, or only the key and the ETag.

        `debug` gives what to add to a kept body's `extensions` (the request's SQL report).
        """
        etag = None
        if self.http is not None and request.method in ("GET", "HEAD"):
            etag = self.http.etag(key, media)
            not_modified = self.http.not_modified(request.headers.get("if-none-match"), etag)
            if not_modified is not None:
                return Lookup(key, etag, not_modified)
        if self.results is not None:
            kept = self.results.get(key)
            if kept is not None:
                extra = debug() if debug is not None else None
                if extra is not None:
                    kept = _with_extensions(kept, extra)
                headers = self.http.headers(etag) if self.http is not None and etag else None
                return Lookup(key, etag, answer(kept, media=media, headers=headers))
        return Lookup(key, etag)

    def keep(self, lookup: Lookup, outcome: Outcome, response: Response) -> Response:
        """The response, with caching headers on a GET; kept for later if it succeeded."""
        if lookup.key is None or outcome.errors:
            return response
        if self.results is not None:
            self.results.put(lookup.key, _lasting_body(outcome, response))
        if self.http is not None and lookup.etag is not None:
            response.headers["ETag"] = lookup.etag
            response.headers["Cache-Control"] = self.http.cache_control
            add_vary(response.headers, "Accept", "Accept-Encoding")
        return response


# Fields whose answer changes without the data changing (the data's age, the last sync's
# outcome): an operation that selects one is never kept or given a validator.
LIVE_ROOT_FIELDS = frozenset({"datasetInfo"})


def _live(operation: Operation) -> bool:
    return any(name in LIVE_ROOT_FIELDS for name in operation.root_fields())


def _lasting_body(outcome: Outcome, response: Response) -> bytes:
    """The body to keep: the response's, without what describes this one request."""
    if outcome.extensions and SQL_KEY in outcome.extensions:
        rest = {k: v for k, v in outcome.extensions.items() if k != SQL_KEY}
        return body(dataclasses.replace(outcome, extensions=rest or None))
    return bytes(response.body)


def _with_extensions(kept: bytes, extensions: dict[str, Any]) -> bytes:
    payload = orjson.loads(kept)
    payload["extensions"] = {**payload.get("extensions", {}), **extensions}
    return orjson.dumps(payload)
