"""One run of the sync: LL2's list endpoints, page by page, into the database.

    result = await sync(engine, SyncOptions(base_url=..., api_key=...))

Each page is checked and merged by the importer's rules and committed together with the
progress it makes (`db.sync.store`), so a run that dies anywhere loses at most the page in
flight, and the next run starts at the first page not committed. A run belongs to a round (a
pass over its endpoints): endpoints the round has finished are not fetched again, an unfinished
pass goes on from its next page, the others start at their first page.
"""

from __future__ import annotations

import asyncio
import enum
import random
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from db import migrate
from db.ingest import lock_writers, write
from db.ingest.errors import IngestError
from db.ingest.statistics import analyze_written
from db.sync import store
from db.sync.client import LL2Client
from db.sync.clock import Clock, SystemClock
from db.sync.options import Stopped, SyncError, SyncOptions
from db.sync.pages import Page, first_url, parse_page
from db.sync.report import EndpointStatus, Reporter, SilentReporter
from db.sync.throttle import Allowance
from db.workers import wait_for_workers

INTERRUPTED = "interrupted (Ctrl-C or the server stopping)"


class Outcome(enum.Enum):
    DONE = "done"
    STOPPED = "stopped"
    FAILED = "failed"

    @property
    def exit_status(self) -> int:
        return {Outcome.DONE: 0, Outcome.STOPPED: 75, Outcome.FAILED: 1}[self]


@dataclass
class SyncResult:
    outcome: Outcome
    detail: str | None = None
    requests: int = 0
    pages: int = 0
    endpoints: dict[str, EndpointStatus] = field(default_factory=dict)
    changed_pages: int = 0
    version: int | None = None
    new_keys: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    def summary(self) -> str:
        head = {
            Outcome.DONE: "sync done",
            Outcome.STOPPED: "sync stopped early",
            Outcome.FAILED: "sync failed",
        }[self.outcome]
        changed = f"{self.changed_pages} changed the data" if self.changed_pages else "no changes"
        tail = f": {self.detail}" if self.detail else ""
        return f"{head}: {self.requests} requests, {self.pages} pages ({changed}){tail}"

    def warnings(self) -> list[str]:
        return [
            f"{url}: {path}: field {key!r} of {entity} is not in our schema yet; kept as extra"
            for (entity, key), (url, path) in sorted(self.new_keys.items())
        ]


class _Run:
    def __init__(
        self,
        engine: AsyncEngine,
        options: SyncOptions,
        client: LL2Client,
        clock: Clock,
        reporter: Reporter,
        result: SyncResult,
    ) -> None:
        self.engine = engine
        self.options = options
        self.client = client
        self.clock = clock
        self.reporter = reporter
        self.result = result
        self.resume_url: str | None = None
        self.written: Counter[str] = Counter()

    def resumes(self) -> str:
        return f"; the next run resumes at {self.resume_url}" if self.resume_url else ""

    async def round(self) -> None:
        async with self.engine.begin() as conn:
            await lock_writers(conn)
            current = await store.open_round(
                conn, self.options.base_url, self.options.endpoints, self.clock.now()
            )
        for endpoint in self.options.endpoints:
            await self.endpoint(current.id, endpoint)
        async with self.engine.begin() as conn:
            await store.finish_round(conn, current.id, self.clock.now())

    async def _cursor(self, round_id: int, endpoint: str) -> store.Cursor | None:
        """The pass to continue, None when this round already finished `endpoint`."""
        base = self.options.base_url
        async with self.engine.begin() as conn:
            await lock_writers(conn)
            cursor = await store.read_cursor(conn, endpoint)
            if cursor is not None and cursor.base_url == base:
                if cursor.finished and cursor.round_id >= round_id:
                    return None
                if not cursor.finished:
                    await store.adopt(conn, endpoint, round_id)
                    return cursor
            return await store.start_pass(
                conn,
                endpoint,
                base_url=base,
                round_id=round_id,
                first_url=first_url(base, endpoint),
                now=self.clock.now(),
            )

    async def endpoint(self, round_id: int, endpoint: str) -> None:
        cursor = await self._cursor(round_id, endpoint)
        if cursor is None:
            return
        while cursor.next_url is not None:
            url = cursor.next_url
            self.resume_url = url
            text = await self.client.fetch(url)
            page = await asyncio.to_thread(parse_page, url, endpoint, self.options.base_url, text)
            cursor = await self.commit(cursor, page)
            self.result.endpoints[endpoint] = _status(cursor)
            self.reporter.page(self.result.endpoints[endpoint])
        self.resume_url = None
        self.reporter.endpoint_done(_status(cursor))

    async def commit(self, cursor: store.Cursor, page: Page) -> store.Cursor:
        """The page's data and the progress it makes, in one transaction."""
        async with self.engine.begin() as conn:
            await lock_writers(conn)
            now = await store.read_cursor(conn, cursor.endpoint)
            if now is None or (now.pass_number, now.next_url) != (
                cursor.pass_number,
                cursor.next_url,
            ):
                raise SyncError(
                    f"another sync moved the progress of {cursor.endpoint} while this one "
                    f"fetched {page.url}; run one sync at a time"
                )
            at = self.clock.now()
            changes, version = await write(conn, page.records, source=self.options.base_url, at=at)
            self.written.update(changes.written())
            after = await store.record_page(
                conn, cursor, next_url=page.next_url, ids=page.ids, total=page.count, now=at
            )
        await wait_for_workers(self.engine, version)
        self._count(page, version)
        return after

    def _count(self, page: Page, version: int | None) -> None:
        self.result.pages += 1
        if version is not None:
            self.result.changed_pages += 1
            self.result.version = version
        for key, where in page.records.new_keys.items():
            self.result.new_keys.setdefault(key, where)


def _status(cursor: store.Cursor) -> EndpointStatus:
    return EndpointStatus(cursor.endpoint, cursor.pages_done, cursor.records, cursor.total)


async def sync(
    engine: AsyncEngine,
    options: SyncOptions,
    *,
    clock: Clock | None = None,
    reporter: Reporter | None = None,
    rng: random.Random | None = None,
) -> SyncResult:
    """Run the sync; its outcome (and why it stopped or failed) is also kept in sync_run."""
    clock = clock or SystemClock()
    reporter = reporter or SilentReporter()
    await migrate.prepare(engine)
    async with engine.begin() as conn:
        run_id = await store.begin_run(conn, options.base_url, options.endpoints, clock.now())
    result = SyncResult(Outcome.FAILED)
    outcome = "interrupted"
    detail: str | None = INTERRUPTED
    allowance: Allowance | None = None
    try:
        async with LL2Client(options, clock=clock, reporter=reporter, rng=rng) as client:
            run = _Run(engine, options, client, clock, reporter, result)
            try:
                await run.round()
                result.outcome, outcome, detail = Outcome.DONE, "done", None
            except Stopped as e:
                detail = f"{e}{run.resumes()}"
                result.outcome, outcome = Outcome.STOPPED, "stopped"
            except (SyncError, IngestError) as e:
                detail = f"{e}; earlier pages are kept{run.resumes()}"
                result.outcome, outcome = Outcome.FAILED, "failed"
            finally:
                result.requests = client.requests
                allowance = client.allowance
            # Pages committed one by one; the tables they filled are analysed once, at the end.
            await analyze_written(engine, run.written)
        result.detail = detail
        return result
    except asyncio.CancelledError:  # Ctrl-C, or the server stopping, even after the last page
        outcome, detail = "interrupted", INTERRUPTED
        raise
    except Exception as e:
        outcome, detail = "failed", f"{type(e).__name__}: {e}"
        raise
    finally:
        try:
            await _record_end(engine, run_id, outcome, detail, result, clock, allowance)
        except Exception:
            # The database is down too: the error being raised, if any, says why.
            if outcome == "done":
                raise


async def _record_end(
    engine: AsyncEngine,
    run_id: int,
    outcome: str,
    detail: str | None,
    result: SyncResult,
    clock: Clock,
    allowance: Allowance | None = None,
) -> None:
    """Keep how the run ended (and LL2's allowance when last heard); interrupted while doing
    so, let the write finish, then say that."""

    async def record(outcome: str, detail: str | None) -> None:
        async with engine.begin() as conn:
            await store.end_run(
                conn,
                run_id,
                outcome=outcome,
                detail=detail,
                requests=result.requests,
                pages=result.pages,
                now=clock.now(),
                allowance_left=None if allowance is None else allowance.left,
                allowance_limit=None if allowance is None else allowance.limit,
            )

    writing = asyncio.ensure_future(record(outcome, detail))
    try:
        await asyncio.shield(writing)
    except asyncio.CancelledError:
        await writing
        await record("interrupted", INTERRUPTED)
        raise
