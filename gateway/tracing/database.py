"""A client span per SQL statement, a child of the step that ran it: the engine's (resolvers,
loaders) from its events, the compiled path's on raw connections (`db.direct`) from its
reader's observer, with the times it measured."""

from __future__ import annotations

import time
from typing import Any

from opentelemetry.trace import SpanKind, Status, StatusCode
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from db.direct import DirectReader
from gateway.tracing import spans

_SPAN = "gateway.tracing.statement_span"
MAX_STATEMENT_TEXT = 2000


def _start(sql: str, system: str, database: str | None, start_time: int | None = None) -> Any:
    tracer = spans.tracer()
    if tracer is None:
        return None
    operation = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else "SQL"
    return tracer.start_span(
        f"db {operation}",
        kind=SpanKind.CLIENT,
        start_time=start_time,
        attributes={
            "db.system": system,
            "db.namespace": database or "",
            "db.operation.name": operation,
            "db.query.text": sql[:MAX_STATEMENT_TEXT],
        },
    )


def trace_direct(direct: DirectReader) -> None:
    system, database = direct.backend, direct.url.database

    def observe(sql: str, seconds: float, error: BaseException | None) -> None:
        ended = time.time_ns()
        span = _start(sql, system, database, start_time=ended - int(seconds * 1e9))
        if span is None:
            return
        if error is not None:
            span.set_status(Status(StatusCode.ERROR, type(error).__name__))
        span.end(end_time=ended)

    direct.observers.append(observe)


def instrument_engine_spans(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine
    system = sync_engine.dialect.name
    database = sync_engine.url.database

    def before(conn: Any, _cursor: Any, sql: str, _params: Any, _ctx: Any, _many: bool) -> None:
        span = _start(sql, system, database)
        if span is not None:
            conn.info[_SPAN] = span

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
