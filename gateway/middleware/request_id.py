"""A request id on every request and response, so one line of a client's report finds the logs.

An incoming `X-Request-Id` is kept when it is sane (1-128 letters, digits and `-_.:/+=@`), as a
proxy or a client may have set it to trace a request across services; otherwise a new one is made.
Handlers and the access log read it from `request.state.request_id`.
"""

from __future__ import annotations

import re
import uuid

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.middleware.headers import response_headers

HEADER = "X-Request-Id"
SANE = re.compile(r"[A-Za-z0-9\-_.:/+=@]{1,128}")


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get(HEADER)
        rid = incoming if incoming is not None and SANE.fullmatch(incoming) else new_request_id()
        scope.setdefault("state", {})["request_id"] = rid

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers(message)[HEADER] = rid
            await send(message)

        await self.app(scope, receive, send_with_id)
