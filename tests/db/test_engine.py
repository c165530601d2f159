"""Engines and snapshots: readers see one state of the data; request connections cannot write."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from db.engine import create_engine, snapshot
from db.ingest import ingest
from db.state import STATE
from db.tables import ENTITY_TABLES
from tests.support.data import sample_flight, write_json

FLIGHT = ENTITY_TABLES["spacecraft_flight"]


async def _destinations(conn: AsyncConnection) -> list[str]:
    return list((await conn.execute(sa.select(FLIGHT.c.destination))).scalars())


async def test_a_snapshot_does_not_see_an_import_that_commits_meanwhile(
    bundled_engine: AsyncEngine, database_url: str, tmp_path: Path
) -> None:
    changed = write_json(tmp_path / "flight.json", sample_flight() | {"destination": "Elsewhere"})
    reader = create_engine(database_url, read_only=True)
    async with snapshot(reader) as conn:
        before = await _destinations(conn)
        await ingest(bundled_engine, [changed])
        during = await _destinations(conn)
    async with reader.connect() as conn:
        after = await _destinations(conn)
    assert (before, during, after) == (["Low Earth Orbit"], ["Low Earth Orbit"], ["Elsewhere"])
    await reader.dispose()


async def test_a_reader_sees_one_snapshot_while_a_writer_commits(
    bundled_engine: AsyncEngine, database_url: str
) -> None:
    reader = create_engine(database_url, read_only=True)
    try:
        async with reader.connect() as conn, conn.begin():
            before = (await conn.execute(sa.select(STATE.c.version))).scalar_one()
            async with bundled_engine.begin() as writer:
                await writer.execute(sa.update(STATE).values(version=STATE.c.version + 1))
            again = (await conn.execute(sa.select(STATE.c.version))).scalar_one()
            assert again == before
        async with reader.connect() as conn:
            after = (await conn.execute(sa.select(STATE.c.version))).scalar_one()
        assert after == before + 1
    finally:
        await reader.dispose()


async def test_request_connections_cannot_write(
    bundled_engine: AsyncEngine, database_url: str
) -> None:
    reader = create_engine(database_url, read_only=True)
    try:
        async with reader.connect() as conn:
            with pytest.raises(sa.exc.DBAPIError) as raised:
                await conn.execute(sa.update(STATE).values(version=0))
        assert "read" in str(raised.value.orig).lower()
    finally:
        await reader.dispose()
