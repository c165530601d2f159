"""Reading the bundled samples and whole database contents, for assertions."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.dataset import bundled_files
from db.ingest.sources import Document, read_documents
from db.tables import metadata


def sample_documents() -> list[Document]:
    return list(read_documents(bundled_files()))


def sample_spacecraft() -> list[dict[str, Any]]:
    return [
        o for d in sample_documents() if d.endpoint == "spacecraft" for o in d.payload["results"]
    ]


def sample_flight() -> dict[str, Any]:
    (doc,) = [d for d in sample_documents() if d.endpoint == "spacecraft_flights"]
    return copy.deepcopy(doc.payload)


async def dump(engine: AsyncEngine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the database has, in a stable order: equal dumps, equal data."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    async with engine.connect() as conn:
        present = set(await conn.run_sync(lambda c: sa.inspect(c).get_table_names()))
        for table in metadata.sorted_tables:
            if table.name not in present:
                continue
            rows = (await conn.execute(sa.select(table))).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def write_json(path: Path, payload: Any) -> Path:
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload))
    return path


async def rename_spacecraft(engine: AsyncEngine, ll2_id: int, name: str, directory: Path) -> int:
    """Import a page renaming one bundled spacecraft, as `ingest` does; the new version."""
    from db.ingest import ingest

    (craft,) = [copy.deepcopy(s) for s in sample_spacecraft() if s["id"] == ll2_id]
    craft["name"] = name
    page = {"count": 1, "next": None, "previous": None, "results": [craft]}
    path = write_json(directory / f"rename-{ll2_id}-{abs(hash(name))}.json", page)
    result = await ingest(engine, [path])
    assert result.version is not None, "the import changed nothing"
    return result.version
