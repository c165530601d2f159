"""A request id on every request and response, so one line of a client's report finds the logs.

An incoming `X-Request-Id` is kept when it is sane (1-128 letters, digits and `-_.:/+=@`), as a
proxy or a client may have set it to trace a request across services; otherwise a new one is made.
Handlers and the access log read it from `request.state.request_id`.
"""

from __future__ import annotations

import os
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.middleware.headers import request_header, response_headers, set_header

HEADER = "X-Request-Id"
_NAME = HEADER.lower().encode()
SANE = re.compile(r"[A-Za-z0-9\-_.:/+=@]{1,128}")


def new_request_id() -> str:
    """32 random hex digits (what `uuid4().hex` gives, less the version bits, for less work)."""
    return os.urandom(16).hex()


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = request_header(scope, _NAME)
        rid = incoming if incoming is not None and SANE.fullmatch(incoming) else new_request_id()
        scope.setdefault("state", {})["request_id"] = rid

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                set_header(response_headers(message), _NAME, rid.encode())
            await send(message)

        await self.app(scope, receive, send_with_id)
