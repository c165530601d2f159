"""Over HTTP, the compiled path answers in one statement what the resolvers answer."""

from __future__ import annotations

import httpx
import pytest

from tests.gateway.conftest import ServeApp

QUERIES = [
    "{ allSpacecraft(first: 5, orderBy: [{field: TIME_IN_SPACE}]) { totalCount pageInfo { endCursor hasNextPage } "
    "nodes { id name timeInSpace status { name } spacecraftConfig { name agency { abbrev } family { name } } } } }",
    "{ spacecraftFlight(ll2Id: 358) { duration launch { net pad { name } } launchCrew { astronaut { name } } } }",
    "query Q($n: Int) { allAgencies(first: $n) { edges { cursor node { name type { name } } } } }",
]


@pytest.mark.parametrize("query", QUERIES)
async def test_compiled_and_resolved_answers_are_the_same(
    serve_app: ServeApp, bundled_url: str, query: str
) -> None:
    # Caches off: they would add the version's statement, and answer the second time.
    compiled = serve_app(database_url=bundled_url, schema=None, debug=True, cache=False)
    resolved = serve_app(
        database_url=bundled_url, schema=None, debug=True, compiled=False, cache=False
    )
    body = {"query": query, "variables": {"n": 3}}
    async with httpx.AsyncClient() as client:
        a = (await client.post(f"{compiled.url}/graphql", json=body)).json()
        b = (await client.post(f"{resolved.url}/graphql", json=body)).json()
    assert a["extensions"]["sql"]["statements"] == 1
    assert b["extensions"]["sql"]["statements"] > 1
    assert a["data"] == b["data"] and "errors" not in a
