"""The dataset's version for every request of a process, read on one connection of its own.

Every request reads the version before any data, and every cache keys on it. Read through the
request's pooled connection, that costs a checkout, a switch to autocommit and a return: about
0.4 ms on PostgreSQL and 1 ms on SQLite (aiosqlite's thread), more than the rest of a cached
answer. Here:

- SQLite: a read-only sqlite3 connection, read on the event loop's thread (microseconds: WAL
  readers do not wait for writers). Were the file locked all the same, that one read waits in a
  thread of its own instead.
- PostgreSQL: the version held under a lease (`db.version_lease`, with the writers' side in
  `db.workers`), so a request reads nothing while the lease holds. Without one (at start, after
  a lapse, or with `lease=0`) one asyncpg connection reads it: requests that arrive while a read
  runs wait for the next read, which starts after they arrived, and share it (a single flight).
  Either way a version is never older than the last writer that returned before the request
  came, which is all the caches need.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any

from db.engine import async_url
from db.state import VERSION_SQL, version_in
from db.version_lease import VersionLease


class _SingleFlight:
    """Reads that start after their callers arrived, shared by everyone who waited for them."""

    def __init__(self, fetch: Callable[[], Awaitable[int]]) -> None:
        self._fetch = fetch
        self._lock = asyncio.Lock()
        self._started = 0  # reads begun, numbered in order
        self._finished = 0  # the number of the last read that gave a value
        self._value = 0

    async def read(self) -> int:
        arrived = self._started
        async with self._lock:
            if self._finished > arrived:  # it began after this caller arrived
                return self._value
            self._started += 1
            number = self._started
            value = await self._fetch()
            self._value, self._finished = value, number
            return value


class VersionReader:
    """`await reader.read()`: the dataset's version now (0 before any data)."""

    def __init__(self, database_url: str, *, lease: float = 0.0) -> None:
        """`lease`: seconds a PostgreSQL worker holds the version without reading it (0: none)."""
        url = async_url(database_url)
        self._sqlite_path = url.database if url.get_backend_name() == "sqlite" else None
        self._dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._sqlite: sqlite3.Connection | None = None
        self._postgres: Any = None  # asyncpg.Connection
        self._flight = _SingleFlight(self._read_postgres)
        self.lease = VersionLease(self._dsn, lease) if lease and self._sqlite_path is None else None
        self.round_trips = 0  # versions read from PostgreSQL, not from the lease

    async def read(self) -> int:
        if self._sqlite_path is not None:
            return await self._read_sqlite()
        if self.lease is None:
            return await self._flight.read()
        version = self.lease.trusted()
        if version is not None:
            return version
        self.lease.start()
        version = await self._flight.read()
        self.lease.saw(version)
        return version

    async def _read_sqlite(self) -> int:
        if self._sqlite is None:
            self._sqlite = _sqlite_reader(self._sqlite_path or "", timeout=0)
        try:
            return version_in(self._sqlite.execute(VERSION_SQL).fetchall())
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e):
                self._close_sqlite()
                raise
        return await asyncio.to_thread(_read_sqlite_waiting, self._sqlite_path or "")

    async def _read_postgres(self) -> int:
        import asyncpg  # type: ignore[import-untyped]

        if self._postgres is None:
            self._postgres = await asyncpg.connect(
                self._dsn,
                server_settings={"jit": "off", "default_transaction_read_only": "on"},
            )
        try:
            self.round_trips += 1
            return version_in(await self._postgres.fetch(VERSION_SQL))
        except BaseException:
            # Cut short or failed: the next read starts on a new connection.
            connection, self._postgres = self._postgres, None
            connection.terminate()
            raise

    def _close_sqlite(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None

    async def close(self) -> None:
        if self.lease is not None:
            await self.lease.close()
        self._close_sqlite()
        if self._postgres is not None:
            connection, self._postgres = self._postgres, None
            await connection.close()


def _sqlite_reader(path: str, *, timeout: float) -> sqlite3.Connection:
    return sqlite3.connect(
        f"file:{path}?mode=ro",
        uri=True,
        timeout=timeout,
        isolation_level=None,  # autocommit: each read sees the last commit
        check_same_thread=False,
    )


def _read_sqlite_waiting(path: str) -> int:
    connection = _sqlite_reader(path, timeout=30)
    try:
        return version_in(connection.execute(VERSION_SQL).fetchall())
    finally:
        connection.close()
