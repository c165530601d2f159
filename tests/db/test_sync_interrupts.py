"""Ctrl-C (SIGINT) stops `spacecraft-gateway sync` at any moment of a run: 130, recorded, nothing lost.

Why the run once went on: a shell without job control (a script's `make test &`, a CI step
started in the background) starts its children with SIGINT ignored, and Python keeps that
disposition, so asyncio installs no handler and the signal does nothing; the stand-in LL2 then
gave up holding the page, the sync retried it and finished with 0. So every child here starts
with SIGINT ignored, as such a shell would start it, and is signalled at a different moment of
its run: reading the allowance, waiting for a page, writing one, waiting out the allowance,
backing off after an error. Some runs share the machine with a spinning process per CPU.
"""

from __future__ import annotations

import asyncio
import copy
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.graph import Graph
from db.sync.tables import SYNC_RUN
from tests.support.fake_ll2 import ANONYMOUS, FakeLL2, Fault, synthetic_graph
from tests.support.load import cpu_load
from tests.support.sync import cursors, served_pages, stored_pages

ROOT = Path(__file__).resolve().parents[2]
TARGET = ("spacecraft", 100)
ALL_PAGES = [
    ("spacecraft", 0),
    ("spacecraft", 100),
    ("spacecraft_configurations", 0),
    ("spacecraft_configuration_families", 0),
    ("agencies", 0),
    ("spacecraft_flights", 0),
]
ONCE = Counter(dict.fromkeys(ALL_PAGES, 1))
INTERRUPTED = "sync interrupted; the next run resumes at the first page not saved\n"
# Started the way a shell without job control starts `sync &`: SIGINT ignored.
IGNORING_SIGINT = (
    "import os, signal, sys\n"
    "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
    "os.execv(sys.executable, [sys.executable, '-m', 'gateway.cli', *sys.argv[1:]])\n"
)


@pytest.fixture(scope="module")
def graph() -> Graph:
    return synthetic_graph(spacecraft=70)


class Moment:
    """Arms the stand-in LL2 so that `reached` is set at one moment of a run."""

    def __init__(self, name: str, fake: FakeLL2) -> None:
        self.name = name
        self.fake = fake
        self.reached = threading.Event()
        self.release = threading.Event()
        self.settle = 0.0  # seconds between the moment and the signal
        getattr(self, name.replace("-", "_"))()

    def _hold(self) -> None:
        """Keep the request unanswered until the test ends (longer than any retry)."""
        self.reached.set()
        self.release.wait(120)

    def reading_the_allowance(self) -> None:
        def hook(_answer: dict[str, Any]) -> None:
            if not self.reached.is_set():
                self._hold()

        self.fake.throttle_hook = hook

    def waiting_for_a_page(self) -> None:
        def hook(endpoint: str, offset: int) -> bool:
            if (endpoint, offset) == TARGET and not self.reached.is_set():
                self._hold()
                return False
            return True

        self.fake.page_hook = hook

    def writing_a_page(self) -> None:
        def hook(endpoint: str, offset: int) -> None:
            if (endpoint, offset) == TARGET:
                self.reached.set()

        self.fake.sent_hook = hook

    def waiting_out_the_allowance(self) -> None:
        self.fake.limit = 3  # an hour's wait after 3 pages, within the default --max-wait
        self.settle = 0.5

        def hook(answer: dict[str, Any]) -> None:
            if answer["current_use"] >= answer["your_request_limit"]:
                self.reached.set()

        self.fake.throttle_hook = hook

    def backing_off(self) -> None:
        self.fake.faults.append(Fault(*TARGET, status=503, times=None))
        self.settle = 0.3

        def hook(endpoint: str, offset: int) -> bool:
            if (endpoint, offset) == TARGET:
                self.reached.set()
            return True

        self.fake.page_hook = hook

    def disarm(self) -> None:
        self.release.set()
        self.fake.page_hook = self.fake.sent_hook = self.fake.throttle_hook = None
        self.fake.faults.clear()
        self.fake.limit = None
        self.fake.history[ANONYMOUS].clear()  # an hour later


def _start(fake: FakeLL2, database_url: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GATEWAY_", "LL2_"))}
    return subprocess.Popen(
        [sys.executable, "-c", IGNORING_SIGINT, "sync", "--base-url", fake.base_url, "--quiet"],
        env=env | {"PYTHONPATH": str(ROOT), "DATABASE_URL": database_url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _interrupt(moment: Moment, process: subprocess.Popen[str]) -> tuple[int, str, str]:
    try:
        assert moment.reached.wait(90), f"the run never reached {moment.name}"
        time.sleep(moment.settle)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        moment.release.set()
        if process.poll() is None:
            process.kill()
            process.communicate()
    return process.returncode, out, err


async def _interrupted_then_resumed(
    database_url: str, engine: AsyncEngine, graph: Graph, name: str, load: Callable[[], Any]
) -> None:
    with FakeLL2(copy.deepcopy(graph), limit=None) as fake:
        expected = served_pages(fake)
        moment = Moment(name, fake)
        with load():
            process = _start(fake, database_url)
            status, out, err = await asyncio.to_thread(_interrupt, moment, process)
        moment.disarm()

        assert (status, out, err) == (130, "", INTERRUPTED)
        async with engine.connect() as conn:
            outcomes = (await conn.scalars(sa.select(SYNC_RUN.c.outcome))).all()
        assert outcomes == ["interrupted"]
        served_before = fake.served()

        resumed = await asyncio.to_thread(_start(fake, database_url).communicate, timeout=120)

        assert resumed == ("", "")
        # Each page was saved once; only a page written as the signal came may be fetched again.
        again = fake.served() - ONCE
        assert again == Counter() or (name == "writing-a-page" and again == Counter([TARGET]))
        assert served_before <= ONCE
        assert (await cursors(engine))["spacecraft_flights"][1] is None
        assert await stored_pages(engine, fake) == expected


class _Quiet:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        return None


MOMENTS = [
    "reading-the-allowance",
    "waiting-for-a-page",
    "writing-a-page",
    "waiting-out-the-allowance",
    "backing-off",
]


@pytest.mark.parametrize("name", MOMENTS)
async def test_sigint_at_any_moment_ends_the_run_with_130_and_loses_nothing(
    database_url: str, engine: AsyncEngine, graph: Graph, name: str
) -> None:
    await _interrupted_then_resumed(database_url, engine, graph, name, _Quiet)


@pytest.mark.parametrize("name", ["writing-a-page"])
async def test_sigint_on_a_loaded_machine_ends_the_run_with_130_and_loses_nothing(
    database_url: str, engine: AsyncEngine, graph: Graph, name: str
) -> None:
    await _interrupted_then_resumed(database_url, engine, graph, name, lambda: cpu_load(seconds=60))
