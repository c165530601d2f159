"""The process's reader of the dataset's version: always the version of the last commit, on
both backends, whatever other connections (or processes) committed; concurrent reads share one
that started after they asked; a dropped connection fails one read, not the next."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from db.version_reader import VersionReader, _SingleFlight
from tests.support.data import rename_spacecraft


async def test_reads_the_version_each_import_commits(
    database_url: str, bundled_engine: AsyncEngine, tmp_path: Path
) -> None:
    reader = VersionReader(database_url)
    try:
        async with bundled_engine.connect() as conn:
            bundled = (await conn.exec_driver_sql("SELECT version FROM dataset_state")).scalar()
        assert await reader.read() == bundled == 1
        first = await rename_spacecraft(bundled_engine, 467, "Shenzhou 13 (renamed)", tmp_path)
        assert (first, await reader.read()) == (2, 2)
        second = await rename_spacecraft(bundled_engine, 467, "Shenzhou 13", tmp_path)
        assert (second, await reader.read(), await reader.read()) == (3, 3, 3)
    finally:
        await reader.close()


async def test_an_empty_database_is_version_0(database_url: str) -> None:
    reader = VersionReader(database_url)
    try:
        assert await reader.read() == 0
    finally:
        await reader.close()


async def test_concurrent_reads_share_one_that_started_after_they_asked() -> None:
    began: list[int] = []
    gate = asyncio.Event()
    version = 0

    async def fetch() -> int:
        seen = version  # what a read sees is fixed when it starts
        began.append(seen)
        await gate.wait()
        return seen

    flight = _SingleFlight(fetch)
    early = asyncio.create_task(flight.read())
    await asyncio.sleep(0)  # the first read is running
    version = 7  # committed while it runs: the callers below arrived after this
    late = [asyncio.create_task(flight.read()) for _ in range(20)]
    await asyncio.sleep(0)
    gate.set()
    results = await asyncio.gather(early, *late)
    # The first caller gets the read it started; the twenty that came during it share one read
    # that began after they arrived, so none of them sees the version from before its arrival.
    assert results == [0] + [7] * 20
    assert began == [0, 7]


async def test_a_dropped_postgres_connection_fails_one_read_and_the_next_reconnects(
    new_database: Callable[..., str],
) -> None:
    url = new_database("postgresql")
    reader = VersionReader(url)
    admin = create_engine(url)
    try:
        assert await reader.read() == 0
        async with admin.begin() as conn:
            await conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
        with pytest.raises(Exception) as failed:
            await reader.read()
        assert not isinstance(failed.value, AssertionError)
        assert await reader.read() == 0
    finally:
        await reader.close()
        await admin.dispose()
