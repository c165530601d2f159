"""The result cache over HTTP, on both backends: answers kept by request and dataset version.

A debug server reports the statements each request ran (`extensions.sql`): with the cache on, a
request reads the version (1 statement) and then either finds its answer or runs the query;
with every cache off it runs the query's statements and nothing else.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.gateway.conftest import ServeApp
from tests.support.caching import (
    CRAFT,
    CRAFT_ID,
    CRAFT_NAME,
    craft_body,
    graphql_view,
    result_cache,
    statements,
    without_sql,
)
from tests.support.data import rename_spacecraft

FLIGHTS = """query Flights($id: Int!) { spacecraft(ll2Id: $id) { name
  flights(first: 5) { nodes { ll2Id launch { name } } } } }"""


async def _ask(client: httpx.AsyncClient, url: str, ll2_id: int = CRAFT_ID) -> httpx.Response:
    response = await client.post(
        f"{url}/graphql", json={"query": CRAFT, "variables": {"id": ll2_id}}
    )
    assert response.status_code == 200, response.text
    return response


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "resolvers"])
async def test_a_query_after_an_import_gets_the_new_data(
    serve_app: ServeApp,
    bundled_url: str,
    bundled_engine: AsyncEngine,
    tmp_path: Path,
    compiled: bool,
) -> None:
    server = serve_app(database_url=bundled_url, schema=None, debug=True, compiled=compiled)
    async with httpx.AsyncClient() as client:
        first = await _ask(client, server.url)
        again = await _ask(client, server.url)
        await rename_spacecraft(bundled_engine, CRAFT_ID, "Shenzhou 13 (renamed)", tmp_path)
        after = await _ask(client, server.url)
        after_again = await _ask(client, server.url)
    assert [without_sql(r.json()) for r in (first, again, after, after_again)] == [
        craft_body(CRAFT_NAME),
        craft_body(CRAFT_NAME),
        craft_body("Shenzhou 13 (renamed)"),
        craft_body("Shenzhou 13 (renamed)"),
    ]
    # The version, then the query; then the version alone, as long as the data stays the same.
    assert [statements(r) for r in (first, again, after, after_again)] == [2, 1, 2, 1]
    cache = result_cache(server)
    assert (cache.hits, cache.misses, len(cache.store)) == (2, 2, 1)  # the old answer is gone


async def test_a_hit_is_the_same_bytes_as_the_miss(serve_app: ServeApp, bundled_url: str) -> None:
    server = serve_app(database_url=bundled_url, schema=None)
    body = {"query": FLIGHTS, "variables": {"id": CRAFT_ID}}
    async with httpx.AsyncClient() as client:
        miss = await client.post(f"{server.url}/graphql", json=body)
        hit = await client.post(f"{server.url}/graphql", json=body)
    assert miss.status_code == hit.status_code == 200
    assert miss.content == hit.content
    assert miss.json()["data"]["spacecraft"]["name"] == CRAFT_NAME
    assert result_cache(server).hits == 1


async def test_with_every_cache_off_no_statement_is_added(
    serve_app: ServeApp, bundled_url: str
) -> None:
    off = serve_app(database_url=bundled_url, schema=None, debug=True, cache=False)
    resolvers_off = serve_app(
        database_url=bundled_url, schema=None, debug=True, cache=False, compiled=False
    )
    resolvers_on = serve_app(database_url=bundled_url, schema=None, debug=True, compiled=False)
    body = {"query": FLIGHTS, "variables": {"id": CRAFT_ID}}
    async with httpx.AsyncClient() as client:
        counts = {}
        for name, server in (("off", off), ("resolvers off", resolvers_off), ("on", resolvers_on)):
            answers = [await client.post(f"{server.url}/graphql", json=body) for _ in range(2)]
            assert answers[0].json()["data"] == answers[1].json()["data"]
            counts[name] = [statements(a) for a in answers]
    by_levels = counts["resolvers off"][0]  # one per level of the query
    assert counts == {
        "off": [1, 1],
        "resolvers off": [by_levels, by_levels],
        "on": [by_levels + 1, 1],
    }
    assert by_levels > 1
    for server in (off, resolvers_off):
        caching = graphql_view(server).caching
        assert (caching.results, caching.http) == (None, None)


async def test_answers_with_errors_are_not_kept(serve_app: ServeApp, bundled_url: str) -> None:
    server = serve_app(database_url=bundled_url, schema=None, debug=True)
    # A node id that names no type: a field error beside the data of the other field.
    query = '{ spacecraft(ll2Id: 467) { name } node(id: "bm90LWEtdHlwZTox") { id } }'
    async with httpx.AsyncClient() as client:
        answers = [
            await client.get(f"{server.url}/graphql", params={"query": query}) for _ in range(2)
        ]
    for answer in answers:
        payload = answer.json()
        assert payload["data"]["spacecraft"] == {"name": CRAFT_NAME}
        assert payload["errors"], payload
        assert "etag" not in answer.headers and "cache-control" not in answer.headers
    assert statements(answers[1]) > 1  # executed again
    assert len(result_cache(server).store) == 0


async def test_the_cache_keeps_its_bound_in_entries(serve_app: ServeApp, bundled_url: str) -> None:
    server = serve_app(database_url=bundled_url, schema=None, debug=True, result_cache_size=2)
    async with httpx.AsyncClient() as client:
        for ll2_id in (467, 147, 89):  # the third evicts the first
            await _ask(client, server.url, ll2_id)
        first_again = await _ask(client, server.url, 467)  # evicts 147
        last_again = await _ask(client, server.url, 89)
        second_again = await _ask(client, server.url, 147)
    assert [statements(r) for r in (first_again, last_again, second_again)] == [2, 1, 2]
    assert len(result_cache(server).store) == 2


async def test_the_cache_keeps_its_bound_in_bytes(serve_app: ServeApp, bundled_url: str) -> None:
    # Room for one small answer, not two: each new one evicts the one before.
    server = serve_app(database_url=bundled_url, schema=None, debug=True, result_cache_bytes=350)
    async with httpx.AsyncClient() as client:
        answers = [await _ask(client, server.url, i) for i in (467, 147, 147, 467)]
    assert [statements(r) for r in answers] == [2, 2, 1, 2]
    cache = result_cache(server)
    assert len(cache.store) == 1 and cache.store.bytes <= 350


async def test_dataset_info_is_never_served_from_the_cache(
    serve_app: ServeApp, bundled_url: str
) -> None:
    live = serve_app(database_url=bundled_url, schema=None)
    query = {"query": "query Age { ...Facts } fragment Facts on Query { datasetInfo { age } }"}
    async with httpx.AsyncClient() as client:
        first = await client.get(f"{live.url}/graphql", params=query)
        await asyncio.sleep(1.1)
        second = await client.get(f"{live.url}/graphql", params=query)
    assert "etag" not in first.headers and "etag" not in second.headers
    assert first.json()["data"]["datasetInfo"]["age"] != second.json()["data"]["datasetInfo"]["age"]
