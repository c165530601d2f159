"""`spacecraft-gateway serve` and the server's life in a process of its own: preparing the
database, refusing what it cannot serve, and finishing requests in flight at SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from db.migrate import SchemaBehind, head_revision
from gateway.serve import prepare_database
from gateway.settings import Settings
from tests.support.bodies import answer
from tests.support.fake_ll2 import FakeLL2, bundled_graph
from tests.support.pgserver import free_port
from tests.support.processes import Process

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_SCHEMA = "tests.gateway.sample_schema:schema"


@pytest.fixture
def processes() -> Iterator[list[Process]]:
    started: list[Process] = []
    yield started
    for process in started:
        process.stop()


def serve_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "gateway.cli", "serve", *args]


def sample_server(
    processes: list[Process], tmp_path: Path, database_url: str, **env: str
) -> tuple[Process, str]:
    port = free_port()
    process = Process(
        [sys.executable, "-m", "tests.support.live", SAMPLE_SCHEMA],
        {"DATABASE_URL": database_url, "GATEWAY_PORT": str(port), **env},
        tmp_path,
    )
    processes.append(process)
    url = f"http://127.0.0.1:{port}"
    process.wait_until_up(url)
    return process, url


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


async def test_prepare_database_loads_the_bundled_dataset_once(empty_database_url: str) -> None:
    settings = Settings(database_url=empty_database_url)
    first = await prepare_database(settings)
    assert first.startswith("loaded the bundled dataset: imported 4 files, 430 objects;")
    assert await prepare_database(settings) == "the database holds a dataset already"
    engine = create_engine(empty_database_url, read_only=True)
    try:
        async with engine.connect() as conn:
            count = await conn.scalar(sa.text("SELECT count(*) FROM spacecraft"))
    finally:
        await engine.dispose()
    assert count == 31


async def test_serve_refuses_a_database_whose_schema_is_behind(
    database_url: str, engine: AsyncEngine, tmp_path: Path
) -> None:
    async with engine.begin() as conn:
        await conn.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))
    result = subprocess.run(
        serve_command("--port", str(free_port())),
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert f"serve: {SchemaBehind('0001', head_revision())}" in result.stderr


@pytest.mark.parametrize(
    ("env", "code", "message"),
    [
        pytest.param(
            {"DATABASE_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/gone"},
            69,
            "serve cannot start: the database at postgresql://postgres@127.0.0.1:",
            id="unreachable",
        ),
        pytest.param(
            {"GATEWAY_PORT": "eighty"},
            2,
            "serve cannot start: GATEWAY_PORT='eighty' is not a whole number; unset it for the "
            "default 8000\n",
            id="bad-setting",
        ),
    ],
)
def test_serve_stops_with_the_reason(env: dict[str, str], code: int, message: str) -> None:
    result = subprocess.run(
        serve_command(),
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_sigterm_lets_requests_in_flight_finish(
    processes: list[Process], tmp_path: Path, shared_url: str
) -> None:
    process, url = sample_server(processes, tmp_path, shared_url)
    with ThreadPoolExecutor(1) as pool:
        in_flight = pool.submit(
            httpx.post,
            f"{url}/graphql",
            json={"query": "query Slow { slow(seconds: 2) }"},
            headers={"x-request-id": "in-flight"},
            timeout=30,
        )
        time.sleep(0.5)
        process.popen.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{url}/healthz", timeout=2)  # no new connections once told to stop
        response = in_flight.result()
    assert response.status_code == 200
    assert response.json() == answer({"slow": 2.0})
    # uvicorn raises the signal again once it has shut down, so the exit says why it stopped.
    assert process.popen.wait(timeout=30) == -signal.SIGTERM
    access = [line for line in json_lines(process.stdout) if line["logger"] == "gateway.access"]
    slow = next(line for line in access if line["request_id"] == "in-flight")
    assert (slow["operation"], slow["status"], slow["method"]) == ("Slow", 200, "POST")
    assert slow["duration_ms"] >= 2000
    assert "Application shutdown complete." in process.stderr


def test_shutdown_timeout_bounds_the_wait(
    processes: list[Process], tmp_path: Path, shared_url: str
) -> None:
    process, url = sample_server(processes, tmp_path, shared_url, GATEWAY_SHUTDOWN_TIMEOUT="0.5")
    with ThreadPoolExecutor(1) as pool:
        stuck = pool.submit(
            httpx.post, f"{url}/graphql", json={"query": "{ slow(seconds: 60) }"}, timeout=60
        )
        time.sleep(0.5)
        signalled = time.monotonic()
        process.popen.send_signal(signal.SIGTERM)
        process.popen.wait(timeout=30)
        waited = time.monotonic() - signalled
        cut = stuck.result()
    assert waited < 10, f"the server took {waited:.1f} s to stop"
    assert (cut.status_code, cut.headers["retry-after"]) == (503, "1")
    assert cut.json() == {
        "errors": [
            {
                "message": "the server is shutting down; send the request again",
                "extensions": {"code": "SERVICE_UNAVAILABLE"},
            }
        ]
    }


def test_serve_loads_the_bundled_dataset_and_answers_with_workers(
    processes: list[Process], tmp_path: Path, empty_database_url: str
) -> None:
    port = free_port()
    process = Process(
        serve_command("--port", str(port), "--workers", "2"),
        {"DATABASE_URL": empty_database_url},
        tmp_path,
    )
    processes.append(process)
    url = f"http://127.0.0.1:{port}"
    process.wait_until_up(url)
    assert httpx.get(f"{url}/readyz").json()["counts"]["spacecraft"] == 31
    response = httpx.post(f"{url}/graphql", json={"query": "{ spacecraft(ll2Id: 467) { name } }"})
    assert response.json() == answer({"spacecraft": {"name": "Shenzhou 13"}})
    children = Path(f"/proc/{process.popen.pid}/task/{process.popen.pid}/children").read_text()
    workers = [pid for pid in children.split() if Path(f"/proc/{pid}/cmdline").exists()]
    assert len(workers) >= 2  # two workers (and uvicorn's resource tracker, if any)
    process.popen.send_signal(signal.SIGTERM)
    assert process.popen.wait(timeout=30) == 0  # the supervisor of workers exits cleanly


def test_log_level_quiets_the_server_but_not_the_access_log(
    processes: list[Process], tmp_path: Path, shared_url: str
) -> None:
    process, url = sample_server(processes, tmp_path, shared_url, GATEWAY_LOG_LEVEL="warning")
    httpx.get(f"{url}/healthz", headers={"x-request-id": "quiet"})
    process.popen.send_signal(signal.SIGTERM)
    process.popen.wait(timeout=30)
    assert [line["level"] for line in json_lines(process.stderr)] == []
    access = [line for line in json_lines(process.stdout) if line["logger"] == "gateway.access"]
    assert [(line["request_id"], line["path"]) for line in access][-1] == ("quiet", "/healthz")


def test_serve_syncs_from_ll2_in_the_background(
    processes: list[Process], tmp_path: Path, empty_database_url: str
) -> None:
    graph = bundled_graph()
    spacecraft = sorted(graph.rows["spacecraft"])[0]
    graph.rows["spacecraft"][spacecraft]["description"] = "Told by the background sync."
    with FakeLL2(graph, limit=None) as fake:
        port = free_port()
        process = Process(
            serve_command("--port", str(port), "--sync-every", "1h"),
            {"DATABASE_URL": empty_database_url, "GATEWAY_SYNC_BASE_URL": fake.base_url},
            tmp_path,
        )
        processes.append(process)
        url = f"http://127.0.0.1:{port}"
        process.wait_until_up(url)
        query = {
            "query": f"{{ datasetInfo {{ source lastSync {{ outcome }} }} "
            f"spacecraft(ll2Id: {spacecraft}) {{ description }} }}"
        }
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            answer = httpx.post(f"{url}/graphql", json=query).json()["data"]
            if answer["datasetInfo"]["lastSync"] is not None:
                break
            time.sleep(0.2)
        assert answer == {
            "datasetInfo": {"source": fake.base_url, "lastSync": {"outcome": "done"}},
            "spacecraft": {"description": "Told by the background sync."},
        }
        pages = len(fake.page_requests())
        process.popen.send_signal(signal.SIGTERM)
        assert process.popen.wait(timeout=30) == 0
    assert pages == len(fake.page_offsets()), "one pass, one request per page"
    children = [p for p in psutil_children(process.popen.pid)]
    assert children == []


def psutil_children(pid: int) -> list[str]:
    """Processes whose parent is `pid` (none once the server and its sync have stopped)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            lines = status.read_text().splitlines()
        except OSError:
            continue
        ppid = next((line.split()[1] for line in lines if line.startswith("PPid:")), None)
        if ppid == str(pid):
            found.append(status.parent.name)
    return found
