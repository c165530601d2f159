"""The dataset's version, read on the request's own connection and transaction.

Read first, before the answer's own statements, in the same read transaction (one snapshot, see
`db.engine`), so the version an answer is cached under is the version of the data it holds.
"""

from __future__ import annotations

from typing import Any

from db.state import read_version


async def dataset_version(context: Any) -> int:
    """The version the request's context reads (`gateway.context.Context`: its `db`)."""
    async with context.db.connection() as conn:
        return await read_version(conn)
