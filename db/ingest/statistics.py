"""Planner statistics for the tables an import filled, gathered once it has committed.

Without statistics SQLite guesses, and guesses badly at scale: for "active spacecraft by name"
(`status_id IN (SELECT id FROM spacecraft_status WHERE name = 'Active') ORDER BY name, id LIMIT
11`) it sorted all 203,000 active rows of a million (129 ms) where, after ANALYZE, it reads the
name index and stops after eleven (0.06 ms). PostgreSQL's autovacuum gets there eventually, but not
before the first requests after a big import. So an import that wrote at least `THRESHOLD` rows
to a table analyses it, on either backend.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy.ext.asyncio import AsyncEngine

from db.tables import ENTITY_TABLES, LINK_TABLES

THRESHOLD = 1_000


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def tables_to_analyze(written: Mapping[str, int], threshold: int = THRESHOLD) -> list[str]:
    """Tables of entities with at least `threshold` rows written, with their link tables."""
    entities = {name for name, count in written.items() if count >= threshold}
    names = [ENTITY_TABLES[name].name for name in ENTITY_TABLES if name in entities]
    names += [table.name for (owner, _), table in LINK_TABLES.items() if owner in entities]
    return names


async def analyze(engine: AsyncEngine, tables: Iterable[str]) -> list[str]:
    """ANALYZE each named table, in its own short transaction; the names analysed."""
    done = []
    for name in tables:
        async with engine.begin() as conn:
            await conn.exec_driver_sql(f"ANALYZE {_quote(name)}")
        done.append(name)
    return done


async def analyze_written(
    engine: AsyncEngine, written: Mapping[str, int], threshold: int = THRESHOLD
) -> list[str]:
    """ANALYZE the tables of entities with at least `threshold` rows written (after commit)."""
    return await analyze(engine, tables_to_analyze(written, threshold))
