"""A live gateway on a loopback port for the HTTP tests, over a real database of each backend.

`serve_app(**settings)` starts `create_app` with the sample schema (or another) under uvicorn,
configured as `serve` configures it, and stops it after the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import strawberry
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.app import create_app
from gateway.settings import Settings
from tests.gateway.sample_schema import schema as sample_schema
from tests.support.live import LiveServer

ServeApp = Callable[..., LiveServer]


@pytest.fixture
def bundled_url(database_url: str, bundled_engine: AsyncEngine) -> str:
    """The URL of a database holding the bundled dataset."""
    return database_url


@pytest.fixture
def serve_app() -> Iterator[ServeApp]:
    servers: list[LiveServer] = []

    def start(
        *, schema: strawberry.Schema = sample_schema, context_getter: Any = None, **fields: Any
    ) -> LiveServer:
        settings = Settings(**fields)
        app = create_app(settings, schema=schema, context_getter=context_getter)
        server = LiveServer(app, settings).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def live(serve_app: ServeApp, bundled_url: str) -> LiveServer:
    """The gateway with default settings over the bundled dataset."""
    return serve_app(database_url=bundled_url)
