"""Live gateways on loopback ports for the HTTP tests.

`http_server` is one server for the whole session (default settings, over `shared_url`: SQLite
holding the bundled dataset), for tests of HTTP behaviour that no database backend changes.
`serve_app(**settings)` starts a server of its own with the given settings, stopped after the
test; given `bundled_url`, it runs on each backend.
"""

from __future__ import annotations

import asyncio
import resource
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import strawberry
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from db.ingest import load_bundled_if_empty
from gateway.app import create_app
from gateway.connections import raise_open_file_limit
from gateway.settings import Settings
from tests.gateway.sample_schema import schema as sample_schema
from tests.support.bodies import answer
from tests.support.live import LiveServer

ServeApp = Callable[..., LiveServer]
__all__ = ["ServeApp", "answer", "start_server"]


def start_server(
    *, schema: strawberry.Schema = sample_schema, context_getter: Any = None, **fields: Any
) -> LiveServer:
    settings = Settings(**fields)
    app = create_app(settings, schema=schema, context_getter=context_getter)
    return LiveServer(app, settings).start()


@pytest.fixture
def file_limits() -> None:
    """A test holding thousands of connections needs a descriptor for each of its own ends."""
    raise_open_file_limit()
    assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] >= 4500


@pytest.fixture(scope="session")
def shared_url(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> str:
    """One SQLite database holding the bundled dataset, for servers that only read it."""
    path = tmp_path_factory.mktemp("http") / "bundled.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"

    async def load() -> None:
        engine = create_engine(url)
        await load_bundled_if_empty(engine)
        await engine.dispose()

    asyncio.run(load())
    return url


@pytest.fixture(scope="session")
def http_server(shared_url: str) -> Iterator[LiveServer]:
    server = start_server(database_url=shared_url)
    yield server
    server.stop()


@pytest.fixture
def bundled_url(database_url: str, bundled_engine: AsyncEngine) -> str:
    """The URL of a database of the test's backend holding the bundled dataset."""
    return database_url


@pytest.fixture
def serve_app() -> Iterator[ServeApp]:
    servers: list[LiveServer] = []

    def start(**fields: Any) -> LiveServer:
        server = start_server(**fields)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
async def live_gateway(bundled_engine: AsyncEngine, database_url: str) -> AsyncIterator[str]:
    """The base URL of the real gateway (its own schema) over the bundled dataset."""
    server = LiveServer(create_app(Settings(database_url=database_url)), Settings()).start()
    try:
        yield server.url
    finally:
        server.stop()
