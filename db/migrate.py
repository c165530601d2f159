"""Schema migrations (Alembic) on either backend, and the check that `serve` runs at start.

Commands that write apply migrations to an empty database themselves; a database that has data
but an older schema is only migrated by `spacecraft-gateway migrate`, on purpose. Processes that
migrate one database at once take turns at the database (several `serve` processes starting on
an empty one); within one process, migrations run one at a time (Alembic's context is global).
"""

from __future__ import annotations

from importlib import resources

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from db.integrity import check_integrity

# PostgreSQL advisory lock keys: 7234001 serialises writers of data (db.ingest).
MIGRATION_LOCK = 7234002


class SchemaMismatch(RuntimeError):
    """The database's schema is not the one this version of the gateway works with."""


class SchemaBehind(SchemaMismatch):
    def __init__(self, current: str | None, head: str) -> None:
        super().__init__(
            f"the database schema is at revision {current or 'none'} but this version of the "
            f"gateway needs {head}: run `spacecraft-gateway migrate` first"
        )


class SchemaAhead(SchemaMismatch):
    def __init__(self, current: str, head: str) -> None:
        super().__init__(
            f"the database schema is at revision {current}, which this version of the gateway "
            f"(newest revision {head}) does not know: a newer version migrated it; run that "
            "version instead"
        )


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("db") / "migrations"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def _known(revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(_config()).get_revision(revision) is not None
    except CommandError:
        return False


def _refuse(current: str | None) -> None:
    """Raise unless the schema is at the newest revision."""
    head = head_revision()
    if current == head:
        return
    if current is not None and not _known(current):
        raise SchemaAhead(current, head)
    raise SchemaBehind(current, head)


def _current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _upgrade(conn: Connection, revision: str) -> None:
    config = _config()
    config.attributes["connection"] = conn
    command.upgrade(config, revision)


class BrokenReferences(RuntimeError):
    def __init__(self, rows: list[tuple[object, ...]]) -> None:
        shown = ", ".join(
            f"{table} row {rowid} -> {parent}" for table, rowid, parent, _ in rows[:5]
        )
        super().__init__(f"the migration would leave broken references ({shown}); rolled back")


async def _upgrade_sqlite(conn: AsyncConnection, revision: str) -> None:
    """SQLite's way to change tables that others refer to (its "12-step ALTER TABLE"): checks off
    while Alembic copies a table to a new one and drops the old, then every reference checked
    before commit. With checks on, dropping the old table counts every reference to it as broken
    and the commit fails."""
    conn = await conn.execution_options(sqlite_begin=None)
    await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
    await conn.commit()
    try:
        # Python's sqlite3 opens no transaction for DDL; without one a failing step would leave
        # the schema half-changed. IMMEDIATE takes the write lock before Alembic reads the
        # revision, so processes migrating at once take turns.
        await conn.exec_driver_sql("BEGIN IMMEDIATE")
        await conn.run_sync(_upgrade, revision)
        broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
        if broken:
            await conn.rollback()
            raise BrokenReferences([tuple(r) for r in broken])
        await conn.commit()
    finally:
        await conn.rollback()
        await conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        await conn.commit()


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(_current)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to `revision`, the newest by default (a no-op when it is there)."""
    await check_integrity(engine)
    current = await current_revision(engine)
    if current is not None and not _known(current):
        raise SchemaAhead(current, head_revision())
    async with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            await _upgrade_sqlite(conn, revision)
        else:
            # Processes migrating at once take turns; the later one finds nothing left to do.
            await conn.execute(
                sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
            )
            await conn.run_sync(_upgrade, revision)
            await conn.commit()


async def prepare(engine: AsyncEngine) -> None:
    """For commands that write: refuse a damaged file, migrate an empty database, refuse one
    that is behind."""
    await check_integrity(engine)
    current = await current_revision(engine)
    if current is None:
        await upgrade(engine)
    else:
        _refuse(current)


async def check(engine: AsyncEngine) -> None:
    """For `serve` and readers: refuse a schema that is not the code's."""
    _refuse(await current_revision(engine))
