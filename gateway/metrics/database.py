"""The database's share: statements the API runs, their time, and the engine's pool's use.

SQLAlchemy's engine and pool events feed the instruments for the resolvers, loaders and
`/readyz`; the compiled path's statement, read on raw driver connections (`db.direct`), is
counted by the reader's observer. Pool events run on the
process's event loop thread (asyncpg and aiosqlite are adapted there), so plain gauge updates
suffice.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from db.direct import DirectReader
from gateway.metrics.instruments import Instruments

_STARTED = "gateway.metrics.statement_started"


def instrument_engine(engine: AsyncEngine, instruments: Instruments) -> None:
    sync_engine = engine.sync_engine

    def before(conn: Any, _cursor: Any, _sql: str, _params: Any, _ctx: Any, _many: bool) -> None:
        conn.info[_STARTED] = time.perf_counter()

    def after(conn: Any, _cursor: Any, _sql: str, _params: Any, _ctx: Any, _many: bool) -> None:
        started = conn.info.pop(_STARTED, None)
        instruments.statements.inc()
        if started is not None:
            instruments.statement_seconds.observe(time.perf_counter() - started)

    event.listen(sync_engine, "before_cursor_execute", before)
    event.listen(sync_engine, "after_cursor_execute", after)

    pool = sync_engine.pool
    event.listen(pool, "connect", lambda *_: instruments.pool_open.inc())
    event.listen(pool, "close", lambda *_: instruments.pool_open.dec())
    event.listen(pool, "close_detached", lambda *_: instruments.pool_open.dec())
    event.listen(pool, "checkout", lambda *_: instruments.pool_checked_out.inc())
    event.listen(pool, "checkin", lambda *_: instruments.pool_checked_out.dec())


def observe_direct(direct: DirectReader, instruments: Instruments) -> None:
    def observe(_sql: str, seconds: float, _error: BaseException | None) -> None:
        instruments.statements.inc()
        instruments.statement_seconds.observe(seconds)

    direct.observers.append(observe)
    # Its connections in use count with the engine's (a statement holds one while it runs).
    direct.usage.append(instruments.pool_checked_out.inc)
