"""Reading and writing the sync's progress (the tables in `db.sync.tables`).

Plain functions on the caller's connection, so a page's data and the progress it makes commit
in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from db.sync.tables import SYNC_ENDPOINT, SYNC_ROUND, SYNC_RUN, SYNC_SEEN


@dataclass(frozen=True)
class Round:
    id: int
    base_url: str
    endpoints: tuple[str, ...]
    started_at: dt.datetime
    finished_at: dt.datetime | None


@dataclass(frozen=True)
class Cursor:
    """Where the sync of one endpoint stands (a row of sync_endpoint)."""

    endpoint: str
    base_url: str
    round_id: int
    pass_number: int
    next_url: str | None
    pages_done: int
    records: int
    total: int | None
    started_at: dt.datetime
    updated_at: dt.datetime
    finished_at: dt.datetime | None
    last_full_pass: int
    last_full_pass_at: dt.datetime | None

    @property
    def finished(self) -> bool:
        return self.next_url is None


def _new_id(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _endpoints_text(endpoints: Sequence[str]) -> str:
    return " ".join(endpoints)


def _round(row: Any) -> Round:
    return Round(
        id=row["id"],
        base_url=row["base_url"],
        endpoints=tuple(row["endpoints"].split()),
        started_at=row["started_at"],
        finished_at=row["finished_at"],
    )


async def open_round(
    conn: AsyncConnection, base_url: str, endpoints: Sequence[str], now: dt.datetime
) -> Round:
    """The unfinished round over exactly these endpoints, or a new one."""
    text = _endpoints_text(endpoints)
    found = (
        (
            await conn.execute(
                sa.select(SYNC_ROUND)
                .where(
                    SYNC_ROUND.c.base_url == base_url,
                    SYNC_ROUND.c.endpoints == text,
                    SYNC_ROUND.c.finished_at.is_(None),
                )
                .order_by(SYNC_ROUND.c.id.desc())
                .limit(1)
            )
        )
        .mappings()
        .first()
    )
    if found:
        return _round(found)
    result = await conn.execute(
        sa.insert(SYNC_ROUND).values(base_url=base_url, endpoints=text, started_at=now)
    )
    return Round(_new_id(result), base_url, tuple(endpoints), now, None)


async def finish_round(conn: AsyncConnection, round_id: int, now: dt.datetime) -> None:
    await conn.execute(
        sa.update(SYNC_ROUND).where(SYNC_ROUND.c.id == round_id).values(finished_at=now)
    )


async def last_finished_round(conn: AsyncConnection) -> Round | None:
    row = (
        (
            await conn.execute(
                sa.select(SYNC_ROUND)
                .where(SYNC_ROUND.c.finished_at.is_not(None))
                .order_by(SYNC_ROUND.c.finished_at.desc(), SYNC_ROUND.c.id.desc())
                .limit(1)
            )
        )
        .mappings()
        .first()
    )
    return _round(row) if row else None


async def read_cursor(conn: AsyncConnection, endpoint: str) -> Cursor | None:
    row = (
        (await conn.execute(sa.select(SYNC_ENDPOINT).where(SYNC_ENDPOINT.c.endpoint == endpoint)))
        .mappings()
        .first()
    )
    return Cursor(**row) if row else None


async def read_cursors(conn: AsyncConnection) -> dict[str, Cursor]:
    rows = (await conn.execute(sa.select(SYNC_ENDPOINT))).mappings()
    return {row["endpoint"]: Cursor(**row) for row in rows}


async def start_pass(
    conn: AsyncConnection,
    endpoint: str,
    *,
    base_url: str,
    round_id: int,
    first_url: str,
    now: dt.datetime,
) -> Cursor:
    """Begin a new pass of `endpoint` at its first page."""
    before = await read_cursor(conn, endpoint)
    values = {
        "base_url": base_url,
        "round_id": round_id,
        "pass_number": (before.pass_number if before else 0) + 1,
        "next_url": first_url,
        "pages_done": 0,
        "records": 0,
        "total": None,
        "started_at": now,
        "updated_at": now,
        "finished_at": None,
    }
    if before is None:
        await conn.execute(
            sa.insert(SYNC_ENDPOINT).values(
                endpoint=endpoint, last_full_pass=0, last_full_pass_at=None, **values
            )
        )
    else:
        await conn.execute(
            sa.update(SYNC_ENDPOINT).where(SYNC_ENDPOINT.c.endpoint == endpoint).values(**values)
        )
    cursor = await read_cursor(conn, endpoint)
    assert cursor is not None
    return cursor


async def adopt(conn: AsyncConnection, endpoint: str, round_id: int) -> None:
    """A round that resumes an unfinished pass takes it over."""
    await conn.execute(
        sa.update(SYNC_ENDPOINT)
        .where(SYNC_ENDPOINT.c.endpoint == endpoint, SYNC_ENDPOINT.c.round_id < round_id)
        .values(round_id=round_id)
    )


async def record_page(
    conn: AsyncConnection,
    cursor: Cursor,
    *,
    next_url: str | None,
    ids: Iterable[int],
    total: int | None,
    now: dt.datetime,
) -> Cursor:
    """Advance `cursor` past the page just written and mark its records seen."""
    seen = [
        {"endpoint": cursor.endpoint, "record_id": i, "pass_number": cursor.pass_number}
        | {"seen_at": now}
        for i in dict.fromkeys(ids)
    ]
    if seen:
        dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
        statement = dialect.insert(SYNC_SEEN)
        statement = statement.on_conflict_do_update(
            index_elements=["endpoint", "record_id"],
            set_={"pass_number": statement.excluded.pass_number, "seen_at": now},
        )
        await conn.execute(statement, seen)
    values: dict[str, Any] = {
        "next_url": next_url,
        "pages_done": cursor.pages_done + 1,
        "records": cursor.records + len(seen),
        "total": total,
        "updated_at": now,
    }
    if next_url is None:
        values |= {
            "finished_at": now,
            "last_full_pass": cursor.pass_number,
            "last_full_pass_at": now,
        }
    await conn.execute(
        sa.update(SYNC_ENDPOINT).where(SYNC_ENDPOINT.c.endpoint == cursor.endpoint).values(**values)
    )
    after = await read_cursor(conn, cursor.endpoint)
    assert after is not None
    return after


@dataclass(frozen=True)
class Run:
    id: int
    base_url: str
    endpoints: tuple[str, ...]
    started_at: dt.datetime
    ended_at: dt.datetime | None
    outcome: str
    detail: str | None
    requests: int
    pages: int
    allowance_left: int | None = None
    allowance_limit: int | None = None


async def begin_run(
    conn: AsyncConnection, base_url: str, endpoints: Sequence[str], now: dt.datetime
) -> int:
    result = await conn.execute(
        sa.insert(SYNC_RUN).values(
            base_url=base_url,
            endpoints=_endpoints_text(endpoints),
            started_at=now,
            outcome="running",
            requests=0,
            pages=0,
        )
    )
    return _new_id(result)


async def end_run(
    conn: AsyncConnection,
    run_id: int,
    *,
    outcome: str,
    detail: str | None,
    requests: int,
    pages: int,
    now: dt.datetime,
    allowance_left: int | None = None,
    allowance_limit: int | None = None,
) -> None:
    await conn.execute(
        sa.update(SYNC_RUN)
        .where(SYNC_RUN.c.id == run_id)
        .values(
            ended_at=now,
            outcome=outcome,
            detail=detail,
            requests=requests,
            pages=pages,
            allowance_left=allowance_left,
            allowance_limit=allowance_limit,
        )
    )


async def last_ended_run(conn: AsyncConnection) -> Run | None:
    row = (
        (
            await conn.execute(
                sa.select(SYNC_RUN)
                .where(SYNC_RUN.c.ended_at.is_not(None))
                .order_by(SYNC_RUN.c.ended_at.desc(), SYNC_RUN.c.id.desc())
                .limit(1)
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    return Run(**{**row, "endpoints": tuple(row["endpoints"].split())})
