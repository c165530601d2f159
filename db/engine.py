"""Database URLs and engines: SQLite (aiosqlite) by default, PostgreSQL (asyncpg) at scale.

Users write plain URLs (`sqlite:///var/x.db`, `postgresql://u:p@host/db`); the async drivers are
chosen here. Engines that answer requests are read-only where the backend allows it, so only
the importer and the sync can change the data, and each of their transactions reads one snapshot
(REPEATABLE READ on PostgreSQL, a real `BEGIN` on SQLite, whose driver otherwise reads each
statement's own): a request's statements, and the dataset version it is cached under, agree.
SQLite connections join the interrupt scope they are checked out in (`db.interrupts`).
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from db.interrupts import current_scope
from db.sqlfunctions import register_sqlite

DEFAULT_DATABASE_URL = "sqlite:///var/spacecraft.db"


DEFAULT_DATABASE_URL = "sqlite:///var/spacecraft.db"
# Seconds a PostgreSQL server gets to accept a connection and answer its start-up: one that
# accepts and never answers would otherwise hold a command (or a worker) for asyncpg's 60 s.
DEFAULT_CONNECT_TIMEOUT = 10.0


def connect_timeout() -> float:
    """`DATABASE_CONNECT_TIMEOUT` (read as DATABASE_URL is, by every command), else 10 s."""
    text = os.environ.get("DATABASE_CONNECT_TIMEOUT", "").strip()
    try:
        seconds = float(text) if text else DEFAULT_CONNECT_TIMEOUT
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise UnsupportedSetting(
            f"DATABASE_CONNECT_TIMEOUT={text!r} is not a number of seconds above 0; unset it "
            f"for the default {DEFAULT_CONNECT_TIMEOUT:g}"
        )
    return seconds


class UnsupportedSetting(ValueError):
    """A database setting that does not parse (the message names it)."""


class UnsupportedDatabase(ValueError):
    def __init__(
        self, url: str, problem: str | None = None, variable: str = "DATABASE_URL"
    ) -> None:
        shown = _hide_password(url)
        if not url.strip():
            what = f"{variable} is set but empty"
        else:
            what = f"{variable} {shown!r} {problem or 'is not a database this gateway uses'}"
        unset = (
            f"unset it for {DEFAULT_DATABASE_URL}"
            if variable == "DATABASE_URL"
            else "unset it to use DATABASE_URL's"
        )
        super().__init__(
            f"{what}: set it to sqlite:///PATH or postgresql://USER:PASS@HOST:PORT/DB, or {unset}"
        )


class UnwritableDatabase(PermissionError):
    """The SQLite file, or the directory SQLite writes its journal in, cannot be written."""

    def __init__(self, path: Path) -> None:
        directory = path.parent
        if not os.access(directory, os.W_OK):
            what = (
                f"cannot write the database file {path}: its directory {directory} is not "
                "writable by this user (SQLite writes its journal beside the file)"
            )
        else:
            what = (
                f"the database file {path} is read-only to this user (its permissions, or a "
                "read-only mount)"
            )
        super().__init__(
            f"{what}: make it writable, or set DATABASE_URL to a file in a writable directory"
        )


def _check_writable(path: Path) -> None:
    """Refuse at once what SQLite would refuse at the first write, deep in a transaction."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UnwritableDatabase(path)


def _hide_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


def async_url(database_url: str, variable: str = "DATABASE_URL") -> URL:
    """The driver's URL for a user's; `UnsupportedDatabase` says what is wrong with it."""
    try:
        url = make_url(database_url)
        url.port  # noqa: B018 - a port that is not a number fails here, not at connect
    except ArgumentError:
        raise UnsupportedDatabase(database_url, "is not a URL", variable) from None
    except ValueError:
        raise UnsupportedDatabase(
            database_url, "has a port that is not a number", variable
        ) from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise UnsupportedDatabase(database_url, variable=variable)
        return url.set(drivername="sqlite+aiosqlite")
    if backend in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+asyncpg")
    raise UnsupportedDatabase(database_url, variable=variable)


def backend_of(database_url: str) -> str:
    return async_url(database_url).get_backend_name()


def _sqlite_pragmas(read_only: bool) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Python's sqlite3 begins a transaction only before a write, so two SELECTs of one
        # "transaction" could see different data; transactions are begun explicitly instead.
        dbapi_connection.isolation_level = None
        register_sqlite(dbapi_connection)
        cursor = dbapi_connection.cursor()
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        if read_only:
            # sqlite3 begins transactions only before writes; `_sqlite_begin` says BEGIN itself.
            dbapi_connection.isolation_level = None

    return on_connect


def _sqlite_begin(conn: Any) -> None:
    """Every statement of a transaction reads one snapshot (WAL keeps it for readers).

    A connection given `execution_options(sqlite_begin=None)` begins its transactions itself
    (migrations need statements outside any transaction, then `BEGIN IMMEDIATE`).
    """
    options = conn.get_execution_options()
    if options.get("isolation_level") == "AUTOCOMMIT":
        return
    statement = options.get("sqlite_begin", "BEGIN")
    if statement:
        conn.exec_driver_sql(statement)


def _register_for_interrupts(engine: AsyncEngine) -> None:
    """Each SQLite connection joins the interrupt scope it is checked out in (`db.interrupts`),
    and leaves it when checked in, so a scope never stops another's statement."""
    pool = engine.sync_engine.pool

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        scope = current_scope()
        if scope is not None:
            driver = dbapi_connection.driver_connection
            scope.add(driver)
            record.info["interrupt_scope"] = (scope, driver)

    def checkin(_dbapi_connection: Any, record: Any) -> None:
        joined = record.info.pop("interrupt_scope", None)
        if joined is not None:
            scope, driver = joined
            scope.discard(driver)

    event.listen(pool, "checkout", checkout)
    event.listen(pool, "checkin", checkin)


def create_engine(database_url: str, *, read_only: bool = False, **kwargs: Any) -> AsyncEngine:
    """An async engine for `database_url`; `read_only` refuses writes at the database, and
    each of its transactions reads one snapshot (REPEATABLE READ on PostgreSQL)."""
    url = async_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        if not read_only:
            _check_writable(path)
        if read_only:
            url = url.set(database=f"file:{path}?mode=ro", query={"uri": "true"})
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas(read_only))
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        _register_for_interrupts(engine)
        return engine
    settings = {"jit": "off"}
    if read_only:
        settings["default_transaction_read_only"] = "on"
        # One snapshot per request: all its statements see the same data, version included.
        kwargs.setdefault("isolation_level", "REPEATABLE READ")
    connect_args = {
        "server_settings": settings,
        "timeout": connect_timeout(),
        **kwargs.pop("connect_args", {}),
    }
    # Pinging before every checkout is a round trip per request; readers skip it (a connection
    # the server dropped fails one request, and the pool then replaces them all).
    kwargs.setdefault("pool_pre_ping", not read_only)
    return create_async_engine(url, connect_args=connect_args, **kwargs)


async def ping(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(sa.text("SELECT 1"))


@asynccontextmanager
async def snapshot(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection whose reads all see the data as one committed state, whatever commits meanwhile.

    For readers that run several statements and must not mix two versions of the dataset (an
    export while a sync runs). SQLite transactions begin explicitly (see `_sqlite_begin`);
    PostgreSQL needs REPEATABLE READ for one view across statements.
    """
    async with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execution_options(isolation_level="REPEATABLE READ")
        async with conn.begin() as transaction:
            try:
                yield conn
            finally:
                await transaction.rollback()
