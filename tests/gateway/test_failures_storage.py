"""Hostile storage, told by every command in one line, and nothing lost.

A directory or file the command cannot write (as root: without the capability that lets root
write anywhere), a disk that fills during an import or a sync (SQLite's own "database or disk is
full", through `PRAGMA max_page_count`), a file damaged before the command starts (refused after
`PRAGMA quick_check`, with the way to restore it).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

from db.engine import create_engine
from db.ingest import load_bundled_if_empty
from db.integrity import DamagedDatabase
from gateway.failures import Status
from tests.support.commands import (
    FAILED,
    ROOT,
    WRITERS,
    argv_for,
    child,
    clean,
    in_process,
)
from tests.support.fake_ll2 import FakeLL2, synthetic_graph


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    return clean(monkeypatch)


# --- storage ---------------------------------------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def loaded_file(tmp_path: Path, sqlite_template: Path) -> Path:
    """A SQLite file holding the bundled dataset, alone in a directory of its own."""
    directory = tmp_path / "data"
    directory.mkdir()
    path = directory / "gateway.db"
    shutil.copy(sqlite_template, path)

    async def load() -> None:
        engine = create_engine(f"sqlite:///{path}")
        try:
            await load_bundled_if_empty(engine)
        finally:
            await engine.dispose()

    asyncio.run(load())
    with sqlite3.connect(path) as conn:  # everything into the file itself, no journal beside it
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
    for extra in directory.glob("gateway.db-*"):
        extra.unlink()
    return path


@pytest.mark.parametrize("command", WRITERS)
def test_an_unwritable_directory_or_file_is_told_with_status_74_and_nothing_changes(
    loaded_file: Path, tmp_path: Path, command: str
) -> None:
    url = f"sqlite:///{loaded_file}"
    before = _digest(loaded_file)
    argv = argv_for(command, tmp_path)
    try:
        loaded_file.chmod(0o444)
        read_only = child(argv, privileged=False, DATABASE_URL=url)
        loaded_file.chmod(0o644)
        loaded_file.parent.chmod(0o555)
        locked_in = child(argv, privileged=False, DATABASE_URL=url)
        new_file = loaded_file.parent / "new.db"
        locked_out = child(argv, privileged=False, DATABASE_URL=f"sqlite:///{new_file}")
    finally:
        loaded_file.parent.chmod(0o755)
        loaded_file.chmod(0o644)

    fix = "make it writable, or set DATABASE_URL to a file in a writable directory"
    assert read_only == (
        Status.STORAGE,
        f"{FAILED[command]}: the database file {loaded_file} is read-only to this user (its "
        f"permissions, or a read-only mount): {fix}\n",
    )
    for path, result in ((loaded_file, locked_in), (new_file, locked_out)):
        assert result == (
            Status.STORAGE,
            f"{FAILED[command]}: cannot write the database file {path}: its directory "
            f"{loaded_file.parent} is not writable by this user (SQLite writes its journal "
            f"beside the file): {fix}\n",
        )
    assert _digest(loaded_file) == before
    assert sorted(p.name for p in loaded_file.parent.iterdir()) == ["gateway.db"]


def test_serve_serves_a_sound_file_it_cannot_write(loaded_file: Path) -> None:
    script = (
        "import asyncio\n"
        "from gateway.serve import prepare_database\n"
        "from gateway.settings import Settings\n"
        "print(asyncio.run(prepare_database(Settings())))\n"
    )
    prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    loaded_file.chmod(0o444)
    try:
        done = subprocess.run(
            [*prefix * (os.geteuid() == 0), sys.executable, "-c", script],
            cwd=ROOT,
            env=os.environ | {"PYTHONPATH": str(ROOT), "DATABASE_URL": f"sqlite:///{loaded_file}"},
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        loaded_file.chmod(0o644)

    assert (done.returncode, done.stdout) == (
        0,
        "the database file is read-only to this process: serving it as it is\n",
    )


@contextmanager
def page_limit(pages: int) -> Iterator[None]:
    """Every SQLite connection opened meanwhile may grow its file to `pages` pages: past them
    SQLite answers SQLITE_FULL, "database or disk is full", as on a full disk."""

    def limit(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA max_page_count={pages}")
        cursor.close()

    event.listen(Pool, "connect", limit)
    try:
        yield
    finally:
        event.remove(Pool, "connect", limit)


def _pages(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("PRAGMA page_count").fetchone()[0])


@pytest.mark.parametrize("command", ["ingest", "synth"])
def test_a_full_disk_during_an_import_is_told_with_status_74_and_nothing_changes(
    clean_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    loaded_file: Path,
    tmp_path: Path,
    command: str,
) -> None:
    url = f"sqlite:///{loaded_file}"
    if command == "synth":  # synth --into wants an empty database: one of its own
        loaded_file.unlink()
        assert child(["migrate"], DATABASE_URL=url)[0] == 0
        argv = ["synth", "--into", "--spacecraft", "3000", "--flights", "300", "--quiet"]
    else:
        pages = tmp_path / "pages"
        assert (
            child(["synth", "--spacecraft", "3000", "--flights", "300", "--out", str(pages)])[0]
            == 0
        )
        argv = ["ingest", str(pages)]
    before = _digest(loaded_file)

    with page_limit(_pages(loaded_file) + 8):
        status, err = in_process(clean_env, capsys, argv, DATABASE_URL=url)

    assert (status, err.splitlines()[-1:]) == (
        Status.STORAGE,
        [
            f"{FAILED[command]}: the disk holding the database file {loaded_file} is full: free "
            "some space (or move the file, with DATABASE_URL, to a disk that has some) and run "
            "it again"
        ],
    )
    assert "Traceback" not in err
    with sqlite3.connect(loaded_file) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert _digest(loaded_file) == before


# --- a damaged file ---------------------------------------------------------------------------


def _damage(path: Path, where: str) -> str:
    """Overwrite 64 KiB of the file (its middle, or its start); what SQLite then says."""
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.seek(size // 2 // 4096 * 4096 if where == "middle" else 0)
        f.write(b"\xa5" * 65536)
    try:
        with sqlite3.connect(path) as conn:
            found = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
    except sqlite3.DatabaseError as e:  # the damage reached the schema itself
        return str(e)
    assert found != ["ok"]
    return "; ".join(found)


@pytest.mark.parametrize("where", ["middle", "start"])
@pytest.mark.parametrize("command", list(FAILED))
def test_a_damaged_file_is_refused_at_start_with_the_way_to_restore_it(
    loaded_file: Path, tmp_path: Path, command: str, where: str
) -> None:
    detail = _damage(loaded_file, where)
    before = _digest(loaded_file)

    status, err = child(argv_for(command, tmp_path), DATABASE_URL=f"sqlite:///{loaded_file}")

    assert (status, err) == (
        Status.DAMAGED,
        f"{FAILED[command]}: {DamagedDatabase(str(loaded_file), detail)}\n",
    )
    assert _digest(loaded_file) == before
    assert not (tmp_path / "export").exists()


def test_a_full_disk_during_a_sync_is_told_with_status_74_and_the_saved_pages_stay(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], loaded_file: Path
) -> None:
    url = f"sqlite:///{loaded_file}"
    with FakeLL2(synthetic_graph(spacecraft=3000), limit=None) as ll2:
        before = _digest(loaded_file)
        with page_limit(_pages(loaded_file) + 8):
            status, err = in_process(
                clean_env, capsys, ["sync", "--base-url", ll2.base_url, "--quiet"], DATABASE_URL=url
            )

        assert (status, err) == (
            Status.STORAGE,
            f"{FAILED['sync']}: the disk holding the database file {loaded_file} is full: free "
            "some space (or move the file, with DATABASE_URL, to a disk that has some) and run "
            "it again\n",
        )
        assert len(ll2.page_requests()) >= 1
    with sqlite3.connect(loaded_file) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        spacecraft = conn.execute("SELECT count(*) FROM spacecraft").fetchone()[0]
        saved = conn.execute(
            "SELECT coalesce(sum(pages_done), 0) FROM sync_endpoint WHERE endpoint = 'spacecraft'"
        ).fetchone()[0]
    # Pages are saved whole or not at all: page N holds spacecraft 1..100N (the bundled 31 first).
    assert spacecraft == max(31, 100 * saved)
    if saved == 0:
        assert _digest(loaded_file) == before
