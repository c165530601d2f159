"""What `/readyz` reports: whether the database answers and holds a dataset, and how much.

Counts are of the kinds LL2's endpoints list (spacecraft, configurations, families, agencies,
flights), read again only when the dataset's version changes, so a probe every second costs one
small query. The database gets `timeout` seconds to answer; a probe never hangs.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from db.spec import ENDPOINTS
from db.state import count_rows, read_state

KINDS = list(dict.fromkeys(ENDPOINTS.values()))


@dataclass(frozen=True)
class Report:
    ready: bool
    body: dict[str, Any]


def describe_error(error: BaseException) -> str:
    """The driver's own words, without SQLAlchemy's SQL and links (and never the URL)."""
    if isinstance(error, DBAPIError) and error.orig is not None:
        error = error.orig
    if isinstance(error, TimeoutError):
        return "no answer in time"
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


class Readiness:
    def __init__(self, engine: AsyncEngine, *, timeout: float) -> None:
        self.engine = engine
        self.timeout = timeout
        self._counts: tuple[int, dict[str, int]] | None = None

    async def check(self) -> Report:
        try:
            async with asyncio.timeout(self.timeout):
                return await self._check()
        except TimeoutError:
            return _unready(f"the database did not answer within {self.timeout:g} s")
        except (OSError, SQLAlchemyError) as e:
            return _unready(f"the database is unreachable: {describe_error(e)}")

    async def _check(self) -> Report:
        async with self.engine.connect() as conn:
            state = await read_state(conn)
            if state is None or state.version == 0:
                return _unready(
                    "the database holds no dataset: restart `spacecraft-gateway serve`, which "
                    "loads the bundled one into an empty database, or run `spacecraft-gateway "
                    "ingest`"
                )
            if self._counts is None or self._counts[0] != state.version:
                self._counts = (state.version, await count_rows(conn, KINDS))
        return Report(
            True,
            {
                "status": "ready",
                "dataset": {
                    "version": state.version,
                    "source": state.source,
                    "updated_at": state.updated_at.isoformat() if state.updated_at else None,
                },
                "counts": self._counts[1],
            },
        )


def _unready(reason: str) -> Report:
    return Report(False, {"status": "unavailable", "reason": reason})
