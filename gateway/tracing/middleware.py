"""A server span per request, continuing the caller's trace when it sends a W3C `traceparent`.

The span is named for the method and route (`POST /graphql`) and, once the answer is sent,
says what the GraphQL view noted in the request's state: the operation's name, how it was
answered (compiled, resolvers, cached, not_modified, refused) and a refusal's code.
"""

from __future__ import annotations

from typing import Any

from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.middleware.paths import route_label
from gateway.tracing import spans


def _carrier(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}


class TracingMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        tracer = spans.tracer()
        if scope["type"] != "http" or tracer is None:
            await self.app(scope, receive, send)
            return
        route = route_label(scope)
        client = scope.get("client")
        attributes: dict[str, Any] = {
            "http.request.method": scope["method"],
            "url.path": scope["path"],
            "http.route": route,
            "network.protocol.version": scope.get("http_version", "1.1"),
        }
        if client:
            attributes["client.address"] = client[0]
        status = 0

        async def watched_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        with tracer.start_as_current_span(
            f"{scope['method']} {route}",
            context=propagate.extract(_carrier(scope)),
            kind=SpanKind.SERVER,
            attributes=attributes,
        ) as span:
            try:
                await self.app(scope, receive, watched_send)
            except BaseException:
                status = status or 500
                raise
            finally:
                _finish(span, scope, status)


def _finish(span: trace.Span, scope: Scope, status: int) -> None:
    state = scope.get("state", {})
    span.set_attribute("http.response.status_code", status)
    for key, name in (
        ("graphql.operation.name", "operation_name"),
        ("gateway.answer", "answer"),
        ("gateway.refusal.code", "refusal"),
        ("gateway.request_id", "request_id"),
    ):
        value = state.get(name)
        if value:
            span.set_attribute(key, str(value))
    if status >= 500:
        span.set_status(Status(StatusCode.ERROR))
