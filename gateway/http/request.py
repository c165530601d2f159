"""Reading a GraphQL-over-HTTP request: GET parameters or a JSON POST body, checked for type.

Anything malformed (a wrong content type, bad JSON, a parameter of the wrong type, a batch, a
body over the limit or too slow to arrive) is `Rejected` with a 4xx status and a message naming
what was wrong and where. A body is read no further than the limit, and no longer than the
body timeout, so a client cannot hold a worker's memory or a connection by sending slowly.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import ClientDisconnect, Request

from gateway.http.errors import Rejected
from gateway.http.media import JSON
from gateway.middleware.headers import request_header
from gateway.negotiation import media_type

# The query text a request's parameters (as sent, not yet checked) stand for, when a document
# may come by its hash (`extensions.persistedQuery`, `documentId`); `query` as it is otherwise.
# Raises Rejected. `gateway.caching.persisted.PersistedQueries` (APQ) and
# `gateway.trusted.TrustedDocuments` (only the documents of a manifest) are such lookups.
PersistedLookup = Callable[[Mapping[str, Any]], str | None]
# Parameters that name a document by its id instead of giving its text: the GraphQL-over-HTTP
# persisted documents appendix's and GraphQL Code Generator's `documentId`, Relay's `doc_id`.
DOCUMENT_ID_KEYS = ("documentId", "doc_id")

CLOSE = {"Connection": "close"}


@dataclass(frozen=True)
class GraphQLRequest:
    """The four parameters of a GraphQL-over-HTTP request, checked for type."""

    method: str
    query: str
    operation_name: str | None = None
    variables: dict[str, Any] | None = None
    extensions: dict[str, Any] | None = None


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "a number"
    )


def _parameters(
    raw: Mapping[str, Any], method: str, where: str, persisted: PersistedLookup | None
) -> GraphQLRequest:
    query = raw.get("query")
    if persisted is not None and (query is None or isinstance(query, str)):
        query = persisted(raw)
    if query is None:
        raise Rejected(f"{where} has no `query`: send the GraphQL document as `query`")
    if not isinstance(query, str):
        raise Rejected(f"`query` in {where} must be a string, not {_kind(query)}")
    name = raw.get("operationName")
    if name is not None and not isinstance(name, str):
        raise Rejected(f"`operationName` in {where} must be a string or null, not {_kind(name)}")
    for key in ("variables", "extensions"):
        value = raw.get(key)
        if value is not None and not isinstance(value, dict):
            raise Rejected(f"`{key}` in {where} must be an object or null, not {_kind(value)}")
    return GraphQLRequest(method, query, name, raw.get("variables"), raw.get("extensions"))


def _json(value: str, key: str) -> Any:
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError as e:
        raise Rejected(f"the URL's `{key}` parameter is not valid JSON: {e}") from None


def _from_url(request: Request, persisted: PersistedLookup | None) -> GraphQLRequest:
    params = request.query_params
    raw: dict[str, Any] = {}
    for key in ("query", "operationName", "variables", "extensions", *DOCUMENT_ID_KEYS):
        values = params.getlist(key)
        if len(values) > 1:
            raise Rejected(f"the URL gives `{key}` {len(values)} times; give it once")
        if values:
            raw[key] = _json(values[0], key) if key in ("variables", "extensions") else values[0]
    return _parameters(raw, "GET", "the URL", persisted)


async def _body(request: Request, limit: int, timeout: float) -> bytes:
    """The body, read up to `limit` bytes and for at most `timeout` seconds, never further."""
    declared = request_header(request.scope, b"content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    with _Deadline(timeout) as deadline:
        try:
            return await _read_body(request, limit)
        except asyncio.CancelledError:
            if not deadline.cut():
                raise
    raise Rejected(
        f"the request body did not arrive within {timeout:g} s",
        status=408,
        code="REQUEST_TIMEOUT",
        headers=CLOSE,
    )


async def _read_body(request: Request, limit: int) -> bytes:
    chunks = []
    size = 0
    more = True
    while more:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        more = message.get("more_body", False)
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


class _Deadline:
    """Cancels the current task after `seconds`: `asyncio.timeout` with half its cost (one timer,
    no rescheduling), which every POST pays. `cut()`: whether it was this that cancelled."""

    def __init__(self, seconds: float) -> None:
        self._task = asyncio.current_task()
        self._seconds = seconds
        self._expired = False
        self._cancelling = 0
        self._handle: asyncio.TimerHandle | None = None

    def __enter__(self) -> _Deadline:
        self._cancelling = self._task.cancelling() if self._task is not None else 0
        self._handle = asyncio.get_running_loop().call_later(self._seconds, self._expire)
        return self

    def _expire(self) -> None:
        self._expired = True
        if self._task is not None:
            self._task.cancel()

    def cut(self) -> bool:
        """As `asyncio.timeout` decides: a cancel from elsewhere as well is not swallowed."""
        if not self._expired or self._task is None:
            return False
        return self._task.uncancel() <= self._cancelling

    def __exit__(self, *_: object) -> None:
        if self._handle is not None:
            self._handle.cancel()


def _too_large(limit: int) -> Rejected:
    # The rest of the body is never read, so the connection cannot carry another request.
    return Rejected(
        f"the request body is larger than {limit} bytes",
        status=413,
        code="PAYLOAD_TOO_LARGE",
        headers=CLOSE,
    )


@dataclass(frozen=True)
class RawRequest:
    """A request as it came, before any parsing: what decides its parameters, byte for byte.

    Two requests with equal `fingerprint`s stand for the same parameters, so what was worked
    out from one (its digest, its cost) holds for the other (`gateway.caching.known`).
    """

    method: str
    data: bytes  # the URL's query string for GET and HEAD, the body for POST

    @property
    def fingerprint(self) -> bytes:
        digest = hashlib.blake2b(self.method.encode(), digest_size=16)
        digest.update(b"\x00")
        digest.update(self.data)
        return digest.digest()


def _check_content_type(request: Request) -> None:
    content_type = request_header(request.scope, b"content-type")
    if content_type is None:
        raise Rejected(
            "a POST needs `Content-Type: application/json`; the request has no Content-Type",
            status=415,
            code="UNSUPPORTED_MEDIA_TYPE",
        )
    kind, params = media_type(content_type)
    if kind != JSON or params.get("charset", "utf-8") != "utf-8":
        raise Rejected(
            f"a POST needs `Content-Type: application/json` in UTF-8, not {content_type!r}",
            status=415,
            code="UNSUPPORTED_MEDIA_TYPE",
        )


async def read_raw(request: Request, *, max_body_size: int, body_timeout: float) -> RawRequest:
    """The request's bytes: a POST's body (of JSON, checked), or a GET's query string."""
    if request.method in ("GET", "HEAD"):
        return RawRequest(request.method, request.scope["query_string"])
    _check_content_type(request)
    return RawRequest(request.method, await _body(request, max_body_size, body_timeout))


def parse_raw(
    raw: RawRequest, request: Request, persisted: PersistedLookup | None = None
) -> GraphQLRequest:
    """The parameters `raw` holds; with `persisted`, a query may come as its hash instead."""
    if raw.method in ("GET", "HEAD"):
        return _from_url(request, persisted)
    return _from_body(raw.data, persisted)


def _from_body(body: bytes, persisted: PersistedLookup | None) -> GraphQLRequest:
    if not body.strip():
        raise Rejected("the request body is empty: send a JSON object with a `query`")
    try:
        raw = orjson.loads(body)
    except orjson.JSONDecodeError as e:
        raise Rejected(f"the request body is not valid JSON: {e}") from None
    if isinstance(raw, list):
        raise Rejected(
            f"the request body is an array of {len(raw)} items: batched operations are not "
            "supported; send each operation in a request of its own",
            code="BATCHING_NOT_SUPPORTED",
        )
    if not isinstance(raw, dict):
        raise Rejected(f"the request body must be a JSON object with a `query`, not {_kind(raw)}")
    return _parameters(raw, "POST", "the request body", persisted)


async def read_request(
    request: Request,
    *,
    max_body_size: int,
    body_timeout: float = 10.0,
    persisted: PersistedLookup | None = None,
) -> GraphQLRequest:
    """The request's parameters; with `persisted`, a query may come as its hash instead."""
    raw = await read_raw(request, max_body_size=max_body_size, body_timeout=body_timeout)
    return parse_raw(raw, request, persisted)
