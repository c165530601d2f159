"""GraphQL over HTTP, as the GraphQL-over-HTTP specification words it.

One request goes through four steps, each a function, so that later stages (limits, cost,
persisted queries, a result cache, a compiled path) slot in between them:

    read_request(request)    -> GraphQLRequest   HTTP rules: method, content type, parameters
    prepare(graphql_request) -> Operation        parse (cached), pick the operation, the GET rule
    execute(operation, ...)  -> Outcome          strawberry's `Schema.execute`
    encode(outcome, media)   -> Response         status code and body for the chosen media type

A request that goes wrong anywhere is answered as a GraphQL error (`{"errors": [...]}`) with the
status the specification asks for: `application/graphql-response+json` gets 4xx and no `data`
key on parse, validation and variable errors; `application/json` gets 200 for those, as its
older clients expect, and 4xx only when the HTTP request itself is malformed. Nothing answers
with a traceback.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
import strawberry
from graphql import (
    DocumentNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
    parse,
)
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType as StrawberryOperationType

from gateway.negotiation import choose_media_type, media_type

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
HTML = "text/html"
RESPONSE_TYPES = (JSON, GRAPHQL_RESPONSE_JSON)  # JSON first: `*/*` and no Accept get it
ALLOW = "GET, HEAD, POST, OPTIONS"

ContextGetter = Callable[[Request], Awaitable[object]]
Explorer = Callable[[Request], Awaitable[Response]]

log = logging.getLogger("gateway.http")


class Rejected(Exception):
    """The request is answered with errors and no `data`, before or instead of execution.

    `status` is the answer under application/graphql-response+json. A `graphql` rejection is a
    GraphQL request error in a well-formed HTTP request (a parse, validation or variable error),
    which application/json answers with 200 as the specification asks.
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int = 400,
        code: str = "BAD_REQUEST",
        graphql: bool = False,
        errors: list[dict[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.errors = errors or [{"message": message, "extensions": {"code": code}}]
        self.status = status
        self.graphql = graphql
        self.headers = dict(headers or {})

    def status_for(self, media: str) -> int:
        return 200 if self.graphql and media == JSON else self.status


@dataclass(frozen=True)
class GraphQLRequest:
    """The four parameters of a GraphQL-over-HTTP request, checked for type."""

    method: str
    query: str
    operation_name: str | None = None
    variables: dict[str, Any] | None = None
    extensions: dict[str, Any] | None = None


@dataclass(frozen=True)
class Operation:
    request: GraphQLRequest
    document: DocumentNode
    definition: OperationDefinitionNode

    @property
    def name(self) -> str | None:
        return self.definition.name.value if self.definition.name else None


@dataclass
class Outcome:
    data: dict[str, Any] | None
    errors: list[dict[str, Any]] = field(default_factory=list)
    extensions: dict[str, Any] | None = None


# Reading the HTTP request --------------------------------------------------------------------


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "a number"
    )


def _parameters(raw: Mapping[str, Any], method: str, where: str) -> GraphQLRequest:
    query = raw.get("query")
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


def _from_url(request: Request) -> GraphQLRequest:
    params = request.query_params
    raw: dict[str, Any] = {}
    for key in ("query", "operationName", "variables", "extensions"):
        values = params.getlist(key)
        if len(values) > 1:
            raise Rejected(f"the URL gives `{key}` {len(values)} times; give it once")
        if values:
            raw[key] = values[0] if key in ("query", "operationName") else _json(values[0], key)
    return _parameters(raw, "GET", "the URL")


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> Rejected:
    return Rejected(
        f"the request body is larger than {limit} bytes", status=413, code="PAYLOAD_TOO_LARGE"
    )


async def _from_body(request: Request, limit: int) -> GraphQLRequest:
    content_type = request.headers.get("content-type")
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
    body = await _body(request, limit)
    if not body.strip():
        raise Rejected("the request body is empty: send a JSON object with a `query`")
    try:
        raw = orjson.loads(body)
    except orjson.JSONDecodeError as e:
        raise Rejected(f"the request body is not valid JSON: {e}") from None
    if not isinstance(raw, dict):
        raise Rejected(
            f"the request body must be a JSON object with a `query`, not {_kind(raw)}"
            + (" (batched requests are not supported)" if isinstance(raw, list) else "")
        )
    return _parameters(raw, "POST", "the request body")


async def read_request(request: Request, *, max_body_size: int) -> GraphQLRequest:
    if request.method in ("GET", "HEAD"):
        return _from_url(request)
    return await _from_body(request, max_body_size)


# Preparing the operation ---------------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def parse_document(query: str) -> DocumentNode:
    """Parsed documents, kept for repeated queries (the AST is never mutated)."""
    return parse(query)


def _formatted(error: GraphQLError) -> dict[str, Any]:
    return {**error.formatted}


def _graphql_error(error: GraphQLError, code: str) -> dict[str, Any]:
    """The error as the spec formats it, with a machine-readable code unless it has one."""
    formatted = _formatted(error)
    formatted["extensions"] = {"code": code, **(formatted.get("extensions") or {})}
    return formatted


def _operation_missing(name: str | None, document: DocumentNode) -> str:
    if name is not None:
        return f'Unknown operation named "{name}".'
    if not any(isinstance(d, OperationDefinitionNode) for d in document.definitions):
        return "Must provide an operation."
    return "Must provide operation name if query contains multiple operations."


def prepare(request: GraphQLRequest) -> Operation:
    try:
        document = parse_document(request.query)
    except GraphQLError as e:
        raise Rejected(errors=[_graphql_error(e, "GRAPHQL_PARSE_FAILED")], graphql=True) from None
    definition = get_operation_ast(document, request.operation_name)
    if definition is None:
        message = _operation_missing(request.operation_name, document)
        raise Rejected(message, code="BAD_REQUEST", graphql=True)
    if request.method != "POST" and definition.operation is OperationType.MUTATION:
        raise Rejected(
            "mutations are not allowed over GET: send them with POST",
            status=405,
            code="METHOD_NOT_ALLOWED",
            headers={"Allow": "POST"},
        )
    return Operation(request, document, definition)


# Executing -----------------------------------------------------------------------------------


def _unexpected(errors: list[GraphQLError]) -> BaseException | None:
    """An exception that is a fault of ours rather than of the request, if any."""
    for error in errors:
        original = error.original_error
        if original is not None and not isinstance(original, GraphQLError):
            return original
    return None


async def execute(operation: Operation, schema: strawberry.Schema, context: object) -> Outcome:
    request = operation.request
    allowed = {StrawberryOperationType.QUERY}
    if request.method == "POST":
        allowed.add(StrawberryOperationType.MUTATION)
    try:
        result = await schema.execute(
            request.query,
            variable_values=request.variables,
            context_value=context,
            operation_name=request.operation_name,
            allowed_operation_types=allowed,
            operation_extensions=request.extensions,
        )
    except InvalidOperationTypeError as e:
        raise Rejected(e.as_http_error_reason(request.method), graphql=True) from None
    except CannotGetOperationTypeError as e:
        raise Rejected(e.as_http_error_reason(), graphql=True) from None
    errors = list(result.errors or [])
    if isinstance(result, PreExecutionError):
        unexpected = _unexpected(errors)
        if unexpected is not None:
            raise unexpected
        raise Rejected(
            errors=[_graphql_error(e, "GRAPHQL_VALIDATION_FAILED") for e in errors], graphql=True
        )
    if result.data is None and errors and all(e.path is None for e in errors):
        # graphql-core stops before executing anything only when variables fail to coerce.
        raise Rejected(errors=[_graphql_error(e, "BAD_USER_INPUT") for e in errors], graphql=True)
    return Outcome(result.data, [_formatted(e) for e in errors], result.extensions or None)


# Answering -----------------------------------------------------------------------------------


def graphql_response(
    payload: dict[str, Any],
    *,
    media: str,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    return Response(
        orjson.dumps(payload),
        status_code=status,
        media_type=f"{media}; charset=utf-8",
        headers={"Vary": "Accept", **(headers or {})},
    )


def encode(outcome: Outcome, media: str) -> Response:
    payload: dict[str, Any] = {}
    if outcome.errors:
        payload["errors"] = outcome.errors
    payload["data"] = outcome.data
    if outcome.extensions:
        payload["extensions"] = outcome.extensions
    return graphql_response(payload, media=media)


def rejection(error: Rejected, media: str) -> Response:
    return graphql_response(
        {"errors": error.errors},
        media=media,
        status=error.status_for(media),
        headers=error.headers,
    )


# The endpoint --------------------------------------------------------------------------------


async def default_context(request: Request) -> object:
    return {"request": request}


def request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", "-"))


class GraphQLView:
    """The `/graphql` endpoint: every method, negotiated, answered as GraphQL.

    An ASGI app rather than a request handler, so that Starlette routes every method to it and
    the refusals (405 with `Allow`) are GraphQL errors too.
    """

    def __init__(
        self,
        schema: strawberry.Schema,
        *,
        context_getter: ContextGetter | None = None,
        explorer: Explorer | None = None,
        max_body_size: int = 1_048_576,
        debug: bool = False,
    ) -> None:
        self.schema = schema
        self.context_getter = context_getter or default_context
        self.explorer = explorer
        self.max_body_size = max_body_size
        self.debug = debug

    def _media(self, request: Request) -> str | None:
        offers: tuple[str, ...] = RESPONSE_TYPES
        if self.explorer is not None and request.method in ("GET", "HEAD"):
            offers = (*RESPONSE_TYPES, HTML)
        return choose_media_type(request.headers.get("accept"), offers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        try:
            response = await self.handle(request)
        except asyncio.CancelledError:
            # uvicorn cancels what still runs when `shutdown_timeout` is over: say so, in kind.
            log.warning("request %s cut short by shutdown", request_id(request))
            cut = Rejected(
                "the server is shutting down; send the request again",
                status=503,
                code="SERVICE_UNAVAILABLE",
                headers={"Retry-After": "1", "Connection": "close"},
            )
            await rejection(cut, JSON)(scope, receive, send)
            raise
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": ALLOW})
        media = self._media(request)
        if request.method not in ("GET", "HEAD", "POST"):
            error = Rejected(
                f"{request.method} is not allowed on this endpoint; use GET or POST",
                status=405,
                code="METHOD_NOT_ALLOWED",
                headers={"Allow": ALLOW},
            )
            return rejection(error, media if media in RESPONSE_TYPES else JSON)
        if media == HTML:
            assert self.explorer is not None
            return await self.explorer(request)
        if media is None:
            error = Rejected(
                f"this endpoint answers {GRAPHQL_RESPONSE_JSON} or {JSON}, and the request "
                f"accepts neither (Accept: {request.headers.get('accept')})",
                status=406,
                code="NOT_ACCEPTABLE",
            )
            return rejection(error, JSON)
        try:
            return await self._run(request, media)
        except Rejected as e:
            return rejection(e, media)
        except ClientDisconnect:
            return Response(status_code=400)
        except Exception as e:
            log.exception("request %s failed", request_id(request))
            detail = f": {type(e).__name__}: {e}" if self.debug else ""
            error = Rejected(
                f"internal server error (request id {request_id(request)}){detail}",
                status=500,
                code="INTERNAL_SERVER_ERROR",
            )
            return rejection(error, media)

    async def _run(self, request: Request, media: str) -> Response:
        graphql_request = await read_request(request, max_body_size=self.max_body_size)
        request.state.operation_name = graphql_request.operation_name
        operation = prepare(graphql_request)
        request.state.operation_name = operation.name
        context = await self.context_getter(request)
        outcome = await execute(operation, self.schema, context)
        return encode(outcome, media)
