"""Stopping the statements of work that is abandoned (a request cut at its deadline).

SQLite runs each statement in aiosqlite's thread: cancelling the task that awaits it leaves it
running, and the connection's cleanup then waits behind it, for ever if it never ends. Inside an
`interruptible()` scope, every SQLite connection checked out of an engine (`db.engine` does it,
in whichever task of the scope) is registered, and `scope.interrupt()` stops their statements at
once; the connections stay usable. PostgreSQL needs none of this: asyncpg cancels a statement
on the server when the task awaiting it is cancelled.

    with interruptible() as scope:
        loop.call_later(10, scope.interrupt)
        ...
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any


class Scope:
    def __init__(self) -> None:
        self._connections: set[Any] = set()

    def add(self, connection: Any) -> None:
        self._connections.add(connection)

    def discard(self, connection: Any) -> None:
        self._connections.discard(connection)

    def interrupt(self) -> None:
        """Stop the statements running on the scope's connections (a no-op on idle ones)."""
        for connection in list(self._connections):
            # aiosqlite's own `interrupt()` is a coroutine; this must act before the task that
            # awaits the statement is cancelled, so call sqlite3's (thread-safe) directly.
            sqlite_connection = getattr(connection, "_connection", None)
            if sqlite_connection is not None:
                sqlite_connection.interrupt()


_scope: ContextVar[Scope | None] = ContextVar("db_interrupt_scope", default=None)


@contextmanager
def interruptible() -> Iterator[Scope]:
    scope = Scope()
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


def current_scope() -> Scope | None:
    return _scope.get()
