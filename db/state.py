"""Facts about the dataset as a whole: where it came from, when, and its version.

`version` changes with every change to the data, in the same transaction as the change, so
every process that reads it (and every cache keyed on it) agrees on what it is looking at.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import Field, SQLModel

from db.tables import ENTITY_TABLES
from db.workers import notify_version


class DatasetState(SQLModel, table=True):
    __tablename__ = "dataset_state"

    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=0, description="Changes with every change to the data.")
    source: str | None = Field(
        default=None, sa_type=sa.Text, description="bundled, import, or an LL2 base URL."
    )
    updated_at: dt.datetime | None = Field(
        default=None,
        sa_type=sa.DateTime,
        description="End of the last import or sync that changed the data.",
    )


STATE = DatasetState.__table__  # type: ignore[attr-defined]


async def read_state(conn: AsyncConnection) -> DatasetState | None:
    row = (await conn.execute(sa.select(STATE).where(STATE.c.id == 1))).mappings().first()
    return DatasetState(**row) if row else None


# Plain SQL, the same on both backends: it runs before every cached answer, so it skips compiling.
VERSION_SQL = f"SELECT version FROM {STATE.name} WHERE id = 1"


def version_in(rows: Any) -> int:
    """The version in the rows `VERSION_SQL` gave (all of them: a statement read to its end holds
    no snapshot), 0 when there were none."""
    return int(rows[0][0] or 0) if rows else 0


async def read_version(conn: AsyncConnection) -> int:
    """The dataset's version in one cheap statement (0 before any data)."""
    version = (await conn.exec_driver_sql(VERSION_SQL)).scalar()
    return int(version or 0)


async def bump_version(conn: AsyncConnection, *, source: str, at: dt.datetime) -> int:
    """Record a change to the data (call inside the transaction that made it); the new version.

    The workers are told at the commit; the writer then waits for them (`db.workers`)."""
    current = await read_state(conn)
    version = (current.version if current else 0) + 1
    values = {"version": version, "source": source, "updated_at": at}
    if current is None:
        await conn.execute(sa.insert(STATE).values(id=1, **values))
    else:
        await conn.execute(sa.update(STATE).where(STATE.c.id == 1).values(**values))
    await notify_version(conn, version)
    return version


async def count_rows(conn: AsyncConnection, tables: list[str]) -> dict[str, int]:
    """The number of rows of each named entity table, in one statement."""
    counts = [
        sa.select(sa.func.count()).select_from(ENTITY_TABLES[name]).scalar_subquery().label(name)
        for name in tables
    ]
    row = (await conn.execute(sa.select(*counts))).one()
    return {name: int(row[i]) for i, name in enumerate(tables)}
