"""Engines and snapshots: a reader of several statements sees one state of the data."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from db.engine import create_engine, snapshot
from db.ingest import ingest
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
