"""A database that does not answer is not a fault of ours: 503 with `Retry-After`, logged once.

While PostgreSQL restarts, or when a request reaches a damaged page of the SQLite file, every
request meets the same trouble. Each gets `503 SERVICE_UNAVAILABLE` (no traceback, no
`INTERNAL_SERVER_ERROR`), and the log says it once when the outage starts, with the reason, and
once when a request is answered by the database again, with how long it lasted and how many
requests got 503 meanwhile. `/readyz` says 503 until the database answers.

`unavailable(error)` tells such trouble from other exceptions: a lost or refused connection
(an `OSError`, PostgreSQL's connection errors, SQLSTATE class 08), a server shutting down or
starting up (57P01 to 57P03), out of connections (53300) or resources (class 53), no connection
free in the pool in time, or SQLite finding its file damaged or unreadable.
"""

from __future__ import annotations

import logging
import sqlite3
import time

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from gateway.http.errors import Rejected

log = logging.getLogger("gateway.database")

RETRY_AFTER = "5"
_SQLSTATES = ("08", "53", "57P01", "57P02", "57P03")
_SQLITE_TROUBLE = (
    "database disk image is malformed",
    "file is not a database",
    "disk i/o error",
    "unable to open database file",
    "database is locked",
)


# asyncpg's words for a connection the server cut: lost mid-operation, or left by the cut in a
# state where its next statement is refused ("another operation is in progress").
_BROKEN_CONNECTION = ("ConnectionDoesNotExistError", "InternalClientError")


def _causes(error: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    seen: BaseException | None = error
    while seen is not None and len(found) < 8:
        found.append(seen)
        if isinstance(seen, DBAPIError) and seen.orig is not None:
            found.append(seen.orig)
        seen = seen.__cause__ or seen.__context__
    return found


def unavailable(error: BaseException) -> str | None:
    """Why the database cannot answer, when that is what `error` means; None otherwise."""
    for cause in _causes(error):
        if isinstance(cause, DBAPIError) and cause.connection_invalidated:
            return _words(cause)
        if isinstance(cause, PoolTimeout):
            return "no database connection came free in time"
        code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        if isinstance(code, str) and code.startswith(_SQLSTATES):
            return _words(cause)
        if isinstance(cause, OSError):
            return _words(cause)
        if isinstance(cause, sqlite3.DatabaseError) and any(
            words in str(cause).lower() for words in _SQLITE_TROUBLE
        ):
            return f"the SQLite file: {_words(cause)}"
        if type(cause).__name__ in _BROKEN_CONNECTION or "connection is closed" in str(cause):
            return _words(cause)
    return None


def _words(error: BaseException) -> str:
    if isinstance(error, DBAPIError) and error.orig is not None:
        error = error.orig
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__


class DatabaseOutage:
    """The outage a worker is in, if any: logged when it starts and when it ends."""

    def __init__(self) -> None:
        self.since: float | None = None
        self.refused = 0

    def refusal(self, reason: str) -> Rejected:
        """Note a request that met the outage; the answer it gets."""
        if self.since is None:
            self.since = time.monotonic()
            self.refused = 0
            log.error(
                "the database does not answer (%s); requests get 503 until it does",
                reason,
                extra={"fields": {"outage": "started", "reason": reason}},
            )
        self.refused += 1
        return Rejected(
            "the database is unavailable; try again shortly",
            status=503,
            code="SERVICE_UNAVAILABLE",
            headers={"Retry-After": RETRY_AFTER},
        )

    def answered(self) -> None:
        """Note that the database answered: the end of an outage, if one was going on."""
        if self.since is None:
            return
        seconds = time.monotonic() - self.since
        log.warning(
            "the database answers again after %.1f s; %d requests got 503 meanwhile",
            seconds,
            self.refused,
            extra={
                "fields": {"outage": "ended", "seconds": round(seconds, 3), "refused": self.refused}
            },
        )
        self.since = None
