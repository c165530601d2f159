"""Slow and stuck requests are cut at the execution deadline with `TIMEOUT`, their statements
stopped in the database, and the worker keeps serving: on a real server, on both backends."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import sqlalchemy as sa

from db.engine import create_engine
from tests.gateway.conftest import ServeApp, answer
from tests.support.live import LiveServer

GQL = "application/graphql-response+json"
JSON = "application/json"


def timed_out(seconds: str, nodes: int = 0) -> dict[str, object]:
    return {
        "errors": [
            {
                "message": f"the operation ran longer than {seconds} s and was stopped; ask for "
                "less in one operation",
                "extensions": {"code": "TIMEOUT"},
            }
        ],
        "extensions": {"cost": {"nodes": nodes, "limit": 50_000}},
    }


def post(server: LiveServer, query: str, accept: str = GQL) -> httpx.Response:
    return httpx.post(
        f"{server.url}/graphql", json={"query": query}, headers={"accept": accept}, timeout=60
    )


@pytest.mark.parametrize("accept", [GQL, JSON])
def test_a_slow_resolver_is_cut_with_504(serve_app: ServeApp, shared_url: str, accept: str) -> None:
    server = serve_app(database_url=shared_url, execution_timeout=0.5)
    response = post(server, "{ slow(seconds: 30) }", accept)
    assert response.status_code == 504
    assert response.json() == timed_out("0.5")
    assert post(server, "{ slow(seconds: 0.1) }").json() == answer({"slow": 0.1})


@pytest.mark.parametrize("field", ["stuckStatement", "stuckInLoader"])
def test_a_statement_that_never_ends_is_stopped_and_the_worker_serves_on(
    serve_app: ServeApp, bundled_url: str, backend: str, field: str
) -> None:
    server = serve_app(database_url=bundled_url, execution_timeout=0.3)
    # More than the engine's pool holds (5 + 10 overflow): a connection kept by a cut request
    # would leave the later ones waiting, and the normal request after them.
    for _ in range(20):
        response = post(server, f"{{ {field} }}")
        assert (response.status_code, response.json()) == (504, timed_out("0.3"))
    with ThreadPoolExecutor(4) as pool:
        cut = list(pool.map(lambda _: post(server, f"{{ {field} }}").status_code, range(4)))
    assert cut == [504] * 4
    assert post(server, "{ datasetVersion }").json() == answer({"datasetVersion": 1})
    if backend == "postgresql":
        assert asyncio.run(running_statements(bundled_url, "pg_sleep")) == []


async def running_statements(url: str, like: str) -> list[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                sa.text(
                    "SELECT query FROM pg_stat_activity WHERE state = 'active' "
                    "AND pid <> pg_backend_pid() AND query LIKE :like"
                ),
                {"like": f"%{like}%"},
            )
            return [row.query for row in rows]
    finally:
        await engine.dispose()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)  # SQLite readers never wait
def test_a_query_stuck_behind_a_lock_is_cut_on_both_paths(
    serve_app: ServeApp, bundled_url: str
) -> None:
    """The real schema on PostgreSQL, its tables locked by another session: the gateway's
    statements wait, and are cancelled on the server when the request is cut."""
    server = serve_app(schema=None, database_url=bundled_url, execution_timeout=0.5)
    compiled = "{ allSpacecraft(first: 3) { nodes { name } } }"
    resolved = "{ allSpacecraft(first: 3) { nodes { name } } __schema { queryType { name } } }"

    async def scenario() -> None:
        locker = create_engine(bundled_url)
        try:
            async with locker.connect() as conn:
                await conn.execute(sa.text("LOCK TABLE spacecraft IN ACCESS EXCLUSIVE MODE"))
                for query in (compiled, resolved):
                    response = await asyncio.to_thread(post, server, query)
                    assert (response.status_code, response.json()) == (504, timed_out("0.5", 3))
                assert await running_statements(bundled_url, "spacecraft") == []
                await conn.rollback()
        finally:
            await locker.dispose()

    asyncio.run(scenario())
    response = post(server, compiled)
    assert response.status_code == 200
    assert len(response.json()["data"]["allSpacecraft"]["nodes"]) == 3
