"""Gateway workers that hold the dataset's version in memory, and the writers that wait for them.

On PostgreSQL a worker process does not read the version for each request: it keeps the version
it was told (`db.version_lease`) and trusts it for a lease. The rule that makes this safe is
written here, on both sides:

- A worker's row says which version it has acknowledged and until when, on the database's clock,
  its lease runs. The worker trusts its version only until a moment that is never later than
  that (it renews first, then reads the version, and counts the lease from before it asked).
- Every writer that changes the data (import, sync, synth) notifies the new version with its
  commit, then waits until each worker has acknowledged it or has a lease that has run out.

So once a writer has returned, no worker answers from the version before it: either the worker
has the new one, or its lease is over and it reads the version again for each request until it
renews. A worker that is paused, cut off or gone only makes writers wait out its lease.
"""

from __future__ import annotations

import asyncio
import logging
import time

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from db.tables import BIGINT, TEXT, metadata

log = logging.getLogger(__name__)

# Notified with the new version by the transaction that makes it; delivered at its commit.
VERSION_CHANNEL = "dataset_version"


WORKERS = sa.Table(
    "gateway_worker",
    metadata,
    sa.Column("id", TEXT, primary_key=True, comment="A random id per worker process."),
    sa.Column("label", TEXT, nullable=False, comment="Host and process id, for messages."),
    sa.Column(
        "acked_version", BIGINT, nullable=False, comment="The newest version the worker holds."
    ),
    sa.Column(
        "lease_until",
        sa.Double(),
        nullable=False,
        comment="Seconds since the epoch, on the database's clock.",
    ),
    comment="Workers that keep the dataset's version in memory, each for a lease.",
)

_NOW = "extract(epoch from clock_timestamp())"

# The worker's renewal: acknowledges `$3` and extends its lease to now + `$4` seconds.
RENEW_SQL = (
    f"INSERT INTO {WORKERS.name} (id, label, acked_version, lease_until) "
    f"VALUES ($1, $2, $3, {_NOW} + $4) ON CONFLICT (id) DO UPDATE SET "
    "acked_version = excluded.acked_version, lease_until = excluded.lease_until"
)
LEAVE_SQL = f"DELETE FROM {WORKERS.name} WHERE id = $1"
# Rows of workers that died without leaving, an hour after their lease ran out.
FORGET_SQL = f"DELETE FROM {WORKERS.name} WHERE lease_until < {_NOW} - 3600"

_BEHIND_SQL = sa.text(
    f"SELECT label FROM {WORKERS.name} "
    f"WHERE acked_version < :version AND lease_until > {_NOW} ORDER BY label"
)


async def notify_version(conn: AsyncConnection, version: int) -> None:
    """Tell the workers about `version`, at the commit of the caller's transaction."""
    if conn.dialect.name == "postgresql":
        await conn.execute(
            sa.text("SELECT pg_notify(:channel, :version)"),
            {"channel": VERSION_CHANNEL, "version": str(version)},
        )


async def behind(conn: AsyncConnection, version: int) -> list[str]:
    """The workers that may still answer from a version older than `version`."""
    return list((await conn.execute(_BEHIND_SQL, {"version": version})).scalars())


async def wait_for_workers(
    engine: AsyncEngine, version: int | None, *, poll: float = 0.005, warn_after: float = 30.0
) -> None:
    """Return once no worker can answer from before `version` (call after its commit).

    Nothing to wait for on SQLite, whose workers read the version for every request, or when
    nothing changed (`version` None). A worker that renews acknowledges within one renewal, and
    one that does not loses its lease, so this ends; a warning says who is slow meanwhile.
    """
    if version is None or engine.dialect.name != "postgresql":
        return
    started = time.monotonic()
    warned = False
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        if await conn.scalar(sa.text("SELECT to_regclass(:name)"), {"name": WORKERS.name}) is None:
            return  # a schema older than leases: every worker reads the version itself
        while labels := await behind(conn, version):
            if not warned and time.monotonic() - started > warn_after:
                log.warning("waiting for workers to take version %d: %s", version, labels)
                warned = True
            await asyncio.sleep(poll)
