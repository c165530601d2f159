"""Scale-out: several `serve` processes on one PostgreSQL database agree, even during imports.

Two gateways answer while imports change the data; whenever both report the same
`datasetInfo.version`, their answers are the same, byte for byte.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from db.engine import create_engine
from db.ingest import ingest, load_bundled_if_empty
from tests.conftest import new_database_url
from tests.gateway.test_serve import Process, serve_command
from tests.support.data import sample_spacecraft, write_json
from tests.support.pgserver import PostgresServer, free_port

QUERY = (
    "{ datasetInfo { version } allSpacecraft(first: 40, orderBy: [{field: NAME}]) "
    "{ nodes { ll2Id name description } } }"
)
IMPORTS = 6


def _imports(database_url: str, directory: Path, done: threading.Event) -> None:
    async def run() -> None:
        engine = create_engine(database_url)
        try:
            for n in range(IMPORTS):
                changed = [s | {"description": f"revision {n}"} for s in sample_spacecraft()]
                page = {"count": len(changed), "next": None, "previous": None, "results": changed}
                file = write_json(
                    directory / f"revision-{n}.json",
                    page | {"next": "https://ll.thespacedevs.com/2.3.0/spacecraft/?offset=999"},
                )
                await ingest(engine, [file])
                await asyncio.sleep(0.3)
        finally:
            await engine.dispose()
            done.set()

    asyncio.run(run())


@pytest.fixture
async def postgres_url(
    pg_server: PostgresServer | None, pg_template: str | None, tmp_path: Path, sqlite_template: Path
) -> str:
    """A PostgreSQL database holding the bundled dataset (scale-out is a PostgreSQL matter)."""
    url = new_database_url("postgresql", tmp_path, sqlite_template, pg_server, pg_template)
    engine = create_engine(url)
    await load_bundled_if_empty(engine)
    await engine.dispose()
    return url


async def test_two_processes_agree_whenever_they_report_the_same_version(
    postgres_url: str, tmp_path: Path
) -> None:
    bundled_url = postgres_url
    servers = []
    try:
        for i in range(2):
            port = free_port()
            directory = tmp_path / f"server{i}"
            directory.mkdir()
            process = Process(
                serve_command("--port", str(port)), {"DATABASE_URL": bundled_url}, directory
            )
            servers.append((process, f"http://127.0.0.1:{port}"))
        for process, url in servers:
            process.wait_until_up(url)
        done = threading.Event()
        importer = threading.Thread(target=_imports, args=(bundled_url, tmp_path, done))
        importer.start()
        seen: dict[int, list[str]] = {}
        async with httpx.AsyncClient(timeout=30) as client:
            while not done.is_set():
                for _, url in servers:
                    response = await client.post(f"{url}/graphql", json={"query": QUERY})
                    body: dict[str, Any] = response.json()
                    assert "errors" not in body, body
                    version = body["data"]["datasetInfo"]["version"]
                    seen.setdefault(version, []).append(response.text)
        importer.join()
        assert len(seen) >= 3, f"the answers must span several versions, saw {sorted(seen)}"
        for version, answers in seen.items():
            assert len(set(answers)) == 1, f"version {version} answered differently"
        assert seen[max(seen)][0].count(f"revision {IMPORTS - 1}") == len(sample_spacecraft())
    finally:
        for process, _ in servers:
            process.stop()
