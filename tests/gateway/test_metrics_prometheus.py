"""Prometheus itself scrapes `serve --workers 2` and answers PromQL about the requests made.

Whichever worker answers a scrape, it reports every worker's counts: Prometheus sees each
request once, and both worker processes.
"""

from __future__ import annotations

import shutil
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


@pytest.fixture
def served(tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
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
        yield url
    finally:
        process.stop()


def test_prometheus_counts_every_request_of_every_worker(served: str) -> None:
    binary = prometheus_binary()
    if binary is None:
        missing("prometheus is not installed (Debian: apt-get install prometheus)")
        return
    assert httpx.get(f"{served}/metrics").status_code == 401  # the token is required
    prometheus = PrometheusServer(binary, served.removeprefix("http://"), token=TOKEN).start()
    try:
        for _ in range(12):  # a connection each, so that both workers take some
            assert httpx.post(f"{served}/graphql", json={"query": SHIPS}).status_code == 200
        for _ in range(3):
            httpx.post(f"{served}/graphql", json={"query": "query Bad { nope }"})

        prometheus.wait_for('sum(up{job="gateway"})', {"": 1})
        prometheus.wait_for("sum(gateway_worker_processes)", {"": 2})
        # Each worker compiles its first answer and caches it: every request counted once.
        prometheus.wait_for('sum(gateway_requests_total{operation="Ships"})', {"": 12})
        prometheus.wait_for(
            'sum by (operation, code) (gateway_requests_total{answer="refused"})',
            {"code=GRAPHQL_VALIDATION_FAILED,operation=Bad": 3},
        )
        prometheus.wait_for('count(gateway_dataset_objects{kind="spacecraft"} > 0)', {"": 1})
    finally:
        prometheus.stop()
