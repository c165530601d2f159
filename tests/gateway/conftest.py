"""A live gateway on a loopback port, over a database holding the bundled dataset."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp

from tests.support.explorer_app import create_explorer_app
from tests.support.liveserver import LiveServer


def gateway_app(database_url: str) -> ASGIApp:
    # Until gateway.app is merged; then: `return create_app(Settings(database_url=database_url))`.
    return create_explorer_app(database_url)


@pytest.fixture
async def live_gateway(bundled_engine: AsyncEngine, database_url: str) -> AsyncIterator[str]:
    """The base URL of a real server answering with the gateway over the bundled dataset."""
    with LiveServer(gateway_app(database_url)) as server:
        yield server.url
