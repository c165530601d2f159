"""Engines: one snapshot per transaction for readers, and read-only connections for requests."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from db.state import STATE


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
