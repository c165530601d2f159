"""Write a new Alembic revision for what the spec and tables changed.

    python scripts/new_migration.py "add sync progress"

It migrates a scratch database to the current head and compares it with the code's tables, so
the revision holds exactly the difference. The scratch database is PostgreSQL when its binaries
are installed (a throwaway server), since SQLite keeps no comments and so cannot see a changed
description; otherwise SQLite. `--database-url` names an empty database to use instead.
Operations are written in Alembic's batch form, which runs on both backends. Revisions are
numbered (0001, 0002, ...). When nothing changed, nothing is written. Review it, then commit it.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

import db.state  # noqa: F401  (registers the dataset_state table)
from db import migrate
from db.engine import create_engine
from db.tables import metadata


@contextmanager
def scratch_database() -> Iterator[str]:
    from tests.support.pgserver import PostgresServer
    from tests.support.system import postgres_bin

    bindir = postgres_bin()
    if bindir is None:
        print("PostgreSQL is not installed: comparing with SQLite, which cannot see comments")
        with tempfile.TemporaryDirectory() as scratch:
            yield f"sqlite:///{Path(scratch) / 'scratch.db'}"
        return
    server = PostgresServer(bindir).start()
    try:
        yield server.url()
    finally:
        server.stop()


def _next_id(script_location: str) -> str:
    heads = ScriptDirectory(script_location).get_heads()
    numbers = [int(h) for h in heads if h.isdigit()]
    return f"{max(numbers, default=0) + 1:04d}"


def _format(path: Path) -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if Path(ruff).exists():
        subprocess.run([ruff, "check", "--fix", "--quiet", str(path)], check=False)
        subprocess.run([ruff, "format", "--quiet", str(path)], check=False)


async def generate(message: str, *, database_url: str, script_location: str) -> Path | None:
    """Write the revision into `script_location`; its path, or None when nothing changed."""
    engine = create_engine(database_url)
    config = migrate._config()
    config.set_main_option("script_location", script_location)
    written: list[Path] = []

    def revise(conn: Connection) -> None:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        if not compare_metadata(context, metadata):
            return
        script = command.revision(
            config, message=message, autogenerate=True, rev_id=_next_id(script_location)
        )
        assert script is not None and not isinstance(script, list)
        written.append(Path(script.path))

    try:
        async with engine.begin() as conn:
            await conn.run_sync(revise)
    finally:
        await engine.dispose()
    if not written:
        return None
    _format(written[0])
    return written[0]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("message")
    parser.add_argument("--database-url", help="an empty scratch database to compare with")
    parser.add_argument(
        "--script-location", default=migrate._config().get_main_option("script_location")
    )
    args = parser.parse_args(argv)

    async def run(url: str) -> Path | None:
        return await generate(args.message, database_url=url, script_location=args.script_location)

    if args.database_url:
        path = asyncio.run(run(args.database_url))
    else:
        with scratch_database() as url:
            path = asyncio.run(run(url))
    if path is None:
        print("the code's tables match the newest revision: nothing to write")
        return 1
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
