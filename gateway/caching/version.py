"""The dataset's version, read on the request's own connection, before any data.

Read first, so the data an answer holds is never older than the version it is cached under (it
may be newer, if an import commits in between: never stale). See `gateway.loaders.database`.
"""

from __future__ import annotations

from typing import Any


async def dataset_version(context: Any) -> int:
    """The version the request's context reads (`gateway.context.Context`: its `db`)."""
    version: int = await context.db.version()
    return version
