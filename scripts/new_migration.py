"""Write a new Alembic revision for what the spec and tables changed.

    python scripts/new_migration.py "add sync progress"

It compares the code's tables with a scratch SQLite database migrated to the current head, so
the revision holds exactly the difference. Review it, then commit it.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import Connection

from db import migrate
from db.engine import create_engine


async def main(message: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite:///{Path(scratch) / 'scratch.db'}")
        await migrate.upgrade(engine)

        def revise(conn: Connection) -> None:
            config = migrate._config()
            config.attributes["connection"] = conn
            command.revision(config, message=message, autogenerate=True)

        async with engine.begin() as conn:
            await conn.run_sync(revise)
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
