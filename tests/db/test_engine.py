"""Engines: a read-only engine's transaction reads one snapshot, on both backends.

The result cache keys an answer on the dataset version read first in the request's transaction;
that holds only if the answer's own statements read the same data as that version.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from db.state import read_version
from db.tables import ENTITY_TABLES
from tests.support.data import rename_spacecraft

SPACECRAFT = ENTITY_TABLES["spacecraft"]


async def _name(conn: sa.ext.asyncio.AsyncConnection) -> str:
    row = await conn.execute(sa.select(SPACECRAFT.c.name).where(SPACECRAFT.c.id == 467))
    return str(row.scalar_one())


async def test_a_read_only_transaction_reads_one_snapshot(
    bundled_engine: AsyncEngine, database_url: str, tmp_path: Path
) -> None:
    reader = create_engine(database_url, read_only=True)
    try:
        async with reader.connect() as conn:
            version = await read_version(conn)
            assert (version, await _name(conn)) == (version, "Shenzhou 13")
            new_version = await rename_spacecraft(bundled_engine, 467, "Renamed", tmp_path)
            # The import committed; this transaction still reads what it began with.
            assert (await read_version(conn), await _name(conn)) == (version, "Shenzhou 13")
        async with reader.connect() as conn:
            assert (await read_version(conn), await _name(conn)) == (new_version, "Renamed")
        assert new_version == version + 1
    finally:
        await reader.dispose()


async def test_a_read_only_engine_refuses_writes(
    bundled_engine: AsyncEngine, database_url: str
) -> None:
    reader = create_engine(database_url, read_only=True)
    try:
        async with reader.connect() as conn:
            with pytest.raises(sa.exc.DBAPIError) as refused:
                await conn.execute(sa.update(SPACECRAFT).values(name="x"))
        assert "read-only" in str(refused.value) or "readonly" in str(refused.value)
    finally:
        await reader.dispose()
