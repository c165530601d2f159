"""What `/readyz` reports: whether the database answers and holds a dataset, and how much.

Counts are of the kinds LL2's endpoints list (spacecraft, configurations, families, agencies,
flights), read again only when the dataset's version changes; with them, the data's age and the
last sync's failure, if any, and on a streaming standby how far behind its primary it is. The
database gets `timeout` seconds to answer; a probe never hangs.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from db.dataset_info import dataset_info_on
from db.spec import ENDPOINTS

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
            facts = await dataset_info_on(conn)
        if facts.version == 0:
            return _unready(
                "the database holds no dataset: restart `spacecraft-gateway serve`, which "
                "loads the bundled one into an empty database, or run `spacecraft-gateway "
                "ingest`"
            )
        failure = facts.last_sync_failure
        body: dict[str, Any] = {}
        if facts.replica is not None:
            replica = facts.replica
            body["replica"] = {
                "lag_seconds": round(replica.lag_seconds, 3),
                "lag_bytes": replica.lag_bytes,
                "replay_paused": replica.replay_paused,
                "last_replayed_at": _iso(replica.last_replayed_at),
            }
        return Report(
            True,
            {
                "status": "ready",
                "dataset": {
                    "version": facts.version,
                    "source": facts.source,
                    "completed_at": _iso(facts.completed_at),
                    "age_seconds": None if facts.age is None else int(facts.age.total_seconds()),
                    "last_sync_failure": None
                    if failure is None
                    else {"at": _iso(failure.at), "error": failure.error},
                },
                "counts": {kind: facts.counts[kind] for kind in KINDS},
                **body,
            },
        )


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat() + "Z"


def _unready(reason: str) -> Report:
    return Report(False, {"status": "unavailable", "reason": reason})
