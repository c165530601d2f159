"""A synthetic world written straight into an empty database, without pages in between.

    loaded = await load_world(engine, spacecraft=1_000_000, flights=1_000_000, seed=1)

Rendering a million spacecraft as LL2 pages and importing them back costs hours and holds the
whole import in memory; this writes the rows of each segment of the world (`world`) with the
importer's own bulk writers (`db.ingest.bulk`, so values are stored exactly as an import stores
them) and forgets it. It stores everything the pages would import and more (rows and columns the
pages never show), so importing the same world's pages afterwards changes nothing.

All in one transaction, into a database that holds no data (anything else is refused before a
row is written): indexes are dropped first and built once at the end, the dataset's version is
bumped once, and on SQLite the foreign keys are checked once, before the commit, rather than row
by row. Every table written is analysed after the commit (`db.ingest.statistics`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from db import migrate
from db.graph import Graph
from db.ingest import lock_writers
from db.ingest.bulk import Bulk
from db.ingest.statistics import analyze_written
from db.ll2.values import fold
from db.spec import ENTITIES
from db.state import bump_version
from db.synth.world import SEGMENT, segments, world
from db.tables import ENTITY_TABLES, LINK_TABLES, folded_column, has_folded
from db.workers import wait_for_workers

SOURCE = "synth"


class NotEmpty(RuntimeError):
    def __init__(self, tables: list[str]) -> None:
        super().__init__(
            f"the database already holds data ({', '.join(tables[:5])}"
            f"{', ...' if len(tables) > 5 else ''}); synth --into writes only into an empty "
            "database: point DATABASE_URL at a new one"
        )


class BrokenReferences(RuntimeError):
    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        shown = ", ".join(f"{table} row {row} -> {parent}" for table, row, parent, _ in rows[:5])
        super().__init__(f"synth made broken references ({shown}); nothing was written")


@dataclass(frozen=True)
class Loaded:
    rows: dict[str, int]
    segments: int
    version: int
    seconds: float

    def summary(self) -> str:
        total = sum(self.rows.values())
        return (
            f"wrote {total} rows in {self.segments} segment{'s' if self.segments != 1 else ''}, "
            f"{self.seconds:.0f} s "
            f"(version {self.version}): {self.rows.get('spacecraft', 0)} spacecraft, "
            f"{self.rows.get('spacecraft_flight', 0)} spacecraft_flight"
        )


_FOLDED = {
    name: [(f.column, folded_column(f.key)) for f in entity.scalars if has_folded(f)]
    for name, entity in ENTITIES.items()
}


async def holding_data(conn: AsyncConnection) -> list[str]:
    """Tables with at least one row, the dataset's state included."""
    from db.state import STATE

    tables = [*ENTITY_TABLES.values(), *LINK_TABLES.values(), STATE]
    found = []
    for table in tables:
        if (await conn.execute(sa.select(sa.literal(1)).select_from(table).limit(1))).first():
            found.append(table.name)
    return found


async def _indexes(conn: AsyncConnection) -> list[tuple[str, str]]:
    """(name, CREATE statement) of every index that backs no constraint."""
    if conn.dialect.name == "postgresql":
        found = await conn.exec_driver_sql(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname"
        )
    else:
        found = await conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "ORDER BY name"
        )
    rows: list[Any] = list(found.all())
    return [(str(name), str(sql)) for name, sql in rows]


async def _write_part(bulk: Bulk, part: Graph, written: Counter[str]) -> None:
    for name in ENTITIES:
        rows = part.rows.get(name)
        if not rows:
            continue
        folded = _FOLDED[name]
        if folded:
            for row in rows.values():
                for column, target in folded:
                    value = row.get(column)
                    row[target] = None if value is None else fold(value)
        table = ENTITY_TABLES[name]
        await bulk.insert(table, bulk.tuples(table, sorted(rows.items())))
        written[name] += len(rows)
    for key, table in LINK_TABLES.items():
        lists = part.links.get(key)
        if lists:
            await bulk.insert(
                table, [(o, i, t) for o in sorted(lists) for i, t in enumerate(lists[o])]
            )


async def _load(
    conn: AsyncConnection,
    parts: Any,
    written: Counter[str],
    progress: Callable[[str], None],
) -> int:
    await lock_writers(conn)
    found = await holding_data(conn)
    if found:
        raise NotEmpty(found)
    indexes = await _indexes(conn)
    for name, _ in indexes:
        await conn.exec_driver_sql(f'DROP INDEX "{name}"')
    bulk = Bulk.for_connection(conn)
    await bulk.begin()
    for number, part in enumerate(parts, start=1):
        await _write_part(bulk, part, written)
        progress(f"part {number}: {sum(written.values())} rows written")
        del part
    if conn.dialect.name == "postgresql":
        # The references queued so far are checked now: PostgreSQL builds no index on a table
        # with checks pending.
        progress("checking foreign keys")
        await conn.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
    progress(f"building {len(indexes)} indexes")
    for _, sql in indexes:
        await conn.exec_driver_sql(sql)
    await bulk.end()
    if conn.dialect.name == "sqlite":
        progress("checking foreign keys")
        broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
        if broken:
            raise BrokenReferences([tuple(r) for r in broken])
    return await bump_version(conn, source=SOURCE, at=dt.datetime.now(dt.UTC).replace(tzinfo=None))


async def load_world(
    engine: AsyncEngine,
    *,
    spacecraft: int,
    flights: int,
    seed: int,
    segment: int = SEGMENT,
    progress: Callable[[str], None] | None = None,
) -> Loaded:
    """Write `world(...)` into the empty database of `engine`, all or nothing."""
    say = progress or (lambda _: None)
    started = time.monotonic()
    plan = segments(spacecraft, flights, segment)
    await migrate.prepare(engine)
    parts = world(spacecraft=spacecraft, flights=flights, seed=seed, size=segment)
    written: Counter[str] = Counter()
    async with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            # Row-by-row checks off (the pragma only changes outside a transaction); every
            # reference is checked once before the commit instead.
            conn = await conn.execution_options(sqlite_begin=None)
            await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            await conn.commit()
            try:
                await conn.exec_driver_sql("BEGIN IMMEDIATE")
                version = await _load(conn, parts, written, say)
                await conn.commit()
            finally:
                await conn.rollback()
                await conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                await conn.commit()
        else:
            async with conn.begin():
                version = await _load(conn, parts, written, say)
    await wait_for_workers(engine, version)
    say("analysing")
    # Every table is new: small lookup tables get statistics too, which steer joins to them.
    await analyze_written(engine, written, threshold=1)
    return Loaded(dict(written), len(plan), version, time.monotonic() - started)
