"""The importer: LL2 responses in files -> the database, all or nothing.

    result = await ingest(engine, ["dump/"], source="import")

Files are read in sorted path order, validated and merged in memory (`records`), then merged into
the stored rows in one transaction (`write`). Any invalid record raises `IngestError` before the
transaction commits, so a failed run leaves the database exactly as it was. Tables the import
wrote many rows to are analysed after the commit (`statistics`).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from db import migrate
from db.dataset import bundled_files
from db.ingest.errors import IngestError
from db.ingest.progress import Progress
from db.ingest.records import RecordSet
from db.ingest.sources import Document, read_documents
from db.ingest.statistics import analyze_written
from db.ingest.write import Changes, write_records
from db.state import bump_version
from db.tables import ENTITY_TABLES
from db.workers import wait_for_workers

__all__ = ["Document", "ImportResult", "IngestError", "RecordSet", "ingest", "ingest_documents"]


@dataclass(frozen=True)
class ImportResult:
    files: int
    objects: int
    changes: Changes
    new_keys: dict[tuple[str, str], tuple[str, str]]
    version: int | None

    def summary(self) -> str:
        return f"imported {self.files} files, {self.objects} objects; {self.changes.summary()}"

    def warnings(self) -> list[str]:
        return [
            f"{file}: {path}: field {key!r} of {entity} is not in our schema yet; kept as extra"
            for (entity, key), (file, path) in sorted(self.new_keys.items())
        ]


def read_records(
    documents: Iterable[Document], progress: Progress | None = None
) -> tuple[RecordSet, int]:
    records = RecordSet()
    files = 0
    for doc in documents:
        records.add_document(doc)
        files += 1
        if progress:
            progress.update(f"reading: {files} files, {records.objects} objects")
    return records, files


async def lock_writers(conn: AsyncConnection) -> None:
    """Serialise writers: one import or sync at a time, whatever the number of processes."""
    if conn.dialect.name == "postgresql":
        await conn.execute(sa.text("SELECT pg_advisory_xact_lock(7234001)"))
    else:
        # Any write takes SQLite's single writer lock for the rest of the transaction.
        await conn.execute(sa.text("UPDATE dataset_state SET id = id WHERE 0"))


async def write(
    conn: AsyncConnection, records: RecordSet, *, source: str, at: dt.datetime | None = None
) -> tuple[Changes, int | None]:
    """Merge `records` inside the caller's transaction; bump the version when data changed.

    `at` (naive UTC, default now) is when the data changed, for callers with their own clock.
    """
    changes = await write_records(conn, records)
    version = None
    if changes.any:
        version = await bump_version(
            conn, source=source, at=at or dt.datetime.now(dt.UTC).replace(tzinfo=None)
        )
    return changes, version


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector rescans every live object from time to time. An import keeps the
    millions of objects it makes and leaves no cycles to collect, so it runs without it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


async def ingest_documents(
    engine: AsyncEngine,
    documents: Iterable[Document],
    *,
    source: str = "import",
    progress: Progress | None = None,
) -> ImportResult:
    with _collector_paused():
        records, files = read_records(documents, progress)
        if progress:
            progress.update(f"writing {records.objects} objects in one transaction", force=True)
        async with engine.begin() as conn:
            await lock_writers(conn)
            changes, version = await write(conn, records, source=source)
        await wait_for_workers(engine, version)
        result = ImportResult(files, records.objects, changes, dict(records.new_keys), version)
        # Freed while the collector is off: back on, it would first scan them all.
        del records
    await analyze_written(engine, changes.written())
    if progress:
        progress.done()
    return result


async def ingest(
    engine: AsyncEngine,
    paths: Sequence[str | Path],
    *,
    endpoint: str | None = None,
    source: str = "import",
    progress: Progress | None = None,
) -> ImportResult:
    await migrate.prepare(engine)
    return await ingest_documents(
        engine, read_documents(paths, endpoint), source=source, progress=progress
    )


async def is_empty(conn: AsyncConnection) -> bool:
    table = ENTITY_TABLES["spacecraft"]
    return (await conn.execute(sa.select(table.c.id).limit(1))).first() is None


async def load_bundled_if_empty(engine: AsyncEngine) -> ImportResult | None:
    """Fill an empty database with the bundled samples; None when it already had data."""
    await migrate.prepare(engine)
    async with engine.connect() as conn:
        if not await is_empty(conn):
            return None
    records, files = read_records(read_documents(bundled_files()))
    async with engine.begin() as conn:
        await lock_writers(conn)
        if not await is_empty(conn):
            return None
        changes, version = await write(conn, records, source="bundled")
    return ImportResult(files, records.objects, changes, dict(records.new_keys), version)
