"""Security headers on every response.

A response that sets its own Content-Security-Policy keeps it (the explorer page names the
assets it loads); every other response gets one that lets it load nothing at all, since JSON and
text need nothing. `nosniff` stops browsers guessing types; the referrer policy keeps query
strings (GET queries) out of other sites' logs.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.middleware.headers import response_headers

DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
# As ASGI writes them: lower-case names, bytes.
_DEFAULTS = [
    (name.lower().encode(), value.encode())
    for name, value in {"Content-Security-Policy": DEFAULT_CSP, **HEADERS}.items()
]


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = response_headers(message)
                present = {name for name, _ in headers}
                headers += [(n, v) for n, v in _DEFAULTS if n not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)
