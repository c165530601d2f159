"""One statement's one value, read on a raw driver connection: the compiled path's read.

The compiled path answers a request with one statement whose single value is the response's
data. Through SQLAlchemy's connection the statement paid for layers it does not need: on SQLite
eight trips to aiosqlite's thread (the cursor, execute, fetch, close, the isolation level there
and back, the pool's reset) where the statement needs one; on PostgreSQL the adapter, its
greenlet and the pool's reset. `DirectReader` keeps a small pool of driver connections set up as
the engine's read-only ones are (SQLite: the read-only URI, the SQL functions of
`db.sqlfunctions`, the same pragmas; PostgreSQL: read-only transactions, JIT off) and reads the
value in one call: aiosqlite's `execute_fetchall` (one trip to its thread) or asyncpg's
`fetchval`, whose statement cache prepares each SQL text once per connection.

On SQLite even one trip to a thread costs many times what a lookup costs the database (a
thread switch, and the event loop's wake-up). So a statement first runs on the event loop's own
connection, under a progress handler that stops it when it has run `INLINE_BUDGET`: a lookup or
a page read from an index ends long before; one that does not goes on in aiosqlite's thread,
where it holds no other request up, and after `STRIKES` such runs its SQL text goes there
first. The loop is held at most for the budget, whatever the statement. A thread's connection
joins the interrupt scope it is used in (`db.interrupts`), as the engine's do.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite
import asyncpg  # type: ignore[import-untyped]

from db.engine import async_url
from db.interrupts import current_scope
from db.sqlfunctions import b64url, ll2_datetime, ll2_duration

POOL_SIZE = 10
INLINE_BUDGET = 0.002  # seconds a SQLite statement may hold the event loop
SLOW_KEPT = 1024  # SQL texts remembered as too slow to run on the loop
STRIKES = 3  # times a statement outruns the budget before it runs in the thread from then on
_FUNCTIONS = (
    ("b64url", 1, b64url),
    ("ll2_duration", 1, ll2_duration),
    ("ll2_datetime", 2, ll2_datetime),
)
_PRAGMAS = ("foreign_keys=ON", "busy_timeout=30000", "synchronous=NORMAL")

# Told of every statement read: its SQL, the seconds it took and the error it raised, if any
# (the metrics and the traces, which the engine's events do not see here).
StatementObserver = Callable[[str, float, BaseException | None], None]


class DirectReader:
    """Reads `SELECT <one value>` statements on its own connections to `database_url`."""

    def __init__(self, database_url: str, *, size: int = POOL_SIZE) -> None:
        self.url = async_url(database_url)
        self.backend = self.url.get_backend_name()
        self.size = size
        self._idle: list[Any] = []
        self._slots = asyncio.Semaphore(size)
        self._pg_pool: asyncpg.Pool | None = None
        self._pg_lock = asyncio.Lock()
        self._closed = False
        self._inline: sqlite3.Connection | None = None
        self._strikes: dict[str, int] = {}
        self.moved = 0  # statements that outran the budget on the loop
        self.observers: list[StatementObserver] = []
        # Told +1 when a statement takes a connection and -1 when it gives it back (pool use).
        self.usage: list[Callable[[int], None]] = []

    async def value(self, sql: str, parameters: Sequence[Any]) -> Any:
        """The statement's first column of its first row (None when it has no row)."""
        if not self.observers and not self.usage:
            return await self._value(sql, parameters)
        started = time.perf_counter()
        error: BaseException | None = None
        for use in self.usage:
            use(1)
        try:
            return await self._value(sql, parameters)
        except BaseException as e:
            error = e
            raise
        finally:
            for use in self.usage:
                use(-1)
            seconds = time.perf_counter() - started
            for observe in self.observers:
                observe(sql, seconds, error)

    async def _value(self, sql: str, parameters: Sequence[Any]) -> Any:
        if self.backend == "postgresql":
            pool = await self._postgres()
            async with pool.acquire() as conn:
                try:
                    return await conn.fetchval(sql, *parameters)
                except (asyncpg.PostgresError, asyncio.CancelledError):
                    # The server's answer: the connection is sound. Cancelled: asyncpg asks
                    # the server to cancel the statement, and the pool waits for that.
                    raise
                except BaseException:
                    # Cut off, or lost with the server: a connection in an unknown state
                    # goes, and the pool opens a new one when needed.
                    conn.terminate()
                    raise
        if self._strikes.get(sql, 0) < STRIKES:
            found, value = self._run_inline(sql, parameters)
            if found:
                return value
        async with self._sqlite() as conn:
            rows = list(await conn.execute_fetchall(sql, tuple(parameters)))
            return rows[0][0] if rows else None

    def _run_inline(self, sql: str, parameters: Sequence[Any]) -> tuple[bool, Any]:
        """(True, value) when the statement ended within the budget on the loop's connection."""
        if self._inline is None:
            self._inline = self._connect_inline()
        conn = self._inline
        deadline = time.perf_counter() + INLINE_BUDGET
        conn.set_progress_handler(lambda: time.perf_counter() > deadline, 1000)
        try:
            row = conn.execute(sql, tuple(parameters)).fetchone()
        except sqlite3.OperationalError as e:
            if str(e) != "interrupted":
                raise
            if len(self._strikes) >= SLOW_KEPT:
                self._strikes.clear()
            self._strikes[sql] = self._strikes.get(sql, 0) + 1
            self.moved += 1
            return False, None
        finally:
            conn.set_progress_handler(None, 0)
        return True, (row[0] if row else None)

    def _connect_inline(self) -> sqlite3.Connection:
        path = Path(self.url.database or "")
        conn = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
        )
        for name, arity, function in _FUNCTIONS:
            conn.create_function(name, arity, function, deterministic=True)
        for pragma in _PRAGMAS:
            conn.execute(f"PRAGMA {pragma}")
        return conn

    async def close(self) -> None:
        self._closed = True
        if self._inline is not None:
            self._inline.close()
            self._inline = None
        idle, self._idle = self._idle, []
        for conn in idle:
            await conn.close()
        if self._pg_pool is not None:
            await self._pg_pool.close()

    # PostgreSQL ------------------------------------------------------------------------------

    async def _postgres(self) -> asyncpg.Pool:
        if self._pg_pool is None:
            async with self._pg_lock:
                if self._pg_pool is None:
                    url = self.url
                    self._pg_pool = await asyncpg.create_pool(
                        host=url.host,
                        port=url.port,
                        user=url.username,
                        password=url.password,
                        database=url.database,
                        min_size=0,
                        max_size=self.size,
                        # A read of one statement changes no session state: nothing to reset.
                        reset=_nothing,
                        server_settings={"jit": "off", "default_transaction_read_only": "on"},
                    )
        return self._pg_pool

    # SQLite ----------------------------------------------------------------------------------

    @asynccontextmanager
    async def _sqlite(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._slots:
            conn = self._idle.pop() if self._idle else await self._open_sqlite()
            scope = current_scope()
            if scope is not None:
                scope.add(conn)
            healthy = False
            try:
                yield conn
                healthy = True
            finally:
                if scope is not None:
                    scope.discard(conn)
                if healthy and not self._closed:
                    self._idle.append(conn)
                else:
                    await conn.close()

    async def _open_sqlite(self) -> aiosqlite.Connection:
        path = Path(self.url.database or "")
        conn = await aiosqlite.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        for name, arity, function in _FUNCTIONS:
            await conn.create_function(name, arity, function, deterministic=True)
        for pragma in _PRAGMAS:
            await conn.execute(f"PRAGMA {pragma}")
        return conn


async def _nothing(_: asyncpg.Connection) -> None:
    return None


def parser_overflow(error: BaseException | None) -> bool:
    """Whether SQLite refused a statement as too deep for its parser (before 3.46)."""
    return isinstance(error, sqlite3.OperationalError) and "parser stack overflow" in str(error)
