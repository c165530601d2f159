"""The exporter: the whole dataset as LL2 list pages that `ingest` reads back into the same rows.

    result = await export(engine, "backup/")

Writes, from one consistent snapshot of the database:

- `DIR/<endpoint>/page-00001.json` ...: every object of LL2's five spacecraft endpoints in
  `detailed` mode, 100 to a page, in id order, with LL2's `count`, `next` and `previous`: what
  LL2 itself would answer, written by `db.render.Renderer`;
- `DIR/0-supplement/<endpoint>/...`, only when needed: complete copies of the rows those pages
  cannot give back (see `coverage` and `supplement`). The name sorts before the endpoints, so
  `ingest DIR` reads it first.

Reading the directory with `ingest`, into an empty database of either backend, gives every row of
every table as it was, `dataset_state` aside. What no LL2 JSON can carry (see `coverage.Loss`)
is reported in the result. Output is the same bytes for the same data on either backend, and
appears all at once: pages are written beside `DIR` and moved in place at the end.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from db import migrate
from db.engine import snapshot
from db.export.coverage import Loss, Recorder, find_gaps
from db.export.pages import PAGE_SIZE, write_items, write_pages
from db.export.supplement import Supplement
from db.graph import load_graph
from db.integrity import check_integrity
from db.render import DEFAULT_BASE_URL
from db.spec import ENDPOINTS
from db.state import read_state

__all__ = ["SUPPLEMENT", "ExportError", "ExportResult", "Loss", "export"]

SUPPLEMENT = "0-supplement"


class ExportError(Exception):
    """The export cannot start; nothing was written."""


@dataclass(frozen=True)
class ExportResult:
    directory: Path
    version: int | None
    objects: dict[str, int]
    pages: int
    supplement: int
    losses: list[Loss] = field(default_factory=list)

    def summary(self) -> str:
        counts = ", ".join(f"{endpoint} {n}" for endpoint, n in self.objects.items())
        extra = f", {self.supplement} complete copies in {SUPPLEMENT}" if self.supplement else ""
        version = "" if self.version is None else f" (dataset version {self.version})"
        return f"exported {counts} in {self.pages} pages{extra} to {self.directory}{version}"

    def warnings(self) -> list[str]:
        return [f"{loss} (ingest cannot give this back)" for loss in self.losses]


def _check_target(directory: Path) -> None:
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ExportError(
            f"{directory} already exists and is not an empty directory: an export needs a new "
            "or empty one, so that no older page is read back with it"
        )


async def export(
    engine: AsyncEngine,
    directory: str | Path,
    *,
    base_url: str = DEFAULT_BASE_URL,
    page_size: int = PAGE_SIZE,
) -> ExportResult:
    target = Path(directory)
    _check_target(target)
    await check_integrity(engine)
    await migrate.check(engine)
    async with snapshot(engine) as conn:
        graph = await load_graph(conn)
        state = await read_state(conn)
    recorder = Recorder(graph, base_url=base_url)
    partial = target.parent / f".{target.name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    try:
        pages = 0
        objects: dict[str, int] = {}
        for endpoint, entity in ENDPOINTS.items():
            ids = sorted(graph.rows.get(entity, {}))
            objects[endpoint] = len(ids)
            pages += write_pages(
                partial / endpoint, recorder, endpoint, "detailed", ids, page_size=page_size
            )
        gaps = find_gaps(recorder)
        supplement = Supplement(recorder, gaps).build()
        for endpoint, items in supplement.items.items():
            pages += write_items(
                partial / SUPPLEMENT / endpoint, endpoint, items, page_size=page_size
            )
        partial.mkdir(parents=True, exist_ok=True)
        if target.exists():
            target.rmdir()
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return ExportResult(
        directory=target,
        version=state.version if state else None,
        objects=objects,
        pages=pages,
        supplement=sum(len(items) for items in supplement.items.values()),
        losses=sorted(gaps.losses + supplement.losses),
    )
