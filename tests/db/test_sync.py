"""The sync's paging and bookkeeping: whole pages stored, resumable, idempotent, stale reported.

Every test syncs from a real HTTP server on a loopback port (`tests/support/fake_ll2.py`) that
serves the bundled samples plus synthetic spacecraft and flights, into a real database of each
backend. Time is simulated: waits advance a `SimulatedClock` the server reads too.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import json
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.graph import Graph
from db.ingest import ingest
from db.spec import ENDPOINTS
from db.state import read_state
from db.sync import Outcome, SimulatedClock, Staleness, StaleRecord, stale_records
from db.tables import ENTITY_TABLES
from tests.support.data import sample_spacecraft, write_json
from tests.support.fake_ll2 import FakeLL2, Fault, synthetic_graph
from tests.support.sync import cursors, data_dump, run, served_pages, stored_pages

START = dt.datetime(2025, 1, 1)


@pytest.fixture(scope="module")
def graph() -> Graph:
    """201 spacecraft (3 pages), 101 flights (2 pages), and a page of each other endpoint."""
    return synthetic_graph(spacecraft=170, flights=100)


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(START)


@pytest.fixture
def fake(graph: Graph, clock: SimulatedClock) -> Iterator[FakeLL2]:
    with FakeLL2(copy.deepcopy(graph), limit=None, clock=clock) as ll2:
        yield ll2


ALL_PAGES = [
    ("spacecraft", 0),
    ("spacecraft", 100),
    ("spacecraft", 200),
    ("spacecraft_configurations", 0),
    ("spacecraft_configuration_families", 0),
    ("agencies", 0),
    ("spacecraft_flights", 0),
    ("spacecraft_flights", 100),
]


async def test_a_full_sync_stores_every_page_ll2_serves(
    engine: AsyncEngine, fake: FakeLL2, clock: SimulatedClock
) -> None:
    result = await run(engine, fake, clock)

    assert (result.outcome, result.detail, result.requests, result.pages) == (
        Outcome.DONE,
        None,
        8,
        8,
    )
    assert [(r.endpoint, r.offset) for r in fake.page_requests()] == ALL_PAGES
    first = fake.page_requests()[0]
    assert first.query == {"mode": "detailed", "limit": "100", "ordering": "id"}
    assert fake.page_requests()[1].query == first.query | {"offset": "100"}
    assert await stored_pages(engine, fake) == served_pages(fake)
    assert await cursors(engine) == {
        "spacecraft": (1, None, 3, 201, 201, 1),
        "spacecraft_configurations": (1, None, 1, 14, 14, 1),
        "spacecraft_configuration_families": (1, None, 1, 4, 4, 1),
        "agencies": (1, None, 1, 8, 8, 1),
        "spacecraft_flights": (1, None, 2, 101, 101, 1),
    }
    async with engine.connect() as conn:
        state = await read_state(conn)
    assert state is not None and state.source == fake.base_url


async def test_two_syncs_in_a_row_change_nothing(
    engine: AsyncEngine, fake: FakeLL2, clock: SimulatedClock
) -> None:
    await run(engine, fake, clock)
    before = await data_dump(engine)

    again = await run(engine, fake, clock)

    assert (again.outcome, again.pages, again.changed_pages, again.version) == (
        Outcome.DONE,
        8,
        0,
        None,
    )
    assert await data_dump(engine) == before
    assert fake.served() == Counter(dict.fromkeys(ALL_PAGES, 2))
    assert {e: c[0] for e, c in (await cursors(engine)).items()} == dict.fromkeys(ENDPOINTS, 2)


@pytest.mark.parametrize("first_run", [1, 4, 7])
async def test_a_stopped_run_resumes_without_fetching_a_finished_page_again(
    engine: AsyncEngine, fake: FakeLL2, clock: SimulatedClock, first_run: int
) -> None:
    stopped = await run(engine, fake, clock, max_requests=first_run)
    next_page = ALL_PAGES[first_run]
    next_url = f"{fake.base_url}/{next_page[0]}/?mode=detailed&limit=100&ordering=id" + (
        f"&offset={next_page[1]}" if next_page[1] else ""
    )
    assert (stopped.outcome, stopped.outcome.exit_status, stopped.detail) == (
        Outcome.STOPPED,
        75,
        f"--max-requests {first_run} reached; the next run resumes at {next_url}",
    )

    resumed = await run(engine, fake, clock)

    assert (resumed.outcome, resumed.requests) == (Outcome.DONE, 8 - first_run)
    assert fake.served() == Counter(dict.fromkeys(ALL_PAGES, 1))
    assert [(r.endpoint, r.offset) for r in fake.page_requests()] == ALL_PAGES
    assert await stored_pages(engine, fake) == served_pages(fake)


def _corrupt_second_spacecraft_page(fake: FakeLL2) -> tuple[str, str]:
    """A page whose fourth spacecraft has a text flights_count; its URL and the reason."""
    query = {"mode": "detailed", "limit": "100", "ordering": "id", "offset": "100"}
    page = copy.deepcopy(fake.page("spacecraft", query))
    page["results"][3]["flights_count"] = "many"
    fake.faults.append(Fault("spacecraft", 100, body=json.dumps(page), times=None))
    url = f"{fake.base_url}/spacecraft/?mode=detailed&limit=100&ordering=id&offset=100"
    return url, "results[3].flights_count: expected an integer, got a string 'many'"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(None, None, id="invalid-record"),
        pytest.param(
            '{"count": 201, "next": null, "results": [{"id": 1',
            "not valid JSON: Expecting ',' delimiter at line 1 column 50",
            id="truncated-json",
        ),
        pytest.param(
            '{"count": 201, "next": "https://elsewhere.example/2.3.0/spacecraft/?offset=200", '
            '"results": []}',
            "next: 'https://elsewhere.example/2.3.0/spacecraft/?offset=200' is not a page of "
            "{base}/spacecraft/; refusing to follow",
            id="foreign-next-link",
        ),
    ],
)
async def test_a_malformed_page_stops_the_run_and_a_rerun_resumes_there_once_fixed(
    engine: AsyncEngine,
    fake: FakeLL2,
    clock: SimulatedClock,
    body: str | None,
    reason: str | None,
) -> None:
    url, invalid_record = _corrupt_second_spacecraft_page(fake)
    if body is not None:
        fake.faults[-1].body = body
    expected_reason = (reason or invalid_record).format(base=fake.base_url)

    failed = await run(engine, fake, clock)

    assert (failed.outcome, failed.outcome.exit_status) == (Outcome.FAILED, 1)
    assert failed.detail == (
        f"{url}: {expected_reason}; earlier pages are kept; the next run resumes at {url}"
    )
    cursor = (await cursors(engine))["spacecraft"]
    assert cursor == (1, url, 1, 100, 201, 0)
    assert await _spacecraft_ids(engine) == fake.listed["spacecraft"][:100]

    fake.faults.clear()
    resumed = await run(engine, fake, clock)

    assert resumed.outcome is Outcome.DONE
    assert fake.served() == Counter(dict.fromkeys(ALL_PAGES, 1)) + Counter({("spacecraft", 100): 1})
    assert await stored_pages(engine, fake) == served_pages(fake)


async def _spacecraft_ids(engine: AsyncEngine) -> list[int]:
    table = ENTITY_TABLES["spacecraft"]
    async with engine.connect() as conn:
        return list((await conn.scalars(sa.select(table.c.id).order_by(table.c.id))).all())


async def test_only_syncs_the_endpoints_named_and_leaves_a_full_round_where_it_was(
    engine: AsyncEngine, fake: FakeLL2, clock: SimulatedClock
) -> None:
    await run(engine, fake, clock, max_requests=2)  # a full round, stopped in spacecraft

    only = await run(engine, fake, clock, endpoints=("agencies", "spacecraft_flights"))
    assert (only.outcome, only.requests) == (Outcome.DONE, 3)
    full = await run(engine, fake, clock)
    assert (full.outcome, full.requests) == (Outcome.DONE, 3)

    # The full round went on in spacecraft, and did not fetch what the --only round had.
    assert [(r.endpoint, r.offset) for r in fake.page_requests()] == [
        ("spacecraft", 0),
        ("spacecraft", 100),
        ("agencies", 0),
        ("spacecraft_flights", 0),
        ("spacecraft_flights", 100),
        ("spacecraft", 200),
        ("spacecraft_configurations", 0),
        ("spacecraft_configuration_families", 0),
    ]
    assert await stored_pages(engine, fake) == served_pages(fake)


async def test_report_stale_lists_what_the_last_full_pass_did_not_see_and_deletes_nothing(
    engine: AsyncEngine, fake: FakeLL2, clock: SimulatedClock
) -> None:
    assert await stale_records(engine, ["spacecraft"]) == [Staleness("spacecraft", None, [])]
    await run(engine, fake, clock)
    first_pass_end = clock.now()
    await clock.sleep(86400)
    gone = fake.listed["spacecraft"][150]
    name = fake.graph.rows["spacecraft"][gone]["name"]
    fake.unlist("spacecraft", gone)
    fake.unlist("agencies", 63)
    agency = fake.graph.rows["agency"][63]["name"]

    # A second pass, unfinished: the report still compares with the first one.
    await run(engine, fake, clock, max_requests=1)
    assert await stale_records(engine, ["spacecraft"]) == [
        Staleness("spacecraft", first_pass_end, [])
    ]

    await run(engine, fake, clock)
    second_pass_end = clock.now()

    report = await stale_records(engine)
    assert report == [
        Staleness("spacecraft", second_pass_end, [StaleRecord(gone, name, first_pass_end)]),
        Staleness("spacecraft_configurations", second_pass_end, []),
        Staleness("spacecraft_configuration_families", second_pass_end, []),
        Staleness("agencies", second_pass_end, [StaleRecord(63, agency, first_pass_end)]),
        Staleness("spacecraft_flights", second_pass_end, []),
    ]
    assert gone in await _spacecraft_ids(engine)


async def test_records_the_sync_never_saw_are_stale_too(
    engine: AsyncEngine, fake: FakeLL2, clock: SimulatedClock, tmp_path: Path
) -> None:
    extra = copy.deepcopy(sample_spacecraft()[0]) | {"id": 999999, "name": "Imported Only"}
    page = {"count": 1, "next": None, "previous": None, "results": [extra]}
    await ingest(engine, [write_json(tmp_path / "extra.json", page)])
    await run(engine, fake, clock, endpoints=("spacecraft",))

    (staleness,) = await stale_records(engine, ["spacecraft"])
    assert staleness == Staleness(
        "spacecraft", clock.now(), [StaleRecord(999999, "Imported Only", None)]
    )
    assert staleness.lines()[1] == "  999999 Imported Only (never seen by the sync)"


async def test_a_second_sync_running_at_once_is_detected_and_nothing_is_written_twice(
    engine: AsyncEngine, fake: FakeLL2, clock: SimulatedClock
) -> None:
    fetching, release = threading.Event(), threading.Event()

    def hold(endpoint: str, offset: int) -> bool:
        if (endpoint, offset) == ("spacecraft", 100) and not fetching.is_set():
            fetching.set()
            release.wait(30)
        return True

    fake.page_hook = hold
    first = asyncio.create_task(run(engine, fake, clock))
    try:
        assert await asyncio.to_thread(fetching.wait, 30)
        second = await run(engine, fake, clock)  # goes on from the same page, to the end
    finally:
        release.set()
    late = await first
    url = f"{fake.base_url}/spacecraft/?mode=detailed&limit=100&ordering=id&offset=100"

    assert second.outcome is Outcome.DONE
    assert (late.outcome, late.detail) == (
        Outcome.FAILED,
        f"another sync moved the progress of spacecraft while this one fetched {url}; run one "
        f"sync at a time; earlier pages are kept; the next run resumes at {url}",
    )
    assert (await cursors(engine))["spacecraft"] == (1, None, 3, 201, 201, 1)
    assert await stored_pages(engine, fake) == served_pages(fake)
