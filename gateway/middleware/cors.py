"""CORS for browser apps on other origins: configured origins, or any (`*`, the default).

The API is public and read-only and takes no cookies, so no credentials are allowed and a
preflight may ask for any request header. An origin that is not allowed gets no CORS header at
all (its preflight is answered 403), so the browser keeps the response from the page. Every
answer carries `Vary: Origin`, since whether CORS headers appear depends on it.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.middleware.headers import (
    add_vary_raw,
    request_header,
    response_headers,
    set_header,
)

METHODS = "GET, HEAD, POST, OPTIONS"
# Readable by scripts on other origins besides the CORS-safelisted ones.
EXPOSED = "X-Request-Id, Content-Encoding, Content-Length"
PREFLIGHT_VARY = ("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers")


class CORSMiddleware:
    def __init__(self, app: ASGIApp, *, origins: Sequence[str], max_age: int = 600) -> None:
        self.app = app
        self.any_origin = "*" in origins
        self.origins = frozenset(o.lower() for o in origins)
        self.max_age = max_age

    def allows(self, origin: str) -> bool:
        return self.any_origin or origin.lower() in self.origins

    def _allow_origin(self, origin: str) -> str:
        return "*" if self.any_origin else origin

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = request_header(scope, b"origin")
        if origin is not None and scope["method"] == "OPTIONS":
            headers = Headers(scope=scope)
            if "access-control-request-method" in headers:
                await self.preflight(origin, headers)(scope, receive, send)
                return
        exposed = (
            []
            if origin is None or not self.allows(origin)
            else [
                (b"access-control-allow-origin", self._allow_origin(origin).encode("latin-1")),
                (b"access-control-expose-headers", EXPOSED.encode()),
            ]
        )

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer = response_headers(message)
                add_vary_raw(answer, "Origin")
                for name, value in exposed:
                    set_header(answer, name, value)
            await send(message)

        await self.app(scope, receive, send_with_cors)

    def preflight(self, origin: str, request_headers: Headers) -> Response:
        vary = ", ".join(PREFLIGHT_VARY)
        if not self.allows(origin):
            return PlainTextResponse(
                f"CORS: the origin {origin} is not allowed to call this API",
                status_code=403,
                headers={"Vary": vary},
            )
        headers = {
            "Access-Control-Allow-Origin": self._allow_origin(origin),
            "Access-Control-Allow-Methods": METHODS,
            "Access-Control-Max-Age": str(self.max_age),
            "Vary": vary,
        }
        requested = request_headers.get("access-control-request-headers")
        if requested:
            headers["Access-Control-Allow-Headers"] = requested
        return Response(status_code=204, headers=headers)
