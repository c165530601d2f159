"""Helpers for the sync's tests: what the database holds, and a sync against a fake LL2."""

from __future__ import annotations

import random
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.graph import load_graph
from db.render import Renderer
from db.spec import ENDPOINTS
from db.sync import SimulatedClock, SyncOptions, SyncResult, sync
from db.sync.tables import SYNC_ENDPOINT, SYNC_TABLES
from tests.support.data import dump
from tests.support.fake_ll2 import FakeLL2

SYNC_TABLE_NAMES = {t.name for t in SYNC_TABLES}


async def data_dump(engine: AsyncEngine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the data (entities, links, dataset_state), not the sync's bookkeeping."""
    return {k: v for k, v in (await dump(engine)).items() if k not in SYNC_TABLE_NAMES}


async def stored_pages(engine: AsyncEngine, fake: FakeLL2) -> dict[str, list[dict[str, Any]]]:
    """Every object the fake lists, rendered from the database as LL2's detailed pages."""
    async with engine.connect() as conn:
        renderer = Renderer(await load_graph(conn))
    return {
        endpoint: renderer.page(endpoint, "detailed", fake.listed[endpoint])["results"]
        for endpoint in ENDPOINTS
    }


def served_pages(fake: FakeLL2) -> dict[str, list[dict[str, Any]]]:
    """Every object the fake lists, as its detailed pages give them."""
    return {
        endpoint: [
            item
            for offset in range(0, len(fake.listed[endpoint]), 100)
            for item in fake.page(
                endpoint,
                {"mode": "detailed", "limit": "100", "ordering": "id", "offset": str(offset)},
            )["results"]
        ]
        for endpoint in ENDPOINTS
    }


async def cursors(engine: AsyncEngine) -> dict[str, tuple[Any, ...]]:
    """Per endpoint: (pass_number, next_url, pages_done, records, total, last_full_pass)."""
    t = SYNC_ENDPOINT.c
    async with engine.connect() as conn:
        rows = await conn.execute(
            sa.select(
                t.endpoint,
                t.pass_number,
                t.next_url,
                t.pages_done,
                t.records,
                t.total,
                t.last_full_pass,
            )
        )
        return {row[0]: tuple(row[1:]) for row in rows}


def options(fake: FakeLL2, **kwargs: Any) -> SyncOptions:
    settings: dict[str, Any] = {"base_url": fake.base_url, "timeout": 5.0} | kwargs
    return SyncOptions(**settings)


async def run(
    engine: AsyncEngine, fake: FakeLL2, clock: SimulatedClock, **kwargs: Any
) -> SyncResult:
    return await sync(engine, options(fake, **kwargs), clock=clock, rng=random.Random(7))
