"""The compiled path's reader of single values on raw driver connections (`db.direct`)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable

import asyncpg
import pytest
import sqlalchemy as sa

from db import direct
from db.direct import DirectReader
from db.engine import create_engine
from db.interrupts import interruptible

# A statement that runs for seconds on SQLite: a recursive count to ten million.
SLOW_SQLITE = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
    "SELECT count(*) FROM n"
)


async def test_a_value_is_what_sqlalchemy_reads_with_the_same_functions(
    shared_database: Callable[[tuple[str, ...]], Awaitable[str]], backend: str
) -> None:
    url = await shared_database(())
    marker = "?" if backend == "sqlite" else "$1"
    sql = (
        "SELECT ll2_duration(time_in_space) || ' ' || b64url(name) "
        f"FROM spacecraft WHERE id = {marker}"
    )
    engine = create_engine(url, read_only=True)
    reader = DirectReader(url)
    try:
        async with engine.connect() as conn:
            ids = [r[0] for r in await conn.execute(sa.text("SELECT id FROM spacecraft"))]
            expected = [(await conn.exec_driver_sql(sql, (i,))).scalar_one() for i in ids[:10]]
        assert [await reader.value(sql, (i,)) for i in ids[:10]] == expected
        assert await reader.value(sql, (-1,)) is None
    finally:
        await reader.close()
        await engine.dispose()


async def test_it_cannot_write(
    shared_database: Callable[[tuple[str, ...]], Awaitable[str]], backend: str
) -> None:
    reader = DirectReader(await shared_database(()))
    refused = sqlite3.OperationalError if backend == "sqlite" else asyncpg.PostgresError
    try:
        with pytest.raises(refused, match=r"read-only|readonly"):
            await reader.value("DELETE FROM spacecraft RETURNING id", ())
    finally:
        await reader.close()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_slow_statement_leaves_the_event_loop_and_then_goes_to_the_thread_first(
    shared_database: Callable[[tuple[str, ...]], Awaitable[str]],
) -> None:
    reader = DirectReader(await shared_database(()))
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.001)
            ticks += 1

    ticker = asyncio.create_task(tick())
    try:
        assert await reader.value(SLOW_SQLITE, (2_000_000,)) == 2_000_000
        assert reader.moved == 1
        assert ticks > 5  # the loop went on while the statement ran in the thread
        for _ in range(direct.STRIKES - 1):
            assert await reader.value(SLOW_SQLITE, (2_000_000,)) == 2_000_000
        assert reader.moved == direct.STRIKES
        assert await reader.value(SLOW_SQLITE, (2_000_000,)) == 2_000_000
        assert reader.moved == direct.STRIKES  # straight to the thread now
        assert await reader.value("SELECT count(*) FROM spacecraft", ()) > 0
        assert reader.moved == direct.STRIKES  # a quick one still runs on the loop
    finally:
        ticker.cancel()
        await reader.close()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_statement_in_the_thread_is_stopped_by_its_scope(
    shared_database: Callable[[tuple[str, ...]], Awaitable[str]],
) -> None:
    reader = DirectReader(await shared_database(()))
    loop = asyncio.get_running_loop()
    try:
        started = loop.time()
        with interruptible() as scope:
            loop.call_later(0.2, scope.interrupt)
            with pytest.raises(sqlite3.OperationalError, match="interrupted"):
                await reader.value(SLOW_SQLITE, (10**12,))
        assert loop.time() - started < 5
        assert await reader.value("SELECT 1", ()) == 1
    finally:
        await reader.close()


async def test_each_statement_holds_a_connection_while_it_runs(
    shared_database: Callable[[tuple[str, ...]], Awaitable[str]],
) -> None:
    """What `/metrics` counts as the compiled path's pool use: +1 while a statement runs."""
    reader = DirectReader(await shared_database(()))
    changes: list[int] = []
    reader.usage.append(changes.append)
    try:
        assert await reader.value("SELECT count(*) FROM spacecraft", ()) > 0
        with pytest.raises(Exception, match=r"no such|does not exist"):
            await reader.value("SELECT missing FROM nowhere_at_all", ())
    finally:
        await reader.close()
    assert changes == [1, -1, 1, -1]
