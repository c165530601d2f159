"""The version held under a lease, on PostgreSQL: read without a round trip while the lease holds,
never older than the last writer that returned, read again for each request once it lapses."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from db.ingest import load_bundled_if_empty
from db.version_reader import VersionReader
from tests.support.data import rename_spacecraft

CRAFT_ID = 467


@pytest.fixture
async def pg_bundled(new_database: Callable[..., str]) -> AsyncIterator[tuple[str, AsyncEngine]]:
    url = new_database("postgresql")
    engine = create_engine(url)
    await load_bundled_if_empty(engine)
    yield url, engine
    await engine.dispose()


async def held(reader: VersionReader) -> None:
    """Until the reader's lease has been renewed once (the first read starts it)."""
    assert reader.lease is not None
    await reader.read()
    async with asyncio.timeout(10):
        while reader.lease.trusted() is None:
            await asyncio.sleep(0.01)


async def rows(engine: AsyncEngine) -> list[tuple[str, int]]:
    async with engine.connect() as conn:
        result = await conn.execute(sa.text("SELECT id, acked_version FROM gateway_worker"))
        return [(str(r[0]), int(r[1])) for r in result]


async def test_a_held_version_costs_no_round_trip_and_each_import_is_taken_before_it_returns(
    pg_bundled: tuple[str, AsyncEngine], tmp_path: Path
) -> None:
    url, engine = pg_bundled
    reader = VersionReader(url, lease=2.0)
    try:
        await held(reader)
        trips = reader.round_trips
        assert [await reader.read() for _ in range(50)] == [1] * 50
        assert reader.round_trips == trips  # all 50 from memory

        for expected in (2, 3):
            version = await rename_spacecraft(engine, CRAFT_ID, f"Renamed {expected}", tmp_path)
            # The writer returned: the worker has the new version, acknowledged by notice.
            assert (version, await reader.read()) == (expected, expected)
            assert reader.round_trips == trips
            assert [v for _, v in await rows(engine)] == [expected]
    finally:
        await reader.close()
    assert await rows(engine) == []  # it left: writers do not wait for it


async def test_a_dropped_lease_connection_lapses_to_reading_and_then_is_renewed(
    pg_bundled: tuple[str, AsyncEngine], tmp_path: Path
) -> None:
    url, engine = pg_bundled
    reader = VersionReader(url, lease=1.0)
    try:
        await held(reader)
        assert reader.lease is not None
        renewals = reader.lease.renewals
        async with engine.connect() as conn:
            dropped = await conn.scalar(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = 'gateway version lease' "
                    "AND datname = current_database()"
                )
            )
        assert dropped == 1
        # Cut off from notices and renewals: the writer waits for the lease to run out or for
        # the worker to come back, and either way the next read has the new version.
        version = await rename_spacecraft(engine, CRAFT_ID, "Renamed while cut off", tmp_path)
        assert await reader.read() == version == 2
        await held(reader)
        assert reader.lease.renewals > renewals
        trips = reader.round_trips
        assert [await reader.read() for _ in range(10)] == [2] * 10
        assert reader.round_trips == trips
    finally:
        await reader.close()


async def test_without_a_lease_every_read_is_a_round_trip(
    pg_bundled: tuple[str, AsyncEngine],
) -> None:
    url, engine = pg_bundled
    reader = VersionReader(url, lease=0)
    try:
        assert reader.lease is None
        assert [await reader.read() for _ in range(5)] == [1] * 5
        assert reader.round_trips == 5
        assert await rows(engine) == []
    finally:
        await reader.close()


async def test_sqlite_takes_no_lease(tmp_path: Path) -> None:
    reader = VersionReader(f"sqlite:///{tmp_path / 'none.db'}", lease=2.0)
    assert reader.lease is None
    await reader.close()
