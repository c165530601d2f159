"""One structured log line per request: what was asked, how it went, how long it took.

The line is a `gateway.access` log record whose `fields` hold the request id, method, path,
GraphQL operation name (set by the GraphQL view in `request.state.operation_name`), status,
duration in milliseconds and the size of the body as sent (after compression). `gateway.logs`
writes it as JSON.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.middleware.paths import route_path

log = logging.getLogger("gateway.access")


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp, *, logger: logging.Logger = log) -> None:
        self.app = app
        self.logger = logger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0
        size = 0

        async def measured_send(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, measured_send)
        except BaseException:
            status = status or 500
            raise
        finally:
            self.logger.info("request", extra={"fields": _fields(scope, status, size, started)})


def _fields(scope: Scope, status: int, size: int, started: float) -> dict[str, Any]:
    state = scope.get("state", {})
    client = scope.get("client")
    return {
        "request_id": state.get("request_id"),
        "method": scope["method"],
        "path": scope.get("root_path", "") + route_path(scope),
        "operation": state.get("operation_name"),
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 3),
        "bytes": size,
        "client": client[0] if client else None,
        "user_agent": Headers(scope=scope).get("user-agent"),
    }
