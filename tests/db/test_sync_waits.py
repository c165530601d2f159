"""Every wait of a sync run is bounded, and so is their sum (`db.sync.client`).

LL2 may say its allowance is used up and give no wait (`current_use` at the limit,
`next_use_secs: 0`); the sync must neither poll `/api-throttle/` for ever nor sit past
`--max-wait`, and a run's waits together stop at `--max-total-wait`
(`GATEWAY_SYNC_MAX_TOTAL_WAIT`). In process on a `SimulatedClock`, and as cron runs the
command, against the stand-in LL2 on a loopback port.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from db.graph import Graph
from db.sync import Outcome, SimulatedClock, SyncResult
from tests.support.fake_ll2 import FakeLL2, Fault, synthetic_graph
from tests.support.sync import cursors, data_dump, run

ROOT = Path(__file__).resolve().parents[2]
HOUR = 3600.0
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"])


@pytest.fixture(scope="module")
def graph() -> Graph:
    return synthetic_graph(spacecraft=70)


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(dt.datetime(2025, 1, 1))


@pytest.fixture
def stuck(graph: Graph, clock: SimulatedClock) -> Iterator[FakeLL2]:
    """LL2 whose allowance of 15 an hour reads as used up, with no wait, for ever."""
    with FakeLL2(copy.deepcopy(graph), limit=15, clock=clock) as ll2:
        ll2.used_up_without_wait = True
        yield ll2


def _throttle_reads(fake: FakeLL2) -> int:
    return sum(1 for r in fake.requests if r.endpoint == "api-throttle")


def _first_url(fake: FakeLL2) -> str:
    return f"{fake.base_url}/spacecraft/?mode=detailed&limit=100&ordering=id"


async def _bounded(
    engine: AsyncEngine, fake: FakeLL2, clock: SimulatedClock, **kw: float
) -> SyncResult:
    # Without the bound the run polls for ever; on a simulated clock that is a busy loop.
    return await asyncio.wait_for(run(engine, fake, clock, **kw), 60)


@SQLITE_ONLY
async def test_used_up_with_no_wait_stops_at_max_wait_after_two_readings(
    engine: AsyncEngine, stuck: FakeLL2, clock: SimulatedClock
) -> None:
    before = await data_dump(engine)

    result = await _bounded(engine, stuck, clock, max_wait=5.0)

    assert (result.outcome, result.outcome.exit_status, result.requests) == (
        Outcome.STOPPED,
        75,
        0,
    )
    assert result.detail == (
        "LL2's allowance of 15 requests per 1h is used up; the next request is allowed in 1h, "
        f"longer than the 5s --max-wait; the next run resumes at {_first_url(stuck)}"
    )
    # A second for a figure rounded down, then the window, which is past --max-wait.
    assert clock.sleeps == [1.0]
    assert _throttle_reads(stuck) == 2
    assert stuck.page_requests(status=None) == []
    assert await data_dump(engine) == before


@SQLITE_ONLY
async def test_used_up_with_no_wait_waits_the_window_once_then_stops(
    engine: AsyncEngine, stuck: FakeLL2, clock: SimulatedClock
) -> None:
    result = await _bounded(engine, stuck, clock, max_wait=2 * HOUR)

    assert (result.outcome, result.requests) == (Outcome.STOPPED, 0)
    assert result.detail == (
        "LL2's allowance of 15 requests per 1h is used up and LL2 gives no time at which it "
        "frees, even after waiting its whole window (1h); run again later; the next run "
        f"resumes at {_first_url(stuck)}"
    )
    assert clock.sleeps == [1.0, HOUR]
    assert _throttle_reads(stuck) == 3


@SQLITE_ONLY
async def test_429s_with_no_wait_anywhere_are_guessed_at_twice_then_the_run_stops(
    engine: AsyncEngine, graph: Graph, clock: SimulatedClock
) -> None:
    with FakeLL2(copy.deepcopy(graph), limit=15, clock=clock) as ll2:
        ll2.faults.append(Fault("spacecraft", 0, status=429, times=None))

        result = await _bounded(engine, ll2, clock)

        assert (result.outcome, result.requests) == (Outcome.STOPPED, 3)
        assert result.detail == (
            "LL2 answered 429 Too Many Requests and LL2 gives no time at which it frees, even "
            "after waiting its whole window (1h); run again later; the next run resumes at "
            f"{_first_url(ll2)}"
        )
        assert clock.sleeps == [1.0, HOUR]
        assert [r.status for r in ll2.page_requests(status=None)] == [429, 429, 429]
        # The first reading, then one after each 429 (LL2 may or may not have counted it).
        assert _throttle_reads(ll2) == 4


@SQLITE_ONLY
async def test_the_waits_of_a_run_together_stop_at_max_total_wait(
    engine: AsyncEngine, graph: Graph, clock: SimulatedClock
) -> None:
    with FakeLL2(copy.deepcopy(graph), limit=1, clock=clock) as ll2:
        result = await _bounded(engine, ll2, clock, max_wait=HOUR, max_total_wait=2 * HOUR)

        resumes = f"{ll2.base_url}/spacecraft_configuration_families/?mode=detailed&limit=100"
        assert (result.outcome, result.requests, result.pages) == (Outcome.STOPPED, 3, 3)
        assert result.detail == (
            "LL2's allowance of 1 requests per 1h is used up; waiting 1h more would make this "
            "run wait 3h in all, longer than the 2h --max-total-wait; the next run resumes at "
            f"{resumes}&ordering=id"
        )
        assert clock.sleeps == [HOUR, HOUR]
        assert (await cursors(engine))["spacecraft_configurations"][1:3] == (None, 1)


# --- as cron runs it --------------------------------------------------------------------------


def _sync(
    fake: FakeLL2, database_url: str, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GATEWAY_", "LL2_"))}
    return subprocess.run(
        [sys.executable, "-m", "gateway.cli", "sync", "--base-url", fake.base_url, *args],
        env=base | {"PYTHONPATH": str(ROOT), "DATABASE_URL": database_url} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@SQLITE_ONLY
async def test_the_command_on_an_allowance_used_up_with_no_wait_exits_75(
    database_url: str, graph: Graph
) -> None:
    with FakeLL2(copy.deepcopy(graph), limit=15) as ll2:
        ll2.used_up_without_wait = True

        stopped = await asyncio.to_thread(_sync, ll2, database_url, "--max-wait", "5s")

        assert (stopped.returncode, stopped.stderr) == (75, "")
        assert stopped.stdout == (
            "sync stopped early: 0 requests, 0 pages (no changes): LL2's allowance of 15 "
            "requests per 1h is used up; the next request is allowed in 1h, longer than the 5s "
            f"--max-wait; the next run resumes at {_first_url(ll2)}\n"
        )
        assert _throttle_reads(ll2) == 2


@SQLITE_ONLY
async def test_the_total_wait_comes_from_its_setting_and_a_bad_one_is_refused(
    database_url: str, graph: Graph
) -> None:
    with FakeLL2(copy.deepcopy(graph), limit=2) as ll2:
        stopped = await asyncio.to_thread(
            _sync, ll2, database_url, "--max-wait", "2h", GATEWAY_SYNC_MAX_TOTAL_WAIT="30m"
        )
        assert stopped.returncode == 75
        assert "longer than the 30m --max-total-wait" in stopped.stdout
        assert len(ll2.page_requests()) == 2

        refused = await asyncio.to_thread(
            _sync, ll2, database_url, GATEWAY_SYNC_MAX_TOTAL_WAIT="soon"
        )
        assert (refused.returncode, refused.stdout) == (2, "")
        assert refused.stderr == (
            "sync: GATEWAY_SYNC_MAX_TOTAL_WAIT: 'soon' is not a duration: write it like 1h, "
            "30m, 90s, 1h30m or 3600; unset it for the default 3h\n"
        )
        assert len(ll2.page_requests()) == 2
