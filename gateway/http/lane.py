"""The answer lane: a request the caches can answer is answered before it is routed.

Asked again with the same bytes, a query whose answer is kept needs no parsing, validation,
costing or context: only the dataset's version (read as every request reads it, so nothing old
is ever answered), the kept body and the client's charge. `Replay` does that from a request's
raw bytes, remembered by the view when it first answered them (`gateway.caching.known`).

`AnswerLane` is the innermost middleware: the outer ones (request id, access log, security
headers, CORS, compression) shape its answers as they shape the view's, and what it saves is the
view's steps (parsing, validation, costing, the context), most of a cached answer's cost. It reads
the request once; what it read, or the error reading it, goes on to the view in the scope
(`RAW_KEY`), so a request it cannot answer is not read twice and fails the same way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.caching.keys import AnswerKey
from gateway.caching.known import Known, KnownRequests
from gateway.caching.steps import Caching, Lookup
from gateway.http.errors import Rejected
from gateway.http.media import RESPONSE_TYPES
from gateway.http.request import RawRequest
from gateway.http.response import refused
from gateway.middleware.paths import route_path
from gateway.tracing.spans import annotate, step

if TYPE_CHECKING:
    from gateway.http.view import GraphQLView
    from gateway.limits import Limits
    from gateway.limits.cost import Cost

# The dataset's version now, for a request that has no context (yet).
RequestVersion = Callable[[Request], Awaitable[int]]
# Where the lane leaves what it read for the view: a RawRequest, or the exception reading it.
RAW_KEY = "gateway.raw_request"


def client(request: Request) -> str | None:
    address = request.scope.get("client")
    return str(address[0]) if address else None


class Replay:
    """Answers to requests known from before, from the caches alone."""

    def __init__(
        self, caching: Caching, limits: Limits, known: KnownRequests, version: RequestVersion
    ) -> None:
        self.caching = caching
        self.limits = limits
        self.known = known
        self.version = version

    async def answer(self, raw: RawRequest, request: Request, media: str) -> Response | None:
        """The caches' answer, or None when they hold none (the whole path then runs, and says
        what is wrong if anything is)."""
        if not self.caching.on(request):
            return None
        known = self.known.get(raw.fingerprint)
        if known is None:
            return None
        try:
            version = await self.version(request)
        except Exception:
            return None  # the whole path meets the same trouble and answers it in kind
        found = self.caching.answer(AnswerKey(known.digest, version), request, media)
        if found.response is None:
            return None
        request.state.operation_name = known.operation_name
        request.state.operation_valid = True
        request.state.answer = "cached"
        self.limits.charge(known.cost, client(request))
        return found.response

    def remember(self, raw: RawRequest, cached: Lookup, cost: Cost, name: str | None) -> None:
        """Remember a request the caches answered or will answer, to know it when it comes again."""
        if cached.key is not None:
            self.known.put(raw.fingerprint, Known(cached.key.digest, cost, name))


class AnswerLane:
    """ASGI middleware answering known requests to `view` (served at `path`) from the caches."""

    def __init__(self, app: ASGIApp, *, view: GraphQLView, path: str) -> None:
        self.app = app
        self.view = view
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] in ("GET", "HEAD", "POST")
            and route_path(scope) == self.path
        ):
            response = await self._answer(Request(scope, receive))
            if response is not None:
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _answer(self, request: Request) -> Response | None:
        replay = self.view.replay
        media = self.view.media(request)
        if replay is None or media not in RESPONSE_TYPES:
            return None  # the explorer, or a 406: the view's to say
        assert media is not None
        try:
            raw = await self.view.read_raw(request)
        except (Rejected, ClientDisconnect) as e:
            request.scope[RAW_KEY] = e
            return None
        request.scope[RAW_KEY] = raw
        try:
            with step("cache.lookup", **{"gateway.known_request": True}):
                response = await replay.answer(raw, request, media)
                annotate(**{"gateway.cache.hit": response is not None})
            return response
        except Rejected as e:
            return refused(request, e, media)
