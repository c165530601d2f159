"""Root totals are counted once per data version, on both paths, and afresh after an import."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from db.ingest import ingest
from gateway.loaders.counts import CountCache
from tests.gateway.conftest import ServeApp
from tests.support.caching import statements
from tests.support.data import sample_spacecraft, write_json

QUERY = "query($n: Int) { allSpacecraft(first: $n, filter: {inSpace: {eq: false}}) { totalCount nodes { ll2Id } } }"


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "resolvers"])
async def test_a_total_is_counted_once_per_version(
    serve_app: ServeApp,
    bundled_url: str,
    bundled_engine: AsyncEngine,
    tmp_path: Path,
    compiled: bool,
) -> None:
    server = serve_app(database_url=bundled_url, schema=None, debug=True, compiled=compiled)
    counts: CountCache = server.app.state.counts

    async def ask(client: httpx.AsyncClient, n: int) -> tuple[int, int]:
        response = await client.post(
            f"{server.url}/graphql", json={"query": QUERY, "variables": {"n": n}}
        )
        body = response.json()
        assert "errors" not in body, body
        return body["data"]["allSpacecraft"]["totalCount"], statements(response)

    async with httpx.AsyncClient() as client:
        first, first_statements = await ask(client, 1)
        second, second_statements = await ask(client, 2)  # another page: not in the result cache
        extra = sample_spacecraft()[0] | {"id": 99001, "name": "Newcomer", "in_space": False}
        page = {
            "count": 1,
            "next": "https://ll.thespacedevs.com/2.3.0/spacecraft/?offset=9",
            "previous": None,
            "results": [extra],
        }
        await ingest(bundled_engine, [write_json(tmp_path / "more.json", page)])
        third, _ = await ask(client, 3)
    assert (first, second, third) == (30, 30, 31)
    assert second_statements == first_statements - 1, "the second total came from the cache"
    assert (counts.misses, counts.hits) == (2, 1)


async def test_with_caches_off_every_total_is_counted(
    serve_app: ServeApp, bundled_url: str
) -> None:
    server = serve_app(database_url=bundled_url, schema=None, debug=True, cache=False)
    assert server.app.state.counts is None
    async with httpx.AsyncClient() as client:
        for n in (1, 2):
            response = await client.post(
                f"{server.url}/graphql", json={"query": QUERY, "variables": {"n": n}}
            )
            assert response.json()["data"]["allSpacecraft"]["totalCount"] == 30
