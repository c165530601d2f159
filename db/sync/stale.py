"""Records LL2 no longer lists: in the database, but not seen by the last full pass.

The sync never deletes: LL2 may drop a record from a list by mistake, and other records may
still point to it. This report shows them so a person can decide. LL2 pages by offset: when
records are removed during a pass, a later record can slip onto a page already fetched and be
listed here until the next pass sees it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.spec import ENDPOINTS
from db.sync import store
from db.sync.tables import SYNC_SEEN
from db.tables import ENTITY_TABLES


@dataclass(frozen=True)
class StaleRecord:
    id: int
    name: str | None
    last_seen_at: dt.datetime | None


@dataclass(frozen=True)
class Staleness:
    """One endpoint: when its last full pass ended (None: never), and what it did not see."""

    endpoint: str
    full_pass_at: dt.datetime | None
    records: list[StaleRecord]

    def lines(self) -> list[str]:
        if self.full_pass_at is None:
            return [f"{self.endpoint}: no full pass yet, nothing to compare"]
        head = (
            f"{self.endpoint}: {len(self.records)} records not listed by the full pass "
            f"that ended {self.full_pass_at:%Y-%m-%d %H:%M:%S} UTC"
        )
        return [head] + [
            f"  {r.id}"
            + (f" {r.name}" if r.name else "")
            + (
                f" (last seen {r.last_seen_at:%Y-%m-%d %H:%M:%S} UTC)"
                if r.last_seen_at
                else " (never seen by the sync)"
            )
            for r in self.records
        ]


async def stale_records(
    engine: AsyncEngine, endpoints: Sequence[str] = tuple(ENDPOINTS)
) -> list[Staleness]:
    report: list[Staleness] = []
    async with engine.connect() as conn:
        cursors = await store.read_cursors(conn)
        for endpoint in endpoints:
            cursor = cursors.get(endpoint)
            if cursor is None or cursor.last_full_pass == 0:
                report.append(Staleness(endpoint, None, []))
                continue
            table = ENTITY_TABLES[ENDPOINTS[endpoint]]
            name = table.c.name if "name" in table.c else sa.null()
            seen = SYNC_SEEN.alias("seen")
            rows = await conn.execute(
                sa.select(table.c.id, name, seen.c.seen_at)
                .select_from(
                    table.outerjoin(
                        seen, sa.and_(seen.c.endpoint == endpoint, seen.c.record_id == table.c.id)
                    )
                )
                .where(
                    sa.or_(
                        seen.c.pass_number.is_(None),
                        seen.c.pass_number < cursor.last_full_pass,
                    )
                )
                .order_by(table.c.id)
            )
            report.append(
                Staleness(
                    endpoint,
                    cursor.last_full_pass_at,
                    [StaleRecord(i, n, at) for i, n, at in rows],
                )
            )
    return report
