"""Caches across processes, on both backends: after an import, no process answers old data.

Each `serve` process keeps its own result cache; they agree because every request reads the
dataset's version from the database they share. Two servers (and one server with two workers)
answer, are imported into by another process, and answer again.
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from db.ingest import load_bundled_if_empty
from tests.support.caching import CRAFT, CRAFT_ID, CRAFT_NAME, craft_body, without_sql
from tests.support.data import rename_spacecraft, sample_spacecraft, write_json
from tests.support.pgserver import free_port
from tests.support.processes import ROOT, Process

PARAMS = {"query": CRAFT, "variables": json.dumps({"id": CRAFT_ID})}
HEADERS = {"Accept": "application/json", "Connection": "close"}  # a new connection each time


@pytest.fixture
def processes() -> Iterator[list[Process]]:
    started: list[Process] = []
    yield started
    for process in started:
        process.stop()


def serve(
    processes: list[Process],
    directory: Path,
    database_url: str,
    *args: str,
    env: dict[str, str] | None = None,
) -> str:
    port = free_port()
    directory.mkdir()
    process = Process(
        [sys.executable, "-m", "gateway.cli", "serve", "--port", str(port), *args],
        {
            "DATABASE_URL": database_url,
            "GATEWAY_DEBUG": "1",
            "GATEWAY_ACCESS_LOG": "0",
            **(env or {}),
        },
        directory,
    )
    processes.append(process)
    url = f"http://127.0.0.1:{port}"
    process.wait_until_up(url)
    return url


def ask(url: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.get(f"{url}/graphql", params=PARAMS, headers={**HEADERS, **(headers or {})})


def names_and_statements(answers: list[httpx.Response]) -> list[tuple[Any, int]]:
    return [(without_sql(a.json()), a.json()["extensions"]["sql"]["statements"]) for a in answers]


def import_with_the_cli(database_url: str, name: str, directory: Path) -> None:
    """A rename imported by `spacecraft-gateway ingest`, a process of its own."""
    (craft,) = [s for s in sample_spacecraft() if s["id"] == CRAFT_ID]
    page = {"count": 1, "next": None, "previous": None, "results": [craft | {"name": name}]}
    path = write_json(directory / "cli-rename.json", page)
    subprocess.run(
        [sys.executable, "-m", "gateway.cli", "ingest", str(path)],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DATABASE_URL": database_url},
        check=True,
        capture_output=True,
    )


async def test_two_servers_on_one_database_never_answer_old_data_after_an_import(
    processes: list[Process], bundled_url: str, bundled_engine: AsyncEngine, tmp_path: Path
) -> None:
    a = serve(processes, tmp_path / "a", bundled_url)
    b = serve(processes, tmp_path / "b", bundled_url)
    warm = [ask(a), ask(a), ask(b), ask(b)]
    old = craft_body(CRAFT_NAME)
    assert names_and_statements(warm) == [(old, 2), (old, 1), (old, 2), (old, 1)]  # both kept it
    etag = warm[-1].headers["etag"]
    assert ask(a, {"If-None-Match": etag}).status_code == 304  # the same tag in both processes

    await rename_spacecraft(bundled_engine, CRAFT_ID, "Renamed in-process", tmp_path)
    new = craft_body("Renamed in-process")
    answers = [ask(a), ask(b), ask(a), ask(b)]
    assert names_and_statements(answers) == [(new, 2), (new, 2), (new, 1), (new, 1)]
    assert ask(b, {"If-None-Match": etag}).status_code == 200

    import_with_the_cli(bundled_url, "Renamed by the CLI", tmp_path)
    newer = craft_body("Renamed by the CLI")
    answers = [ask(b), ask(a), ask(b), ask(a)]
    assert names_and_statements(answers) == [(newer, 2), (newer, 2), (newer, 1), (newer, 1)]


async def test_workers_of_one_server_never_answer_old_data_after_an_import(
    processes: list[Process], bundled_url: str, bundled_engine: AsyncEngine, tmp_path: Path
) -> None:
    url = serve(processes, tmp_path / "server", bundled_url, "--workers", "2")
    # New connections, spread over both workers by the kernel; each keeps its own answer.
    before = {json.dumps(without_sql(ask(url).json())) for _ in range(20)}
    assert before == {json.dumps(craft_body(CRAFT_NAME))}
    await rename_spacecraft(bundled_engine, CRAFT_ID, "Renamed", tmp_path)
    after = {json.dumps(without_sql(ask(url).json())) for _ in range(20)}
    assert after == {json.dumps(craft_body("Renamed"))}


async def lease_of_the_only_worker(engine: AsyncEngine) -> tuple[float, float]:
    """Its lease's end and the database's now, once a worker holds one."""
    async with asyncio.timeout(10):
        while True:
            async with engine.connect() as conn:
                row = (
                    await conn.execute(
                        sa.text(
                            "SELECT lease_until, extract(epoch from clock_timestamp()) "
                            "FROM gateway_worker"
                        )
                    )
                ).first()
            if row is not None:
                return float(row[0]), float(row[1])
            await asyncio.sleep(0.05)


async def test_a_paused_worker_makes_an_import_wait_out_its_lease_and_answers_new_data_after(
    processes: list[Process], new_database: Callable[..., str], tmp_path: Path
) -> None:
    url = new_database("postgresql")
    engine = create_engine(url)
    try:
        await load_bundled_if_empty(engine)
        server = serve(processes, tmp_path / "server", url, env={"GATEWAY_VERSION_LEASE": "1"})
        assert without_sql(ask(server).json()) == craft_body(CRAFT_NAME)
        await lease_of_the_only_worker(engine)
        process = processes[-1].popen
        process.send_signal(signal.SIGSTOP)  # it can neither take the notice nor renew
        try:
            await asyncio.sleep(0.1)  # a renewal already sent has landed
            lease_until, now = await lease_of_the_only_worker(engine)
            assert lease_until > now  # it still holds its lease
            await rename_spacecraft(engine, CRAFT_ID, "Renamed while paused", tmp_path)
            _, returned_at = await lease_of_the_only_worker(engine)
            assert returned_at > lease_until  # the writer waited the lease out
        finally:
            process.send_signal(signal.SIGCONT)
        # Its lease ran out while it was stopped: it reads the version again, so no old answer.
        assert without_sql(ask(server).json()) == craft_body("Renamed while paused")
    finally:
        await engine.dispose()
