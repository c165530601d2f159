"""The per-client rate limit on a live server: off by default; on, a budget of nodes per minute
per client (the remote address, or the forwarded one from a trusted proxy only)."""

from __future__ import annotations

import httpx
import pytest

from tests.gateway.conftest import ServeApp, answer
from tests.support.live import LiveServer

FORTY = "{ allSpacecraft(first: 40) { totalCount } }"
GQL = "application/graphql-response+json"


def post(server: LiveServer, accept: str = GQL, **headers: str) -> httpx.Response:
    return httpx.post(
        f"{server.url}/graphql", json={"query": FORTY}, headers={"accept": accept, **headers}
    )


def test_off_by_default(serve_app: ServeApp, shared_url: str) -> None:
    server = serve_app(schema=None, database_url=shared_url)
    for _ in range(5):
        assert post(server).json() == answer({"allSpacecraft": {"totalCount": 31}}, nodes=40)


@pytest.mark.parametrize("accept", [GQL, "application/json"])
def test_a_client_that_spent_its_budget_gets_429_with_retry_after(
    serve_app: ServeApp, shared_url: str, accept: str
) -> None:
    server = serve_app(schema=None, database_url=shared_url, rate_limit=100)
    assert [post(server, accept).status_code for _ in range(2)] == [200, 200]
    refused = post(server, accept)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 12  # 20 nodes left, 20 more at 100/min
    body = refused.json()
    assert body["extensions"] == {"cost": {"nodes": 40, "limit": 50_000}}
    (error,) = body["errors"]
    assert error["extensions"] == {"code": "RATE_LIMITED"}
    assert error["message"].startswith(
        "rate limit reached: a client may spend 100 nodes a minute, and this operation costs 40"
    )
    # A cheap operation still fits in what is left.
    cheap = httpx.post(
        f"{server.url}/graphql", json={"query": "{ allSpacecraft(first: 5) { totalCount } }"}
    )
    assert cheap.status_code == 200


def test_forwarded_addresses_count_only_from_trusted_proxies(
    serve_app: ServeApp, shared_url: str
) -> None:
    trusted = serve_app(
        schema=None, database_url=shared_url, rate_limit=80, trusted_proxies=["127.0.0.1"]
    )
    one, other = {"x-forwarded-for": "203.0.113.5"}, {"x-forwarded-for": "203.0.113.6"}
    assert [post(trusted, **one).status_code for _ in range(3)] == [200, 200, 429]
    assert [post(trusted, **other).status_code for _ in range(3)] == [200, 200, 429]

    untrusted = serve_app(schema=None, database_url=shared_url, rate_limit=80)
    assert [post(untrusted, **one).status_code for _ in range(2)] == [200, 200]
    assert post(untrusted, **other).status_code == 429  # the same client: the loopback address
