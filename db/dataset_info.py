"""Facts about the dataset as a whole, for `datasetInfo` in the API and for `/readyz`.

    info = await dataset_info(engine)

Where the data came from (bundled, import, or the LL2 base URL a sync read), when the last
import or sync completed, the data version (`db.state`), rows per entity, the data's age, and
the last sync's failure, if the last sync that ended failed, and how far behind its primary the
database is when it is a streaming standby (`db.replica`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from db.replica import ReplicaState, replica_state
from db.state import read_state
from db.sync import store
from db.tables import ENTITY_TABLES


@dataclass(frozen=True)
class SyncFailure:
    at: dt.datetime
    error: str


@dataclass(frozen=True)
class LastSync:
    started_at: dt.datetime
    ended_at: dt.datetime
    outcome: str
    detail: str | None
    allowance_left: int | None = None  # LL2's, when the run ended
    allowance_limit: int | None = None


@dataclass(frozen=True)
class DatasetInfo:
    source: str | None
    completed_at: dt.datetime | None
    version: int
    counts: dict[str, int]
    age: dt.timedelta | None
    last_sync: LastSync | None
    last_sync_failure: SyncFailure | None
    replica: ReplicaState | None = None  # when the database read is a streaming standby


async def entity_counts(conn: AsyncConnection) -> dict[str, int]:
    """Rows per entity, in one statement."""
    columns = [
        sa.select(sa.func.count()).select_from(table).scalar_subquery().label(name)
        for name, table in ENTITY_TABLES.items()
    ]
    row = (await conn.execute(sa.select(*columns))).mappings().one()
    return {name: int(row[name]) for name in ENTITY_TABLES}


# Counting every table scans them all; the counts change only with the version.
_counted: dict[str, tuple[int, dict[str, int]]] = {}


async def _counts_for_version(conn: AsyncConnection, version: int) -> dict[str, int]:
    database = str(conn.engine.url)
    cached = _counted.get(database)
    if cached is None or cached[0] != version:
        cached = _counted[database] = (version, await entity_counts(conn))
    return cached[1]


async def dataset_info(engine: AsyncEngine, *, now: dt.datetime | None = None) -> DatasetInfo:
    """`now` (naive UTC) is for tests; the data's age is measured from it."""
    async with engine.connect() as conn:
        return await dataset_info_on(conn, now=now)


async def dataset_info_on(conn: AsyncConnection, *, now: dt.datetime | None = None) -> DatasetInfo:
    """The facts as the transaction on `conn` sees them (a request's own snapshot)."""
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    state = await read_state(conn)
    finished = await store.last_finished_round(conn)
    run = await store.last_ended_run(conn)
    counts = await _counts_for_version(conn, state.version if state else 0)
    # The latest of: the last change to the data, and the end of the last full sync round
    # (which confirms the data as of then, changed or not).
    candidates = [
        (at, source)
        for at, source in (
            (state.updated_at if state else None, state.source if state else None),
            (finished.finished_at if finished else None, finished.base_url if finished else None),
        )
        if at is not None
    ]
    completed_at, source = max(candidates, key=lambda c: c[0]) if candidates else (None, None)
    last_sync = (
        LastSync(
            run.started_at,
            run.ended_at,
            run.outcome,
            run.detail,
            run.allowance_left,
            run.allowance_limit,
        )
        if run and run.ended_at
        else None
    )
    failure = (
        SyncFailure(last_sync.ended_at, last_sync.detail or "failed")
        if last_sync and last_sync.outcome == "failed"
        else None
    )
    return DatasetInfo(
        source=source,
        completed_at=completed_at,
        version=state.version if state else 0,
        counts=counts,
        age=now - completed_at if completed_at else None,
        last_sync=last_sync,
        last_sync_failure=failure,
        replica=await replica_state(conn),
    )
