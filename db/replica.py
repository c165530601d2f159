"""How far a PostgreSQL streaming standby (`DATABASE_READ_URL`) is behind its primary.

The gateway reads from whatever database `DATABASE_READ_URL` names; when that is a hot standby,
answers follow its replay: an import committed on the primary shows once the standby has
replayed it, all at once (each transaction replays whole). `replica_state` says, from the
standby itself, how much it has received and not yet replayed: as bytes of WAL, and as the
time since the last transaction it replayed (or since it started, before it has replayed
any), 0 when it has replayed everything it received.
None on SQLite and on a PostgreSQL server that is not in recovery (a primary).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

STANDBY_SQL = sa.text(
    """
    SELECT
        coalesce(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0)
            AS behind_bytes,
        CASE
            WHEN pg_last_wal_receive_lsn() IS NULL
              OR pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
            ELSE extract(epoch FROM clock_timestamp() - coalesce(
                pg_last_xact_replay_timestamp(), pg_postmaster_start_time()))
        END AS behind_seconds,
        pg_get_wal_replay_pause_state() <> 'not paused' AS paused,
        pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC' AS replayed_at
    WHERE pg_is_in_recovery()
    """
)


@dataclass(frozen=True)
class ReplicaState:
    lag_seconds: float
    lag_bytes: int
    replay_paused: bool
    last_replayed_at: dt.datetime | None  # naive UTC, of the last transaction replayed


async def replica_state(conn: AsyncConnection) -> ReplicaState | None:
    if conn.dialect.name != "postgresql":
        return None
    row = (await conn.execute(STANDBY_SQL)).first()
    if row is None:
        return None
    return ReplicaState(
        lag_seconds=max(float(row.behind_seconds or 0), 0.0),
        lag_bytes=int(row.behind_bytes),
        replay_paused=bool(row.paused),
        last_replayed_at=row.replayed_at,
    )
