"""`datasetInfo` in the API and `/readyz`: the source, the version, counts, age, sync failures."""

from __future__ import annotations

import copy

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from db.state import read_state
from db.sync import SimulatedClock
from tests.gateway.conftest import ServeApp
from tests.support.fake_ll2 import FakeLL2, Fault, bundled_graph
from tests.support.graphql import data
from tests.support.sync import run

QUERY = """{ datasetInfo { source version
  counts { typeName count } lastSync { outcome } lastSyncFailure { error } } }"""


async def test_dataset_info_of_the_bundled_dataset(reader: AsyncEngine) -> None:
    got = (await data(reader, QUERY))["datasetInfo"]
    counts = {c["typeName"]: c["count"] for c in got.pop("counts")}
    assert got == {"source": "bundled", "version": 1, "lastSync": None, "lastSyncFailure": None}
    assert (counts["Spacecraft"], counts["SpacecraftFlight"], counts["Agency"]) == (31, 1, 8)
    assert counts["DockingEvent"] == 0 and len(counts) == 46
    age = (await data(reader, "{ datasetInfo { age completedAt } }"))["datasetInfo"]
    assert age["age"].startswith("P") and age["completedAt"].endswith("Z")


async def test_a_failed_sync_shows_in_dataset_info_and_readyz(
    bundled_engine: AsyncEngine, bundled_url: str, serve_app: ServeApp
) -> None:
    async with bundled_engine.connect() as conn:
        state = await read_state(conn)
    assert state is not None and state.updated_at is not None
    clock = SimulatedClock(state.updated_at)
    with FakeLL2(copy.deepcopy(bundled_graph()), limit=None, clock=clock) as fake:
        fake.faults.append(Fault("agencies", 0, status=500, times=None))
        failed = await run(bundled_engine, fake, clock, retries=0)
    live = serve_app(database_url=bundled_url, schema=None)
    async with httpx.AsyncClient() as client:
        answer = (await client.post(f"{live.url}/graphql", json={"query": QUERY})).json()
        ready = (await client.get(f"{live.url}/readyz")).json()
    info = answer["data"]["datasetInfo"]
    assert info["lastSync"] == {"outcome": "failed"}
    assert info["lastSyncFailure"] == {"error": failed.detail}
    assert ready["dataset"]["last_sync_failure"]["error"] == failed.detail
