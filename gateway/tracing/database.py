"""A client span per SQL statement of the API's engine, a child of the step that ran it."""

from __future__ import annotations

from typing import Any

from opentelemetry.trace import SpanKind, Status, StatusCode
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.tracing import spans

_SPAN = "gateway.tracing.statement_span"
MAX_STATEMENT_TEXT = 2000


def instrument_engine_spans(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine
    system = sync_engine.dialect.name
    database = sync_engine.url.database

    def before(conn: Any, _cursor: Any, sql: str, _params: Any, _ctx: Any, _many: bool) -> None:
        tracer = spans.tracer()
        if tracer is None:
            return
        operation = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else "SQL"
        conn.info[_SPAN] = tracer.start_span(
            f"db {operation}",
            kind=SpanKind.CLIENT,
            attributes={
                "db.system": system,
                "db.namespace": database or "",
                "db.operation.name": operation,
                "db.query.text": sql[:MAX_STATEMENT_TEXT],
            },
        )

    def after(conn: Any, _cursor: Any, _sql: str, _params: Any, _ctx: Any, _many: bool) -> None:
        span = conn.info.pop(_SPAN, None)
        if span is not None:
            span.end()

    def failed(context: Any) -> None:
        conn = context.connection
        span = conn.info.pop(_SPAN, None) if conn is not None else None
        if span is not None:
            span.set_status(Status(StatusCode.ERROR, type(context.original_exception).__name__))
            span.end()

    event.listen(sync_engine, "before_cursor_execute", before)
    event.listen(sync_engine, "after_cursor_execute", after)
    event.listen(sync_engine, "handle_error", failed)
