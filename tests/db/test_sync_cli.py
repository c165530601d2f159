"""`spacecraft-gateway sync` as cron and people run it: a real process against a fake LL2.

Exit statuses (0 done, 75 stopped early, 1 error), what it prints with and without --quiet,
progress on a terminal, the API key from the environment, --report-stale, and the process
killed (SIGKILL) or interrupted (Ctrl-C) in the middle of a run, then run again.
"""

from __future__ import annotations

import asyncio
import copy
import os
import pty
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.ext.asyncio import AsyncEngine

from db import migrate
from db.engine import create_engine
from db.graph import Graph
from db.sync import stale_records
from db.sync.tables import SYNC_RUN
from tests.support.fake_ll2 import FakeLL2, Fault, synthetic_graph
from tests.support.sync import cursors, served_pages, stored_pages

ROOT = Path(__file__).resolve().parents[2]

ALL_PAGES = [
    ("spacecraft", 0),
    ("spacecraft", 100),
    ("spacecraft_configurations", 0),
    ("spacecraft_configuration_families", 0),
    ("agencies", 0),
    ("spacecraft_flights", 0),
]
ONCE = Counter(dict.fromkeys(ALL_PAGES, 1))
DONE_LINES = [
    "spacecraft: 2 pages, 101 records",
    "spacecraft_configurations: 1 page, 14 records",
    "spacecraft_configuration_families: 1 page, 4 records",
    "agencies: 1 page, 8 records",
    "spacecraft_flights: 1 page, 1 record",
]
FINISHED = {
    "spacecraft": (1, None, 2, 101, 101, 1),
    "spacecraft_configurations": (1, None, 1, 14, 14, 1),
    "spacecraft_configuration_families": (1, None, 1, 4, 4, 1),
    "agencies": (1, None, 1, 8, 8, 1),
    "spacecraft_flights": (1, None, 1, 1, 1, 1),
}


# What the command prints and returns does not depend on the database; the tests of it run on
# SQLite only. The tests that kill the process run on both backends.
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"])


@pytest.fixture(scope="module")
def graph() -> Graph:
    return synthetic_graph(spacecraft=70)


@pytest.fixture
def fake(graph: Graph) -> Iterator[FakeLL2]:
    with FakeLL2(copy.deepcopy(graph), limit=None) as ll2:
        yield ll2


def _command(fake: FakeLL2, *args: str) -> list[str]:
    return [sys.executable, "-m", "gateway.cli", "sync", "--base-url", fake.base_url, *args]


def _env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "LL2_API_KEY"}
    return env | {"PYTHONPATH": str(ROOT), "DATABASE_URL": database_url} | extra


async def _sync(
    fake: FakeLL2, database_url: str, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run the command in a child process without blocking the fake's clock or loop."""
    return await asyncio.to_thread(
        subprocess.run,
        _command(fake, *args),
        env=_env(database_url, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _url(fake: FakeLL2, endpoint: str, offset: int = 0) -> str:
    tail = f"&offset={offset}" if offset else ""
    return f"{fake.base_url}/{endpoint}/?mode=detailed&limit=100&ordering=id{tail}"


@SQLITE_ONLY
async def test_done_exits_0_and_says_what_it_did(
    database_url: str, engine: AsyncEngine, fake: FakeLL2
) -> None:
    done = await _sync(fake, database_url)

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == [
        *DONE_LINES,
        "sync done: 6 requests, 6 pages (3 changed the data)",
    ]
    assert await cursors(engine) == FINISHED

    quiet = await _sync(fake, database_url, "--quiet")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


@SQLITE_ONLY
@pytest.mark.parametrize("quiet", [False, True], ids=["verbose", "quiet"])
async def test_max_requests_exits_75(
    database_url: str, engine: AsyncEngine, fake: FakeLL2, quiet: bool
) -> None:
    stopped = await _sync(fake, database_url, "--max-requests", "2", *["--quiet"] * quiet)

    assert stopped.returncode == 75
    expected = [
        "spacecraft: 2 pages, 101 records",
        "sync stopped early: 2 requests, 2 pages (2 changed the data): --max-requests 2 reached;"
        f" the next run resumes at {_url(fake, 'spacecraft_configurations')}",
    ]
    assert (stopped.stdout.splitlines(), stopped.stderr) == ([] if quiet else expected, "")


@SQLITE_ONLY
async def test_a_rate_limit_longer_than_max_wait_exits_75(database_url: str, graph: Graph) -> None:
    with FakeLL2(copy.deepcopy(graph), limit=2) as ll2:
        stopped = await _sync(ll2, database_url, "--max-wait", "1m", "--quiet")

        assert (stopped.returncode, stopped.stdout, stopped.stderr) == (75, "", "")
        assert ll2.served() == Counter(dict.fromkeys(ALL_PAGES[:2], 1))


@SQLITE_ONLY
@pytest.mark.parametrize("quiet", [False, True], ids=["verbose", "quiet"])
async def test_an_error_exits_1_and_prints_it_even_when_quiet(
    database_url: str, fake: FakeLL2, quiet: bool
) -> None:
    fake.faults.append(Fault("agencies", 0, status=404, body='{"detail": "Not found."}'))
    url = _url(fake, "agencies")

    failed = await _sync(fake, database_url, *["--quiet"] * quiet)

    assert failed.returncode == 1
    assert failed.stdout.splitlines() == ([] if quiet else DONE_LINES[:3])
    assert failed.stderr == (
        "sync failed: 5 requests, 4 pages (2 changed the data): "
        f"GET {url}: HTTP 404 Not Found: Not found.; earlier pages are kept; the next run "
        f"resumes at {url}\n"
    )


@SQLITE_ONLY
async def test_bad_arguments_are_refused_before_anything_runs(
    database_url: str, fake: FakeLL2
) -> None:
    result = await _sync(fake, database_url, "--max-wait", "soon", "--only", "launches")
    assert result.returncode == 2
    assert "argument --max-wait: 'soon' is not a duration: write it like 1h, 30m, 90s" in (
        result.stderr
    )
    assert fake.requests == []


@SQLITE_ONLY
async def test_a_base_url_that_is_not_http_is_refused(database_url: str) -> None:
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "gateway.cli", "sync", "--base-url", "ll.thespacedevs.com/2.3.0"],
        env=_env(database_url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        "sync: base URL 'll.thespacedevs.com/2.3.0' should be like "
        "https://ll.thespacedevs.com/2.3.0 (http or https)\n",
    )


@SQLITE_ONLY
async def test_the_api_key_comes_from_ll2_api_key(database_url: str, graph: Graph) -> None:
    with FakeLL2(copy.deepcopy(graph), limit=1, api_key="s3cret", key_limit=None) as ll2:
        done = await _sync(ll2, database_url, "--quiet", LL2_API_KEY="s3cret")

        assert done.returncode == 0
        assert {r.authorization for r in ll2.requests} == {"Token s3cret"}


@SQLITE_ONLY
async def test_progress_is_drawn_on_a_terminal(database_url: str, fake: FakeLL2) -> None:
    main, child = pty.openpty()
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the terminal's other end is closed
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        process = await asyncio.to_thread(
            subprocess.run,
            _command(fake),
            env=_env(database_url),
            stdout=subprocess.PIPE,
            stderr=child,
            timeout=120,
        )
    finally:
        os.close(child)
        reader.join(10)
        os.close(main)
    drawn = b"".join(chunks).decode()
    assert process.returncode == 0
    assert (
        "\r\x1b[2Kspacecraft: page 1/2, 100 of 101 records | 999999 of 1000000 requests left"
        in (drawn)
    )
    assert (
        "\r\x1b[2Kspacecraft: page 2/2, 101 of 101 records | 999998 of 1000000 requests left"
        in (drawn)
    )


@SQLITE_ONLY
async def test_report_stale_prints_what_ll2_stopped_listing(
    database_url: str, engine: AsyncEngine, fake: FakeLL2
) -> None:
    assert (await _sync(fake, database_url, "--quiet")).returncode == 0
    gone = fake.listed["spacecraft"][40]
    fake.unlist("spacecraft", gone)
    assert (await _sync(fake, database_url, "--quiet")).returncode == 0
    requests = len(fake.requests)

    report = await _sync(fake, database_url, "--report-stale", "--only", "spacecraft")

    (staleness,) = await stale_records(engine, ["spacecraft"])
    assert [r.id for r in staleness.records] == [gone]
    assert report.returncode == 0
    assert report.stdout == "\n".join(staleness.lines()) + "\n"
    assert len(fake.requests) == requests  # a report makes no requests


# --- killed or interrupted in the middle ------------------------------------------------------

TARGET = ("spacecraft", 100)


@pytest.mark.parametrize(
    ("moment", "sig"),
    [
        pytest.param("waiting-for-a-page", signal.SIGKILL, id="kill-9-while-fetching"),
        pytest.param("page-just-arrived", signal.SIGKILL, id="kill-9-while-writing"),
        pytest.param("waiting-for-a-page", signal.SIGINT, id="ctrl-c-while-fetching"),
    ],
)
async def test_a_run_killed_in_the_middle_resumes_and_loses_or_repeats_nothing(
    database_url: str,
    engine: AsyncEngine,
    fake: FakeLL2,
    moment: str,
    sig: signal.Signals,
) -> None:
    expected = served_pages(fake)
    reached, release = threading.Event(), threading.Event()

    def hold(endpoint: str, offset: int) -> bool:
        if (endpoint, offset) == TARGET and not reached.is_set():
            reached.set()
            release.wait(60)
            return False
        return True

    def arrived(endpoint: str, offset: int) -> None:
        if (endpoint, offset) == TARGET:
            reached.set()

    if moment == "waiting-for-a-page":
        fake.page_hook = hold
    else:
        fake.sent_hook = arrived
    process = subprocess.Popen(
        _command(fake, "--quiet"),
        env=_env(database_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert await asyncio.to_thread(reached.wait, 60)
        process.send_signal(sig)
        out, err = await asyncio.to_thread(process.communicate, timeout=60)
    finally:
        release.set()
        if process.poll() is None:
            process.kill()
    fake.page_hook = fake.sent_hook = None

    if sig == signal.SIGINT:
        assert (process.returncode, out) == (130, "")
        assert err == "sync interrupted; the next run resumes at the first page not saved\n"
        async with engine.connect() as conn:
            outcomes = (await conn.scalars(sa.select(SYNC_RUN.c.outcome))).all()
        assert outcomes == ["interrupted"]
    else:
        assert process.returncode == -signal.SIGKILL
    # The target page was in flight: fetched again by the next run unless it was committed.
    in_flight = (await cursors(engine))["spacecraft"][1] == _url(fake, *TARGET)
    assert in_flight or moment == "page-just-arrived"

    resumed = await _sync(fake, database_url, "--quiet")

    assert (resumed.returncode, resumed.stdout, resumed.stderr) == (0, "", "")
    served_twice = Counter([TARGET]) if in_flight and moment == "page-just-arrived" else Counter()
    assert fake.served() == ONCE + served_twice
    assert await cursors(engine) == FINISHED
    assert await stored_pages(engine, fake) == expected


async def test_a_database_with_an_older_schema_is_refused_with_the_way_out(
    empty_database_url: str, fake: FakeLL2
) -> None:
    engine = create_engine(empty_database_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_upgrade_to, "0001")
    finally:
        await engine.dispose()

    result = await _sync(fake, empty_database_url)

    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "sync failed: the database schema is at revision 0001 but this version of the gateway "
        f"needs {migrate.head_revision()}: run `spacecraft-gateway migrate` first\n"
    )
    assert fake.requests == []


def _upgrade_to(conn: sa.Connection, revision: str) -> None:
    config = migrate._config()
    config.attributes["connection"] = conn
    command.upgrade(config, revision)
