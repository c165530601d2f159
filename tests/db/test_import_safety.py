"""An import is all or nothing even when its process dies: `kill -9` in the middle of a large
import leaves the previous data as it was, and the same import run again completes."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from db.state import count_rows, read_state
from tests.support.importer import ROOT, ImportProcess

TABLES = ["spacecraft", "spacecraft_flight", "launch", "astronaut", "agency"]


async def snapshot(url: str) -> tuple[int | None, dict[str, int]]:
    engine = create_engine(url, read_only=True)
    try:
        async with engine.connect() as conn:
            state = await read_state(conn)
            return (state.version if state else None), await count_rows(conn, TABLES)
    finally:
        await engine.dispose()


async def writing_in_progress(url: str) -> bool:
    """Whether the transaction holding the importers' lock has written (PostgreSQL): it has a
    transaction id once it wrote its first row, and commits only when all are written."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            held = await conn.scalar(
                sa.text(
                    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'advisory' AND l.objid = 7234001 "
                    "AND a.backend_xid IS NOT NULL"
                )
            )
            return bool(held)
    finally:
        await engine.dispose()


def wait_until_writes_are_under_way(url: str, backend: str, importer: ImportProcess) -> None:
    """Until the import's transaction is writing, then stop the process where it is (SIGSTOP),
    so that it cannot commit before the kill; it must still be uncommitted once stopped."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert importer.popen.poll() is None, "the import finished before it could be killed"
        if backend == "sqlite":
            wal = Path(url.removeprefix("sqlite:///") + "-wal")
            writing = wal.exists() and wal.stat().st_size > 2_000_000  # uncommitted pages
        else:
            writing = asyncio.run(writing_in_progress(url))
        if writing:
            importer.popen.send_signal(signal.SIGSTOP)
            version, _ = asyncio.run(snapshot(url))
            assert version == 1, "the import committed before it could be stopped"
            return
        time.sleep(0.02)
    raise AssertionError("the import never got to writing")


def test_kill_9_in_the_middle_of_an_import_changes_nothing_and_a_rerun_completes(
    bundled_engine: AsyncEngine, database_url: str, backend: str, synthetic_dump: Path
) -> None:
    before = asyncio.run(snapshot(database_url))
    assert before == (
        1,
        {"spacecraft": 31, "spacecraft_flight": 1, "launch": 1, "astronaut": 1, "agency": 8},
    )

    importer = ImportProcess(database_url, synthetic_dump)
    importer.wait_for("writing")
    wait_until_writes_are_under_way(database_url, backend, importer)
    importer.kill()

    if backend == "sqlite":
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert asyncio.run(snapshot(database_url)) == before

    rerun = subprocess.run(
        [sys.executable, "-m", "gateway.cli", "ingest", str(synthetic_dump)],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert rerun.returncode == 0, rerun.stderr
    # The synthetic ids overlap the bundled ones: those objects are replaced, the rest added.
    assert asyncio.run(snapshot(database_url)) == (
        2,
        {
            "spacecraft": 10_000,
            "spacecraft_flight": 3_000,
            "launch": 3_004,
            "astronaut": 111,
            "agency": 21,
        },
    )
