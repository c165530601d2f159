"""The sync's manners with LL2: its allowance, 429s, errors, timeouts, the API key.

A real HTTP server on a loopback port plays LL2 (sliding-window allowance, `/api-throttle/`,
429 with Retry-After, scripted failures); time is a `SimulatedClock` both sides read, so an
hour's wait takes no time and every wait can be asserted exactly.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from db.graph import Graph
from db.ingest.progress import Progress
from db.sync import Outcome, SimulatedClock, TerminalReporter, sync
from db.version import project_version
from tests.support.fake_ll2 import ANONYMOUS, FakeLL2, Fault, synthetic_graph
from tests.support.sync import cursors, options, run, served_pages, stored_pages

HOUR = 3600.0


@pytest.fixture(scope="module")
def graph() -> Graph:
    """101 spacecraft (2 pages), 1 flight; 6 pages in all."""
    return synthetic_graph(spacecraft=70)


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(dt.datetime(2025, 1, 1))


def _fake(graph: Graph, clock: SimulatedClock, **kwargs: object) -> FakeLL2:
    return FakeLL2(copy.deepcopy(graph), clock=clock, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def fake(graph: Graph, clock: SimulatedClock) -> Iterator[FakeLL2]:
    with _fake(graph, clock, limit=None) as ll2:
        yield ll2


ALL_PAGES = [
    ("spacecraft", 0),
    ("spacecraft", 100),
    ("spacecraft_configurations", 0),
    ("spacecraft_configuration_families", 0),
    ("agencies", 0),
    ("spacecraft_flights", 0),
]
ONCE = Counter(dict.fromkeys(ALL_PAGES, 1))


def _throttle_reads(fake: FakeLL2) -> int:
    return sum(1 for r in fake.requests if r.endpoint == "api-throttle")


@pytest.mark.parametrize(
    ("used_by_others", "waits", "throttle_reads"),
    [
        # 3 pages, the allowance is gone: read the throttle, wait the hour, read it again, ...
        pytest.param(0, [HOUR], 3, id="fresh-allowance"),
        # Someone behind the same address used 2 of the 3 in the last half hour.
        pytest.param(2, [HOUR / 2, HOUR / 2, HOUR / 2], 7, id="shared-allowance"),
    ],
)
async def test_the_sync_never_exceeds_the_allowance_and_waits_it_out(
    engine: AsyncEngine,
    graph: Graph,
    clock: SimulatedClock,
    used_by_others: int,
    waits: list[float],
    throttle_reads: int,
) -> None:
    with _fake(graph, clock, limit=3) as ll2:
        ll2.history[ANONYMOUS] = [-HOUR / 2] * used_by_others
        result = await run(engine, ll2, clock)

        assert (result.outcome, result.requests) == (Outcome.DONE, 6)
        assert clock.sleeps == waits
        assert ll2.served() == ONCE
        assert [r.status for r in ll2.page_requests(status=None)] == [200] * 6
        assert ll2.max_use_in_window() == 3
        assert _throttle_reads(ll2) == throttle_reads
        assert await stored_pages(engine, ll2) == served_pages(ll2)


async def test_a_wait_longer_than_max_wait_stops_cleanly_and_the_next_run_goes_on(
    engine: AsyncEngine, graph: Graph, clock: SimulatedClock
) -> None:
    with _fake(graph, clock, limit=3) as ll2:
        stopped = await run(engine, ll2, clock, max_wait=1800.0)

        url = (
            f"{ll2.base_url}/spacecraft_configuration_families/?mode=detailed&limit=100&ordering=id"
        )
        assert (stopped.outcome, stopped.outcome.exit_status, stopped.requests) == (
            Outcome.STOPPED,
            75,
            3,
        )
        assert stopped.detail == (
            "LL2's allowance of 3 requests per 1h is used up; the next request is allowed in "
            f"1h, longer than the 30m --max-wait; the next run resumes at {url}"
        )
        assert clock.sleeps == []

        await clock.sleep(HOUR)  # cron runs it again an hour later
        resumed = await run(engine, ll2, clock, max_wait=1800.0)

        assert (resumed.outcome, resumed.requests) == (Outcome.DONE, 3)
        assert ll2.served() == ONCE


async def test_a_429_is_waited_out_as_its_retry_after_says(
    engine: AsyncEngine, fake: FakeLL2, clock: SimulatedClock
) -> None:
    fake.faults.append(Fault("spacecraft", 100, status=429, headers={"Retry-After": "120"}))

    result = await run(engine, fake, clock)

    assert (result.outcome, result.requests) == (Outcome.DONE, 7)
    assert clock.sleeps == [120.0]
    assert [(r.endpoint, r.offset, r.status) for r in fake.page_requests(None)][:3] == [
        ("spacecraft", 0, 200),
        ("spacecraft", 100, 429),
        ("spacecraft", 100, 200),
    ]
    assert fake.served() == ONCE
    # A 429 leaves the sync in doubt: it reads the allowance again before going on.
    assert [r.endpoint for r in fake.requests[:5]] == [
        "api-throttle",
        "spacecraft",
        "spacecraft",
        "api-throttle",
        "spacecraft",
    ]


async def test_a_429_asking_for_longer_than_max_wait_stops_and_the_page_is_fetched_next_run(
    engine: AsyncEngine, fake: FakeLL2, clock: SimulatedClock
) -> None:
    fake.faults.append(Fault("spacecraft", 100, status=429, headers={"Retry-After": "7200"}))
    url = f"{fake.base_url}/spacecraft/?mode=detailed&limit=100&ordering=id&offset=100"

    stopped = await run(engine, fake, clock)

    assert (stopped.outcome, stopped.outcome.exit_status) == (Outcome.STOPPED, 75)
    assert stopped.detail == (
        "LL2 answered 429 Too Many Requests; the next request is allowed in 2h, longer than "
        f"the 1h --max-wait; the next run resumes at {url}"
    )
    assert (await cursors(engine))["spacecraft"][1:3] == (url, 1)

    resumed = await run(engine, fake, clock)
    assert resumed.outcome is Outcome.DONE
    assert fake.served() == ONCE


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(Fault(status=500, times=2), id="500"),
        pytest.param(Fault(status=503, body="<html>upstream down</html>", times=2), id="503"),
        pytest.param(Fault(drop=True, delay=1.0, times=2), id="timeout"),
        pytest.param(Fault(drop=True, times=2), id="dropped-connection"),
    ],
)
async def test_transient_failures_are_retried_with_backoff_and_jitter(
    engine: AsyncEngine, fake: FakeLL2, clock: SimulatedClock, fault: Fault
) -> None:
    fake.faults.append(dataclasses.replace(fault, endpoint="spacecraft", offset=100))
    expected = served_pages(fake)  # rendered before the short timeout applies

    result = await run(engine, fake, clock, timeout=0.5, backoff=2.0)

    assert (result.outcome, result.requests) == (Outcome.DONE, 8)
    # The first retry after 1-2 s, the second after 2-4 s: half the step plus jitter.
    first, second = clock.sleeps
    assert 1.0 <= first <= 2.0 and 2.0 <= second <= 4.0 and first != 1.0 and second != 2.0
    assert fake.served() == ONCE
    assert await stored_pages(engine, fake) == expected


async def test_a_lost_network_fails_the_run_and_the_next_run_resumes_at_that_page(
    engine: AsyncEngine, fake: FakeLL2, clock: SimulatedClock
) -> None:
    fake.faults.append(Fault("spacecraft_flights", 0, drop=True, times=None))
    url = f"{fake.base_url}/spacecraft_flights/?mode=detailed&limit=100&ordering=id"

    failed = await run(engine, fake, clock, retries=2)

    assert (failed.outcome, failed.outcome.exit_status) == (Outcome.FAILED, 1)
    assert failed.detail == (
        f"GET {url}: network error: RemoteProtocolError: Server disconnected without sending a "
        f"response. (gave up after 3 attempts); earlier pages are kept; the next run resumes "
        f"at {url}"
    )
    assert len(clock.sleeps) == 2

    fake.faults.clear()
    resumed = await run(engine, fake, clock)
    assert (resumed.outcome, resumed.requests) == (Outcome.DONE, 1)
    assert fake.served() == ONCE


async def test_other_client_errors_stop_at_once(
    engine: AsyncEngine, fake: FakeLL2, clock: SimulatedClock
) -> None:
    fake.faults.append(Fault("agencies", 0, status=404, body='{"detail": "Not found."}'))
    url = f"{fake.base_url}/agencies/?mode=detailed&limit=100&ordering=id"

    failed = await run(engine, fake, clock)

    assert failed.detail == (
        f"GET {url}: HTTP 404 Not Found: Not found.; earlier pages are kept; the next run "
        f"resumes at {url}"
    )
    assert clock.sleeps == []


async def test_the_api_key_is_sent_and_lifts_the_anonymous_allowance(
    engine: AsyncEngine, graph: Graph, clock: SimulatedClock
) -> None:
    with _fake(graph, clock, limit=2, api_key="s3cret", key_limit=300) as ll2:
        result = await run(engine, ll2, clock, api_key="s3cret")

        assert (result.outcome, result.requests, clock.sleeps) == (Outcome.DONE, 6, [])
        assert {r.authorization for r in ll2.requests} == {"Token s3cret"}
        assert {r.user_agent for r in ll2.requests} == {
            f"spacecraft-gateway/{project_version()} (LL2 sync; httpx/{httpx.__version__})"
        }
        assert ll2.served() == ONCE


async def test_a_wrong_api_key_is_an_error_that_says_so(
    engine: AsyncEngine, graph: Graph, clock: SimulatedClock
) -> None:
    with _fake(graph, clock, api_key="s3cret") as ll2:
        result = await run(engine, ll2, clock, api_key="wrong")

        assert (result.outcome, result.detail) == (
            Outcome.FAILED,
            f"GET {ll2.base_url}/api-throttle/: HTTP 401 Unauthorized: Invalid token. "
            "(check --api-key or LL2_API_KEY); earlier pages are kept; the next run resumes at "
            f"{ll2.base_url}/spacecraft/?mode=detailed&limit=100&ordering=id",
        )
        assert ll2.page_requests(None) == []


class _Lines(Progress):
    """A terminal's status line, kept as the list of lines drawn."""

    def __init__(self) -> None:
        super().__init__(io.StringIO(), enabled=True)
        self.lines: list[str] = []

    def update(self, text: str, *, force: bool = False) -> None:
        self.lines.append(text)


async def test_progress_shows_pages_records_the_allowance_and_each_wait(
    engine: AsyncEngine, graph: Graph, clock: SimulatedClock
) -> None:
    out, progress = io.StringIO(), _Lines()
    with _fake(graph, clock, limit=3) as ll2:
        await sync(
            engine,
            options(ll2),
            clock=clock,
            reporter=TerminalReporter(out, progress),
        )
    assert out.getvalue().splitlines() == [
        "spacecraft: 2 pages, 101 records",
        "spacecraft_configurations: 1 page, 14 records",
        "spacecraft_configuration_families: 1 page, 4 records",
        "agencies: 1 page, 8 records",
        "spacecraft_flights: 1 page, 1 record",
    ]
    assert progress.lines == [
        "3 of 3 requests left",
        "2 of 3 requests left",
        "spacecraft: page 1/2, 100 of 101 records | 2 of 3 requests left",
        "spacecraft: page 1/2, 100 of 101 records | 1 of 3 requests left",
        "spacecraft: page 2/2, 101 of 101 records | 1 of 3 requests left",
        "0 of 3 requests left",
        "spacecraft_configurations: page 1/1, 14 of 14 records | 0 of 3 requests left",
        "0 of 3 requests left",
        "0 of 3 requests left | waiting 1h: LL2's allowance of 3 requests per 1h is used up",
        "3 of 3 requests left",
        "2 of 3 requests left",
        "spacecraft_configuration_families: page 1/1, 4 of 4 records | 2 of 3 requests left",
        "1 of 3 requests left",
        "agencies: page 1/1, 8 of 8 records | 1 of 3 requests left",
        "0 of 3 requests left",
        "spacecraft_flights: page 1/1, 1 of 1 records | 0 of 3 requests left",
    ]
