"""The `/graphql` endpoint: negotiation, the explorer for browsers, and the pipeline's steps."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING

import strawberry
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from gateway.caching.known import KnownRequests
from gateway.caching.steps import Caching
from gateway.http.compiled import CompiledRunner
from gateway.http.errors import Rejected
from gateway.http.lane import RAW_KEY, Replay, RequestVersion, client
from gateway.http.media import ALLOW, GRAPHQL_RESPONSE_JSON, HTML, JSON, RESPONSE_TYPES
from gateway.http.operation import execute, internal_error, prepare
from gateway.http.outage import DatabaseOutage, unavailable
from gateway.http.request import PersistedLookup, RawRequest, parse_raw, read_raw
from gateway.http.response import encode, refused, rejection
from gateway.middleware.headers import add_vary, request_header
from gateway.negotiation import choose_media_type
from gateway.tracing.spans import annotate, step

if TYPE_CHECKING:
    from gateway.limits import Limits
    from gateway.trusted import TrustedDocuments

# A context getter returns the context, or an async context manager that yields it and is
# exited once the operation has run (so a connection it holds goes back to the pool).
ContextGetter = Callable[[Request], Awaitable[object] | AbstractAsyncContextManager[object]]
Explorer = Callable[[Request], Awaitable[Response]]

log = logging.getLogger("gateway.http")


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
        body_timeout: float = 10.0,
        debug: bool = False,
        compiled: CompiledRunner | None = None,
        caching: Caching | None = None,
        persisted: PersistedLookup | None = None,
        trusted: TrustedDocuments | None = None,
        limits: Limits | None = None,
        known: KnownRequests | None = None,
        version: RequestVersion | None = None,
    ) -> None:
        self.schema = schema
        self.compiled = compiled
        self.caching = caching or Caching()
        # Trusted documents stand for APQ: only the manifest's hashes and texts are looked up.
        self.trusted = trusted
        self.persisted = trusted if trusted is not None else persisted
        self.context_getter = context_getter or default_context
        self.explorer = explorer
        self.max_body_size = max_body_size
        self.body_timeout = body_timeout
        self.debug = debug
        if limits is None:
            from gateway.limits import Limits  # gateway.limits builds on this package

            limits = Limits(schema)
        self.limits = limits
        self.outage = DatabaseOutage()
        # Answering known requests from the caches alone, which `gateway.http.lane.AnswerLane`
        # does before routing: with both, and caches to answer.
        self.replay = (
            Replay(self.caching, limits, known, version)
            if known is not None and version is not None
            else None
        )

    def media(self, request: Request) -> str | None:
        """The media type to answer in (HTML: the explorer); None when none is acceptable."""
        offers: tuple[str, ...] = RESPONSE_TYPES
        if self.explorer is not None and request.method in ("GET", "HEAD"):
            offers = (*RESPONSE_TYPES, HTML)
        return choose_media_type(request_header(request.scope, b"accept"), offers)

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
        media = self.media(request)
        if request.method not in ("GET", "HEAD", "POST"):
            error = Rejected(
                f"{request.method} is not allowed on this endpoint; use GET or POST",
                status=405,
                code="METHOD_NOT_ALLOWED",
                headers={"Allow": ALLOW},
            )
            return refused(request, error, media if media in RESPONSE_TYPES else JSON)
        if media == HTML:
            assert self.explorer is not None
            request.state.answer = "explorer"
            page = await self.explorer(request)
            add_vary(page.headers, "Accept")  # the same URL answers JSON to other clients
            return page
        if media is None:
            error = Rejected(
                f"this endpoint answers {GRAPHQL_RESPONSE_JSON} or {JSON}, and the request "
                f"accepts neither (Accept: {request.headers.get('accept')})",
                status=406,
                code="NOT_ACCEPTABLE",
            )
            return refused(request, error, JSON)
        try:
            return await self._run(request, media)
        except Rejected as e:
            return refused(request, e, media)
        except ClientDisconnect:
            return Response(status_code=400)
        except Exception as e:
            reason = unavailable(e)
            if reason is not None:
                return rejection(self.outage.refusal(reason), media)
            log.exception("request %s failed", request_id(request))
            error = Rejected(
                internal_error(request_id(request), e, debug=self.debug),
                status=500,
                code="INTERNAL_SERVER_ERROR",
            )
            response = refused(request, error, media)
            request.state.answer = "failed"  # a fault of ours, not a refusal
            return response

    async def read_raw(self, request: Request) -> RawRequest:
        """The request's bytes, read once: by the answer lane, when it ran first."""
        read = request.scope.pop(RAW_KEY, None)
        if read is None:
            return await read_raw(
                request, max_body_size=self.max_body_size, body_timeout=self.body_timeout
            )
        if isinstance(read, Exception):
            raise read
        assert isinstance(read, RawRequest)
        return read

    async def _run(self, request: Request, media: str) -> Response:
        raw = await self.read_raw(request)
        graphql_request = parse_raw(raw, request, self.persisted)
        request.state.operation_name = graphql_request.operation_name
        with step("graphql.parse"):
            self.limits.check_source(graphql_request)
            operation = prepare(graphql_request)
        request.state.operation_name = operation.name
        if self.trusted is not None:
            self.trusted.check(operation)
        with step("graphql.validate", **{"graphql.operation.name": operation.name or ""}):
            cost = self.limits.check(operation, client=client(request))
        request.state.operation_valid = True  # its name may now be a metric's label
        async with self.limits.deadline(cost), self._context(request) as context:
            with step("cache.lookup"):
                cached = await self.caching.lookup(operation, context, request, media)
                annotate(**{"gateway.cache.hit": cached.response is not None})
            if cached.response is not None:
                request.state.answer = "cached"
                if self.replay is not None:
                    self.replay.remember(raw, cached, cost, operation.name)
                return cached.response
            with step("graphql.execute"):
                outcome = None
                if self.compiled is not None:
                    outcome = await self.compiled.run(operation, context)
                    request.state.answer = "compiled"
                if outcome is None:
                    request.state.answer = "resolvers"
                    outcome = await execute(
                        operation,
                        self.schema,
                        context,
                        request_id=request_id(request),
                        debug=self.debug,
                    )
                annotate(**{"gateway.answer": request.state.answer})
        self.outage.answered()
        outcome.extensions = {**(outcome.extensions or {}), **cost.extension()}
        if self.replay is not None and not outcome.errors:
            self.replay.remember(raw, cached, cost, operation.name)
        return self.caching.keep(cached, outcome, encode(outcome, media))

    @asynccontextmanager
    async def _context(self, request: Request) -> AsyncIterator[object]:
        made = self.context_getter(request)
        if isinstance(made, AbstractAsyncContextManager):
            async with made as context:
                yield context
        else:
            yield await made
