"""Migrations: they build exactly the code's tables on both backends, and refuse what they must."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

import db.state  # noqa: F401  (registers the dataset_state table)
from db import migrate
from db.dataset import bundled_files
from db.engine import create_engine
from db.ingest import ingest, ingest_documents
from db.tables import metadata
from tests.support.data import dump, sample_documents

ROOT = Path(__file__).resolve().parents[2]
OLDEST = "0001"


def _differences(conn: Connection) -> list[Any]:
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


async def differences(engine: AsyncEngine) -> list[Any]:
    async with engine.connect() as conn:
        return await conn.run_sync(_differences)


@pytest.fixture
async def empty_engine(empty_database_url: str) -> Any:
    engine = create_engine(empty_database_url)
    yield engine
    await engine.dispose()


async def test_migrations_build_exactly_the_code_tables(empty_engine: AsyncEngine) -> None:
    await migrate.upgrade(empty_engine)
    assert await migrate.current_revision(empty_engine) == migrate.head_revision()
    assert await differences(empty_engine) == []


def assert_kept(before: dict[str, Any], after: dict[str, Any]) -> None:
    """Every row migrated over as it was; tables that later revisions add start empty."""
    assert {name: after[name] for name in before} == before
    assert all(after[name] == [] for name in set(after) - set(before))


async def test_migrating_a_filled_database_keeps_its_data(empty_engine: AsyncEngine) -> None:
    # On SQLite, changing a table that others refer to means copying it: with data and
    # foreign keys, that is where a migration breaks.
    await migrate.upgrade(empty_engine, OLDEST)
    await ingest_documents(empty_engine, sample_documents())
    before = await dump(empty_engine)
    assert len(before["spacecraft"]) == 31
    await migrate.upgrade(empty_engine)
    assert_kept(before, await dump(empty_engine))
    assert await differences(empty_engine) == []


async def test_ingest_on_a_database_without_tables_migrates_it_first(
    empty_engine: AsyncEngine,
) -> None:
    async with empty_engine.connect() as conn:
        assert await conn.run_sync(lambda c: sa.inspect(c).get_table_names()) == []
    result = await ingest(empty_engine, bundled_files())
    assert result.changes.counts()["spacecraft"] == (31, 0, 0)
    assert await migrate.current_revision(empty_engine) == migrate.head_revision()


async def test_a_schema_behind_the_code_is_refused_until_migrated(
    empty_engine: AsyncEngine,
) -> None:
    await migrate.upgrade(empty_engine, OLDEST)
    await ingest_documents(empty_engine, sample_documents())
    before = await dump(empty_engine)
    message = (
        f"the database schema is at revision {OLDEST} but this version of the gateway needs "
        f"{migrate.head_revision()}: run `spacecraft-gateway migrate` first"
    )
    for refusing in (migrate.check, migrate.prepare):
        with pytest.raises(migrate.SchemaBehind) as raised:
            await refusing(empty_engine)
        assert str(raised.value) == message
    with pytest.raises(migrate.SchemaBehind):
        await ingest(empty_engine, bundled_files())
    await migrate.upgrade(empty_engine)
    await migrate.check(empty_engine)
    assert_kept(before, await dump(empty_engine))


async def test_a_schema_from_a_newer_gateway_is_refused(empty_engine: AsyncEngine) -> None:
    await migrate.upgrade(empty_engine)
    async with empty_engine.begin() as conn:
        await conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    message = (
        "the database schema is at revision 9999, which this version of the gateway (newest "
        f"revision {migrate.head_revision()}) does not know: a newer version migrated it; run "
        "that version instead"
    )
    for refusing in (migrate.check, migrate.prepare, migrate.upgrade):
        with pytest.raises(migrate.SchemaAhead) as raised:
            await refusing(empty_engine)
        assert str(raised.value) == message


def _scripts(tmp_path: Path) -> Path:
    """A copy of the migration scripts to write new revisions into."""
    location = tmp_path / "migrations"
    shutil.copytree(ROOT / "db" / "migrations", location, ignore=shutil.ignore_patterns("__py*"))
    return location


def _new_migration(*args: str, prelude: str = "") -> subprocess.CompletedProcess[str]:
    code = (
        "import runpy, sys\n"
        f"{prelude}\n"
        f"sys.argv = ['new_migration.py', *{list(args)!r}]\n"
        "runpy.run_path('scripts/new_migration.py', run_name='__main__')\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )


def test_new_migration_writes_nothing_when_the_code_matches(
    tmp_path: Path, empty_database_url: str
) -> None:
    location = _scripts(tmp_path)
    before = sorted((location / "versions").glob("*.py"))
    run = _new_migration(
        "nothing", "--database-url", empty_database_url, "--script-location", str(location)
    )
    assert (run.returncode, run.stdout, run.stderr) == (
        1,
        "the code's tables match the newest revision: nothing to write\n",
        "",
    )
    assert sorted((location / "versions").glob("*.py")) == before


PROBE = """
import sqlalchemy as sa
from db.tables import TEXT, metadata
sa.Table("probe", metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("name", TEXT, comment="A probe."), comment="Added by a test.")
"""


async def _tables_after_applying(location: Path, url: str) -> list[str]:
    def upgrade(conn: Connection) -> list[str]:
        config = Config()
        config.set_main_option("script_location", str(location))
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        return sorted(sa.inspect(conn).get_table_names())

    engine = create_engine(url)
    async with engine.begin() as conn:
        tables = await conn.run_sync(upgrade)
    await engine.dispose()
    return tables


async def test_new_migration_writes_a_revision_that_runs_on_both_backends(
    tmp_path: Path, new_database: Callable[..., str]
) -> None:
    location = _scripts(tmp_path)
    run = _new_migration(
        "add probe",
        "--database-url",
        new_database("postgresql", migrated=False),
        "--script-location",
        str(location),
        prelude=PROBE,
    )
    head = migrate.head_revision()
    written = location / "versions" / f"{int(head) + 1:04d}_add_probe.py"
    assert (run.returncode, run.stdout.splitlines()[-1]) == (0, f"wrote {written}")
    text = written.read_text()
    assert f'down_revision: str | None = "{head}"' in text
    assert 'op.create_table(\n        "probe",' in text
    assert 'comment="Added by a test."' in text
    expected = sorted([*metadata.tables, "alembic_version", "probe"])
    for backend in ("sqlite", "postgresql"):
        url = new_database(backend, migrated=False)
        assert await _tables_after_applying(location, url) == expected


def test_processes_migrating_one_empty_database_at_once_take_turns(
    empty_database_url: str,
) -> None:
    # Several `serve` processes starting together on a new database all migrate it first.
    env = os.environ | {"PYTHONPATH": str(ROOT), "DATABASE_URL": empty_database_url}
    command_line = [sys.executable, "-m", "gateway.cli", "migrate"]
    runs = [
        subprocess.Popen(command_line, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    head = migrate.head_revision()
    assert [(run.returncode, out) for run, out in zip(runs, outputs, strict=True)] == [
        (0, f"database schema at revision {head}\n")
    ] * 3
