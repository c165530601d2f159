"""What every resolver can reach for one request: its database connection and loaders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from db.direct import DirectReader
from db.version_reader import VersionReader
from gateway.loaders import Loaders
from gateway.loaders.counts import CountCache
from gateway.loaders.database import RequestDatabase


@dataclass
class Context:
    db: RequestDatabase
    loaders: Loaders
    debug: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


@asynccontextmanager
async def request_context(
    engine: AsyncEngine,
    *,
    debug: bool = False,
    counts: CountCache | None = None,
    versions: VersionReader | None = None,
    direct: DirectReader | None = None,
) -> AsyncIterator[Context]:
    """`counts`, the process's cache of root totals by data version (None counts every time);
    `versions`, its reader of the dataset's version (None reads on the request's connection);
    `direct`, its reader of single values on raw connections (None: on the request's)."""
    db = RequestDatabase(engine, versions, direct)
    try:
        yield Context(db=db, loaders=Loaders(db, counts), debug=debug)
    finally:
        await db.close()
