"""Writers wait for the workers: until each has acknowledged the new version or its lease is over."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from db.workers import behind, wait_for_workers


@pytest.fixture
async def pg_engine(new_database: Callable[..., str]) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(new_database("postgresql"))
    yield engine
    await engine.dispose()


async def lease(engine: AsyncEngine, label: str, acked: int, seconds: float) -> None:
    """A worker's row: `acked`, with a lease ending `seconds` from now (negative: over)."""
    async with engine.begin() as conn:
        await conn.execute(
            sa.text(
                "INSERT INTO gateway_worker VALUES "
                "(:label, :label, :acked, extract(epoch from clock_timestamp()) + :seconds)"
            ),
            {"label": label, "acked": acked, "seconds": seconds},
        )


async def database_now(engine: AsyncEngine) -> float:
    async with engine.connect() as conn:
        return float(await conn.scalar(sa.text("SELECT extract(epoch from clock_timestamp())")))


async def test_a_writer_waits_out_the_lease_of_a_worker_that_has_not_acknowledged(
    pg_engine: AsyncEngine,
) -> None:
    await lease(pg_engine, "took it", 5, 60)
    await lease(pg_engine, "gone", 3, -10)
    await lease(pg_engine, "silent", 4, 0.5)
    async with pg_engine.connect() as conn:
        assert await behind(conn, 5) == ["silent"]
        assert await behind(conn, 4) == []
        (silent_until,) = (
            await conn.execute(
                sa.text("SELECT lease_until FROM gateway_worker WHERE id = 'silent'")
            )
        ).one()
    await wait_for_workers(pg_engine, 5)
    assert await database_now(pg_engine) > silent_until


async def test_nothing_to_wait_for_when_all_took_it_or_nothing_changed(
    pg_engine: AsyncEngine, tmp_path: Path
) -> None:
    await lease(pg_engine, "took it", 5, 60)
    await lease(pg_engine, "behind", 4, 60)
    started = await database_now(pg_engine)
    await wait_for_workers(pg_engine, 5 - 1)
    await wait_for_workers(pg_engine, None)
    # SQLite's workers read the version for every request: nothing to wait for there.
    sqlite = create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    await wait_for_workers(sqlite, 5)
    await sqlite.dispose()
    assert await database_now(pg_engine) - started < 30  # not the 60 s lease of "behind"
