"""Execution within a deadline: an operation still running after it is cut and answered 504
with `TIMEOUT`, and the worker goes on serving.

At the deadline the SQLite statements the request runs are interrupted (`db.interrupts`: a
cancelled task would leave them running in aiosqlite's thread), then the request's task is
cancelled: an `await` on PostgreSQL raises `CancelledError` and asyncpg cancels the statement
on the server, the request's context closes, and the answer says `TIMEOUT`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from db.interrupts import interruptible
from gateway.http.errors import Rejected
from gateway.limits.cost import Cost


def timed_out(seconds: float, cost: Cost | None) -> Rejected:
    return Rejected(
        f"the operation ran longer than {seconds:g} s and was stopped; ask for less in one "
        "operation",
        status=504,
        code="TIMEOUT",
        extensions=cost.extension() if cost else None,
    )


@asynccontextmanager
async def deadline(seconds: float, cost: Cost | None = None) -> AsyncIterator[None]:
    task = asyncio.current_task()
    assert task is not None
    cancelling = task.cancelling()
    expired = False

    with interruptible() as scope:

        def expire() -> None:
            nonlocal expired
            expired = True
            scope.interrupt()
            task.cancel()

        handle = asyncio.get_running_loop().call_later(seconds, expire)
        try:
            yield
        except asyncio.CancelledError:
            if expired and task.uncancel() <= cancelling:
                raise timed_out(seconds, cost) from None
            raise
        finally:
            handle.cancel()
