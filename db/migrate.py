"""Schema migrations (Alembic) on either backend, and the check that `serve` runs at start.

Commands that write apply migrations to an empty database themselves; a database that has data
but an older schema is only migrated by `spacecraft-gateway migrate`, on purpose.
"""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine


class SchemaBehind(RuntimeError):
    def __init__(self, current: str | None, head: str) -> None:
        super().__init__(
            f"the database schema is at revision {current or 'none'} but this version of the "
            f"gateway needs {head}: run `spacecraft-gateway migrate` first"
        )


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("db") / "migrations"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def _current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _upgrade(conn: Connection) -> None:
    config = _config()
    config.attributes["connection"] = conn
    command.upgrade(config, "head")


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(_current)


async def upgrade(engine: AsyncEngine) -> None:
    """Bring the schema to the newest revision (a no-op when it is there)."""
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade)


async def prepare(engine: AsyncEngine) -> None:
    """For commands that write: migrate an empty database, refuse one that is behind."""
    current = await current_revision(engine)
    if current is None:
        await upgrade(engine)
    elif current != head_revision():
        raise SchemaBehind(current, head_revision())


async def check(engine: AsyncEngine) -> None:
    """For `serve`: refuse to start on a schema that is not the code's."""
    current = await current_revision(engine)
    if current != head_revision():
        raise SchemaBehind(current, head_revision())
