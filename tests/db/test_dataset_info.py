"""Dataset facts (`db.dataset_info`) and the sync repeated in a server's loop (`run_periodically`).

The sync runs against a real HTTP server that plays LL2, on simulated time.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.dataset_info import DatasetInfo, LastSync, SyncFailure, dataset_info
from db.graph import Graph
from db.ingest import ingest
from db.state import read_state
from db.sync import SimulatedClock
from db.sync.schedule import run_periodically
from db.sync.tables import SYNC_RUN
from db.tables import ENTITY_TABLES
from tests.support.data import sample_flight, write_json
from tests.support.fake_ll2 import FakeLL2, Fault, bundled_graph
from tests.support.sync import options, run

START = dt.datetime(2025, 1, 1)
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
UNLIMITED = 1_000_000  # what the fake's development host says its allowance is


async def _requests_of_last_run(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        query = sa.select(SYNC_RUN.c.requests).order_by(SYNC_RUN.c.id.desc()).limit(1)
        return int((await conn.execute(query)).scalar_one())


@pytest.fixture(scope="module")
def graph() -> Graph:
    return bundled_graph()


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(START)


@pytest.fixture
def fake(graph: Graph, clock: SimulatedClock) -> Iterator[FakeLL2]:
    with FakeLL2(copy.deepcopy(graph), limit=None, clock=clock) as ll2:
        yield ll2


# Rows per entity in the bundled samples (the other entities have none).
BUNDLED_COUNTS = {
    "image_license": 2,
    "image": 25,
    "country": 2,
    "celestial_body_type": 1,
    "celestial_body": 1,
    "location": 1,
    "pad": 1,
    "agency_type": 2,
    "agency": 8,
    "spacecraft_status": 4,
    "spacecraft_configuration_type": 3,
    "spacecraft_family": 4,
    "spacecraft_configuration": 14,
    "spacecraft": 31,
    "launch_status": 1,
    "launcher_family": 1,
    "launcher_configuration": 1,
    "rocket": 1,
    "orbit": 1,
    "program_type": 1,
    "program": 1,
    "mission": 1,
    "launch": 1,
    "astronaut_status": 1,
    "astronaut_type": 1,
    "astronaut_role": 1,
    "astronaut": 1,
    "astronaut_flight": 2,
    "landing_type": 1,
    "landing_location": 1,
    "landing": 1,
    "spacecraft_flight": 1,
}


async def test_the_bundled_dataset(bundled_engine: AsyncEngine) -> None:
    async with bundled_engine.connect() as conn:
        state = await read_state(conn)
    assert state is not None and state.updated_at is not None
    now = state.updated_at + HOUR

    info = await dataset_info(bundled_engine, now=now)

    assert info == DatasetInfo(
        source="bundled",
        completed_at=state.updated_at,
        version=1,
        counts=info.counts,
        age=HOUR,
        last_sync=None,
        last_sync_failure=None,
    )
    assert info.counts == dict.fromkeys(ENTITY_TABLES, 0) | BUNDLED_COUNTS


async def test_an_empty_database(engine: AsyncEngine) -> None:
    info = await dataset_info(engine)
    assert (info.source, info.completed_at, info.version, info.age) == (None, None, 0, None)
    assert set(info.counts.values()) == {0}


async def test_a_sync_a_quiet_sync_a_failure_and_an_import(
    bundled_engine: AsyncEngine, graph: Graph, tmp_path: Path
) -> None:
    engine = bundled_engine
    async with engine.connect() as conn:
        state = await read_state(conn)
    assert state is not None and state.updated_at is not None
    t0 = state.updated_at + DAY  # the sync runs a day after the bundled data was loaded
    clock = SimulatedClock(t0)
    with FakeLL2(copy.deepcopy(graph), limit=None, clock=clock) as fake:
        spacecraft = fake.listed["spacecraft"][0]
        fake.graph.rows["spacecraft"][spacecraft]["description"] = "Changed since the samples."
        fake.changed()
        changed = await run(engine, fake, clock)
        assert changed.changed_pages == 1
        info = await dataset_info(engine, now=t0 + HOUR)
        assert (info.source, info.completed_at, info.version, info.age) == (
            fake.base_url,
            t0,
            2,
            HOUR,
        )
        # The development host's throttle reports a million requests a window.
        left = UNLIMITED - changed.requests
        assert info.last_sync == LastSync(t0, t0, "done", None, left, UNLIMITED)

        # A day later a sync that changes nothing still confirms the data: its age restarts.
        await clock.sleep(DAY.total_seconds())
        quiet = await run(engine, fake, clock)
        assert quiet.changed_pages == 0
        info = await dataset_info(engine, now=t0 + DAY + HOUR)
        assert (info.source, info.completed_at, info.version, info.age) == (
            fake.base_url,
            t0 + DAY,
            2,
            HOUR,
        )

        # A failed sync is reported with its time; the data's facts stay as they were.
        await clock.sleep(HOUR.total_seconds())
        fake.faults.append(Fault("agencies", 0, status=500, times=None))
        failed = await run(engine, fake, clock, retries=0)
        url = f"{fake.base_url}/agencies/?mode=detailed&limit=100&ordering=id"
        info = await dataset_info(engine, now=t0 + DAY + 2 * HOUR)
        assert (info.completed_at, info.age) == (t0 + DAY, 2 * HOUR)
        assert info.last_sync_failure == SyncFailure(
            t0 + DAY + HOUR,
            f"GET {url}: HTTP 500 Internal Server Error (gave up after 1 attempts); earlier "
            f"pages are kept; the next run resumes at {url}",
        )
        assert failed.detail == info.last_sync_failure.error

        # The next sync that ends well clears it.
        fake.faults.clear()
        await run(engine, fake, clock)
        assert (await dataset_info(engine)).last_sync_failure is None


async def test_an_import_after_a_sync_is_the_newest_source(
    engine: AsyncEngine, fake: FakeLL2, clock: SimulatedClock, tmp_path: Path
) -> None:
    await run(engine, fake, clock)  # in 2025, by the simulated clock
    before = await dataset_info(engine)

    flight = sample_flight() | {"destination": "Elsewhere"}
    await ingest(engine, [write_json(tmp_path / "flight.json", flight)])

    info = await dataset_info(engine)
    assert (before.source, info.source, info.version) == (
        fake.base_url,
        "import",
        before.version + 1,
    )
    assert info.completed_at is not None and info.completed_at > START


async def _outcomes(engine: AsyncEngine) -> list[tuple[str, dt.datetime]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            sa.select(SYNC_RUN.c.outcome, SYNC_RUN.c.started_at).order_by(SYNC_RUN.c.id)
        )
        return [(o, s) for o, s in rows]


async def test_run_periodically_syncs_every_interval(
    engine: AsyncEngine, fake: FakeLL2, clock: SimulatedClock
) -> None:
    await run_periodically(engine, HOUR, options(fake), clock=clock, runs=3)

    assert await _outcomes(engine) == [
        ("done", START),
        ("done", START + HOUR),
        ("done", START + 2 * HOUR),
    ]


async def test_run_periodically_waits_for_the_interval_since_the_last_finished_sync(
    engine: AsyncEngine, fake: FakeLL2, clock: SimulatedClock
) -> None:
    await run(engine, fake, clock)
    await clock.sleep(600)

    await run_periodically(engine, HOUR, options(fake), clock=clock, runs=1)

    assert await _outcomes(engine) == [("done", START), ("done", START + HOUR)]


async def test_run_periodically_records_failures_and_goes_on(
    engine: AsyncEngine, fake: FakeLL2, clock: SimulatedClock
) -> None:
    fake.faults.append(Fault(status=503, times=None))

    await run_periodically(engine, HOUR, options(fake, retries=1), clock=clock, runs=2)

    assert await _outcomes(engine) == [("failed", START), ("failed", START + HOUR)]
    info = await dataset_info(engine)
    assert info.last_sync_failure is not None
    assert info.last_sync_failure.at == START + HOUR + dt.timedelta(seconds=clock.sleeps[-1])
    assert "HTTP 503 Service Unavailable (gave up after 2 attempts)" in (
        info.last_sync_failure.error
    )


async def test_run_periodically_leaves_the_event_loop_free_while_it_waits_on_ll2(
    engine: AsyncEngine, fake: FakeLL2, clock: SimulatedClock
) -> None:
    fetching, release = threading.Event(), threading.Event()

    def hold(endpoint: str, offset: int) -> bool:
        fetching.set()
        release.wait(30)
        return True

    fake.page_hook = hold
    task = asyncio.create_task(run_periodically(engine, HOUR, options(fake), clock=clock, runs=1))
    try:
        assert await asyncio.to_thread(fetching.wait, 30)
        # While the sync waits for LL2's answer, the loop serves other work (a request would).
        info = await dataset_info(engine)
        assert not task.done()
        assert info.last_sync is None
    finally:
        release.set()
    fake.page_hook = None
    await asyncio.wait_for(task, 60)
    made = await _requests_of_last_run(engine)
    assert (await dataset_info(engine)).last_sync == LastSync(
        START, START, "done", None, UNLIMITED - made, UNLIMITED
    )


async def test_a_cancelled_run_is_recorded_as_interrupted(
    engine: AsyncEngine, fake: FakeLL2, clock: SimulatedClock
) -> None:
    fetching, release = threading.Event(), threading.Event()

    def hold(endpoint: str, offset: int) -> bool:
        fetching.set()
        release.wait(30)
        return False

    fake.page_hook = hold
    task = asyncio.create_task(run_periodically(engine, HOUR, options(fake), clock=clock))
    try:
        assert await asyncio.to_thread(fetching.wait, 30)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    finally:
        release.set()
    info = await dataset_info(engine)
    made = await _requests_of_last_run(engine)
    assert info.last_sync == LastSync(
        START,
        START,
        "interrupted",
        "interrupted (Ctrl-C or the server stopping)",
        UNLIMITED - made,
        UNLIMITED,
    )
    assert info.last_sync_failure is None
