"""Prometheus itself scrapes `serve --workers 2` and answers PromQL about the requests made.

Whichever worker answers a scrape, it reports every worker's counts: Prometheus sees each
request once, and both worker processes.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.gateway.test_serve import serve_command
from tests.support.pgserver import free_port
from tests.support.processes import Process
from tests.support.prometheus import PrometheusServer, prometheus_binary
from tests.support.system import missing

TOKEN = "scrape-token"
SHIPS = "query Ships { allSpacecraft(first: 3) { nodes { name } } }"


def worker_pids(supervisor: int) -> set[int]:
    """uvicorn's worker processes under `supervisor` (spawned: `multiprocessing.spawn`)."""
    children = Path(f"/proc/{supervisor}/task/{supervisor}/children").read_text().split()
    found = set()
    for child in map(int, children):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"spawn_main" in command:
            found.add(child)
    return found


def wait_for_new_worker(process: Process, before: set[int], killed: int) -> None:
    """Until uvicorn has started a worker in place of `killed`, and that worker its app."""
    deadline = time.monotonic() + 60
    while True:
        new = worker_pids(process.popen.pid) - before
        logs = process.stderr + process.stdout
        started = [logs.find(f"Started server process [{pid}]") for pid in new]
        if (
            len(new) == 1
            and started[0] >= 0
            and "Application startup complete" in logs[started[0] :]
        ):
            return
        assert time.monotonic() < deadline, f"no worker started in place of {killed}:\n{logs}"
        time.sleep(0.1)


@pytest.fixture
def served(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[str, Process]]:
    database = tmp_path / "gateway.db"
    shutil.copy(sqlite_template, database)  # migrated and empty: serve loads the bundled data
    port = free_port()
    process = Process(
        serve_command("--port", str(port), "--workers", "2"),
        {"DATABASE_URL": f"sqlite:///{database}", "GATEWAY_METRICS_TOKEN": TOKEN},
        tmp_path,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        process.wait_until_up(url)
        yield url, process
    finally:
        process.stop()


def test_prometheus_counts_every_request_of_every_worker(served: tuple[str, Process]) -> None:
    served_url, process = served
    binary = prometheus_binary()
    if binary is None:
        missing("prometheus is not installed (Debian: apt-get install prometheus)")
        return
    assert httpx.get(f"{served_url}/metrics").status_code == 401  # the token is required
    prometheus = PrometheusServer(binary, served_url.removeprefix("http://"), token=TOKEN).start()
    try:
        for _ in range(12):  # a connection each, so that both workers take some
            assert httpx.post(f"{served_url}/graphql", json={"query": SHIPS}).status_code == 200
        for _ in range(3):
            httpx.post(f"{served_url}/graphql", json={"query": "query Bad { nope }"})

        prometheus.wait_for('sum(up{job="gateway"})', {"": 1})
        prometheus.wait_for("sum(gateway_worker_processes)", {"": 2})
        # Each worker compiles its first answer and caches it: every request counted once.
        prometheus.wait_for('sum(gateway_requests_total{operation="Ships"})', {"": 12})
        prometheus.wait_for(
            'sum by (operation, code) (gateway_requests_total{answer="refused"})',
            {"code=GRAPHQL_VALIDATION_FAILED,operation=(unknown)": 3},  # "Bad" never validated
        )
        prometheus.wait_for('count(gateway_dataset_objects{kind="spacecraft"} > 0)', {"": 1})

        # A worker killed: uvicorn starts another; what the dead one answered stays counted,
        # and its live gauges leave the view.
        workers = worker_pids(process.popen.pid)
        assert len(workers) == 2
        killed = min(workers)
        os.kill(killed, signal.SIGKILL)
        wait_for_new_worker(process, workers, killed)
        time.sleep(2.5)  # two scrapes after the new worker's start: no value from before it
        assert httpx.post(f"{served_url}/graphql", json={"query": SHIPS}).status_code == 200
        prometheus.wait_for('sum(gateway_requests_total{operation="Ships"})', {"": 13})
        prometheus.wait_for("sum(gateway_worker_processes)", {"": 2})
    finally:
        prometheus.stop()
