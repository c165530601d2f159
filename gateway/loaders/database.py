"""One database connection per request, opened on first use.

Statements that need one snapshot together (the resolvers' several statements: a request that
spans an import sees the old data or the new, never a mix) run in one read transaction. A
request answered by single statements (the dataset's version, then one compiled statement) asks
for `snapshot=False` and spends no round trips on BEGIN and ROLLBACK: each statement is a
snapshot of its own, and the version, read first, is never newer than the data read after it.
Loaders take turns on the connection, and each statement is counted and timed for the debug
extension.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Result
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncTransaction

from db.direct import DirectReader
from db.state import read_version
from db.version_reader import VersionReader


@dataclass
class SqlStats:
    statements: int = 0
    seconds: float = 0.0

    @property
    def ms(self) -> float:
        return round(self.seconds * 1000, 3)


class CountingConnection:
    """An AsyncConnection that counts and times the statements run through it."""

    def __init__(self, conn: AsyncConnection, stats: SqlStats) -> None:
        self._conn = conn
        self._stats = stats
        self.dialect = conn.dialect
        self.engine = conn.engine

    async def execute(self, statement: Any, *args: Any, **kwargs: Any) -> Result[Any]:
        started = time.perf_counter()
        try:
            result: Result[Any] = await self._conn.execute(statement, *args, **kwargs)
            return result
        finally:
            self._stats.statements += 1
            self._stats.seconds += time.perf_counter() - started

    async def exec_driver_sql(self, sql: str, parameters: Any = None) -> Result[Any]:
        started = time.perf_counter()
        try:
            result: Result[Any] = await self._conn.exec_driver_sql(sql, parameters)
            return result
        finally:
            self._stats.statements += 1
            self._stats.seconds += time.perf_counter() - started


class RequestDatabase:
    def __init__(
        self,
        engine: AsyncEngine,
        versions: VersionReader | None = None,
        direct: DirectReader | None = None,
    ) -> None:
        """`versions`, the process's reader of the dataset's version (`db.version_reader`);
        without it the version is read on this request's connection. `direct`, the process's
        reader of single values on raw driver connections (`db.direct`), for the compiled
        path's one statement; without it that runs on this request's connection."""
        self.engine = engine
        self.versions = versions
        self.direct = direct
        self.stats = SqlStats()
        self._lock = asyncio.Lock()
        self._conn: AsyncConnection | None = None
        self._transaction: AsyncTransaction | None = None
        self._autocommit = False
        self._version: int | None = None
        self._holder: asyncio.Task[Any] | None = None
        self._closed = False

    def _isolation(self) -> str:
        """The engine's own isolation level, to go back to after autocommit statements."""
        options = self.engine.sync_engine.get_execution_options()
        level = options.get("isolation_level") or self.engine.dialect.default_isolation_level
        return str(level or "SERIALIZABLE")

    @asynccontextmanager
    async def connection(self, *, snapshot: bool = True) -> AsyncIterator[Any]:
        async with self._lock:
            if self._closed:
                raise RuntimeError("the request is over: its database connection is closed")
            self._holder = asyncio.current_task()
            try:
                conn = await self._open(snapshot)
                yield CountingConnection(conn, self.stats)
            finally:
                self._holder = None

    async def _open(self, snapshot: bool) -> AsyncConnection:
        """The request's connection, in a read transaction when a snapshot is asked for."""
        if self._conn is None:
            self._conn = await self.engine.connect()
            if not snapshot:
                await self._conn.execution_options(isolation_level="AUTOCOMMIT")
                self._autocommit = True
        if snapshot and self._transaction is None:
            if self._autocommit:
                # Close SQLAlchemy's (database-less) autocommit transaction first.
                await self._conn.commit()
                await self._conn.execution_options(isolation_level=self._isolation())
                self._autocommit = False
            self._transaction = await self._conn.begin()
        return self._conn

    async def value(self, sql: str, parameters: tuple[Any, ...]) -> Any:
        """The one value of one statement that reads a snapshot of its own, counted and timed."""
        if self.direct is None:
            async with self.connection(snapshot=False) as conn:
                result = await conn.exec_driver_sql(sql, parameters)
                return result.scalar_one()
        if self._closed:
            raise RuntimeError("the request is over: its database connection is closed")
        started = time.perf_counter()
        try:
            return await self.direct.value(sql, parameters)
        finally:
            self.stats.statements += 1
            self.stats.seconds += time.perf_counter() - started

    async def version(self) -> int:
        """The dataset's version, read once per request before any data (never newer than it)."""
        if self._version is None:
            if self.versions is None:
                async with self.connection(snapshot=False) as conn:
                    self._version = await read_version(conn)
            else:
                started = time.perf_counter()
                self._version = await self.versions.read()
                self.stats.statements += 1
                self.stats.seconds += time.perf_counter() - started
        return self._version

    async def close(self) -> None:
        """Give the connection back; a statement still running (a loader's batch in a task of
        its own, when the request was cut) is cancelled first."""
        self._closed = True
        holder = self._holder
        if holder is not None and holder is not asyncio.current_task() and not holder.done():
            holder.cancel()
        async with self._lock:
            await self._release()

    async def _release(self) -> None:
        if self._conn is not None:
            if self._transaction is not None and self._transaction.is_active:
                await self._transaction.rollback()
            await self._conn.close()
            self._conn = None
