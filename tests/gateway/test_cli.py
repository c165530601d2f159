"""The command line end to end, in a child process: `migrate` and `export`, on both backends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from db import migrate
from db.engine import create_engine
from db.ingest import ingest_documents
from tests.support.data import dump, sample_documents

ROOT = Path(__file__).resolve().parents[2]


def cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gateway.cli", *args],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT), "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=300,
    )


async def test_migrate_then_export_then_ingest_elsewhere(
    backend: str, new_database: Callable[..., str], tmp_path: Path
) -> None:
    url = new_database(backend, migrated=False)
    engine = create_engine(url)
    await migrate.upgrade(engine, "0001")
    await ingest_documents(engine, sample_documents())
    head = migrate.head_revision()
    behind = (
        f"the database schema is at revision 0001 but this version of the gateway needs {head}: "
        "run `spacecraft-gateway migrate` first\n"
    )

    refused = cli(url, "export", str(tmp_path / "x"))
    assert (refused.returncode, refused.stderr) == (
        1,
        f"export failed, nothing was written: {behind}",
    )
    refused = cli(url, "ingest", str(tmp_path))
    assert (refused.returncode, refused.stderr) == (
        1,
        f"ingest failed, nothing was changed: {behind}",
    )
    assert not (tmp_path / "x").exists()

    migrated = cli(url, "migrate")
    assert (migrated.returncode, migrated.stdout) == (0, f"database schema at revision {head}\n")
    assert await migrate.current_revision(engine) == head

    exported = cli(
        url, "export", str(tmp_path / "x"), "--base-url", "https://lldev.thespacedevs.com/2.3.0/"
    )
    assert (exported.returncode, exported.stderr) == (0, "")
    assert exported.stdout == (
        "exported spacecraft 31, spacecraft_configurations 14, "
        "spacecraft_configuration_families 4, agencies 8, "
        f"spacecraft_flights 1 in 5 pages to {tmp_path / 'x'} (dataset version 1)\n"
    )
    page = json.loads((tmp_path / "x" / "spacecraft" / "page-00001.json").read_text())
    assert page["results"][0]["url"] == "https://lldev.thespacedevs.com/2.3.0/spacecraft/36/"

    copy_url = new_database(backend, migrated=False)
    ingested = cli(copy_url, "ingest", str(tmp_path / "x"))
    assert ingested.returncode == 0, ingested.stderr
    copy = create_engine(copy_url)
    original, restored = await dump(engine), await dump(copy)
    original.pop("dataset_state")
    restored.pop("dataset_state")
    assert restored == original
    await engine.dispose()
    await copy.dispose()


def test_export_of_a_missing_sqlite_file_says_so(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'none.db'}"
    run = cli(url, "export", str(tmp_path / "x"))
    assert (run.returncode, run.stdout, run.stderr) == (
        74,
        "",
        f"export failed, nothing was written: cannot open the database file "
        f"{tmp_path / 'none.db'}: it does not exist; set DATABASE_URL to a file this user can "
        "write in a writable directory\n",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == []
