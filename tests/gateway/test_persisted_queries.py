"""Automatic Persisted Queries (Apollo's protocol): not found, registered, then the hash alone.

The protocol needs no database, so most of it is checked on the tests' sample schema; the
round trips with the real schema (and Apollo Client's own link) run on both backends.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import httpx
import pytest

from tests.gateway.conftest import ServeApp
from tests.support.bodies import answer as body
from tests.support.caching import CRAFT, CRAFT_ID, CRAFT_NAME, craft_body
from tests.support.js import run_node
from tests.support.live import LiveServer

JSON = {"Accept": "application/json"}
NOT_FOUND = {
    "errors": [
        {"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}
    ]
}
NOT_SUPPORTED = {
    "errors": [
        {
            "message": "PersistedQueryNotSupported",
            "extensions": {"code": "PERSISTED_QUERY_NOT_SUPPORTED"},
        }
    ]
}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(query: str, *, version: Any = 1, digest: str | None = None) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": digest or sha256(query)}}


def hash_only_get(
    server: LiveServer, query: str, variables: dict[str, Any], headers: dict[str, str] | None = None
) -> httpx.Response:
    params = {
        "variables": json.dumps(variables),
        "extensions": json.dumps(persisted(query)),
    }
    return httpx.get(f"{server.url}/graphql", params=params, headers={**JSON, **(headers or {})})


def test_not_found_then_registered_then_the_hash_alone_over_get(
    serve_app: ServeApp, bundled_url: str
) -> None:
    server = serve_app(database_url=bundled_url, schema=None)
    variables = {"id": CRAFT_ID}
    unknown = hash_only_get(server, CRAFT, variables)
    assert (unknown.status_code, unknown.json()) == (200, NOT_FOUND)
    assert unknown.headers["cache-control"] == "no-store"

    registered = httpx.post(
        f"{server.url}/graphql",
        json={"query": CRAFT, "variables": variables, "extensions": persisted(CRAFT)},
        headers=JSON,
    )
    assert (registered.status_code, registered.json()) == (200, craft_body(CRAFT_NAME))

    short = hash_only_get(server, CRAFT, variables)
    assert (short.status_code, short.json()) == (200, craft_body(CRAFT_NAME))
    assert "query=" not in str(short.request.url)
    # The short URL is cacheable like any GET: its ETag revalidates to 304.
    etag = short.headers["etag"]
    assert hash_only_get(server, CRAFT, variables, {"If-None-Match": etag}).status_code == 304
    other = hash_only_get(server, CRAFT, {"id": 147})
    assert other.json() == craft_body("Soyuz 37")


def test_not_found_is_400_under_graphql_response_json(http_server: LiveServer) -> None:
    query = "{ craft(ll2Id: 1) { name } }"
    answer = httpx.get(
        f"{http_server.url}/graphql",
        params={"extensions": json.dumps(persisted(query))},
        headers={"Accept": "application/graphql-response+json"},
    )
    assert (answer.status_code, answer.json()) == (400, NOT_FOUND)


def test_a_hash_that_is_not_the_querys_is_refused(http_server: LiveServer) -> None:
    query = "{ craft(ll2Id: 467) { name } }"
    wrong = sha256(query + " ")
    answer = httpx.post(
        f"{http_server.url}/graphql",
        json={"query": query, "extensions": persisted(query, digest=wrong)},
        headers=JSON,
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "errors": [
            {
                "message": "provided sha does not match query: "
                f"`extensions.persistedQuery.sha256Hash` is {wrong}, and the SHA-256 of "
                f"`query` (its UTF-8 text, as sent) is {sha256(query)}",
                "extensions": {"code": "BAD_REQUEST"},
            }
        ]
    }
    # Nothing was registered under the wrong hash.
    answer = httpx.post(
        f"{http_server.url}/graphql",
        json={"extensions": persisted(query, digest=wrong)},
        headers=JSON,
    )
    assert answer.json() == NOT_FOUND


@pytest.mark.parametrize(
    ("extension", "message"),
    [
        pytest.param(
            "yes",
            '`extensions.persistedQuery` must be an object ({"version": 1, "sha256Hash": '
            '"<hex>"}), not "yes"',
            id="not-an-object",
        ),
        pytest.param(
            {"version": 2, "sha256Hash": "0" * 64},
            "`extensions.persistedQuery.version` must be 1, the only version of Automatic "
            "Persisted Queries, not 2",
            id="version",
        ),
        pytest.param(
            {"version": 1, "sha256Hash": "abc"},
            "`extensions.persistedQuery.sha256Hash` must be the document's SHA-256 as 64 hex "
            'digits (or `sha256:<hex>`), not "abc"',
            id="hash",
        ),
    ],
)
def test_malformed_persisted_query_extensions_are_400(
    http_server: LiveServer, extension: Any, message: str
) -> None:
    answer = httpx.post(
        f"{http_server.url}/graphql",
        json={"extensions": {"persistedQuery": extension}},
        headers=JSON,
    )
    assert (answer.status_code, answer.json()) == (
        400,
        {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]},
    )


def test_an_uppercase_hash_names_the_same_query(http_server: LiveServer) -> None:
    query = "{ craft(ll2Id: 467) { ll2Id } }"
    httpx.post(
        f"{http_server.url}/graphql",
        json={"query": query, "extensions": persisted(query)},
        headers=JSON,
    )
    upper = persisted(query, digest=sha256(query).upper())
    answer = httpx.get(
        f"{http_server.url}/graphql",
        params={"extensions": json.dumps(upper)},
        headers=JSON,
    )
    assert answer.json() == body({"craft": {"ll2Id": 467}})


def test_turned_off_a_hash_alone_is_not_supported(serve_app: ServeApp, shared_url: str) -> None:
    server = serve_app(database_url=shared_url, persisted_queries=0)
    query = "{ craft(ll2Id: 467) { name } }"
    alone = httpx.post(f"{server.url}/graphql", json={"extensions": persisted(query)}, headers=JSON)
    assert (alone.status_code, alone.json()) == (200, NOT_SUPPORTED)
    with_text = httpx.post(
        f"{server.url}/graphql",
        json={"query": query, "extensions": persisted(query)},
        headers=JSON,
    )
    assert with_text.json() == body({"craft": {"name": "Shenzhou 13"}})


def test_the_store_is_bounded(serve_app: ServeApp, shared_url: str) -> None:
    server = serve_app(database_url=shared_url, persisted_queries=2)
    queries = [f"{{ craft(ll2Id: {n}) {{ name }} }}" for n in (467, 465, 484)]
    for query in queries:  # the third pushes the first out
        httpx.post(
            f"{server.url}/graphql",
            json={"query": query, "extensions": persisted(query)},
            headers=JSON,
        )
    answers = [
        httpx.post(
            f"{server.url}/graphql", json={"extensions": persisted(query)}, headers=JSON
        ).json()
        for query in queries
    ]
    assert answers[0] == NOT_FOUND
    assert [a["data"]["craft"]["name"] for a in answers[1:]] == ["Tianzhou-5", "Mercury No.6"]


def test_apollo_clients_persisted_query_link(serve_app: ServeApp, bundled_url: str) -> None:
    server = serve_app(database_url=bundled_url, schema=None)
    report = run_node("apq.mjs", f"{server.url}/graphql", CRAFT, json.dumps({"id": CRAFT_ID}))
    data = {"spacecraft": {"__typename": "Spacecraft", "name": CRAFT_NAME}}
    assert report["first"]["data"] == report["second"]["data"] == data
    first, second = report["first"]["exchanges"], report["second"]["exchanges"]
    hashed_get = {"method": "GET", "sentQuery": False, "sentHash": True}
    assert [_shape(e) for e in first] == [
        # Apollo asks for application/graphql-response+json: a request error is a 400 there.
        {**hashed_get, "status": 400, "errorCodes": ["PERSISTED_QUERY_NOT_FOUND"]},
        {"method": "POST", "sentQuery": True, "sentHash": True, "status": 200, "errorCodes": []},
    ]
    assert [_shape(e) for e in second] == [{**hashed_get, "status": 200, "errorCodes": []}]
    assert second[0]["etag"]  # the short GET is cacheable


def _shape(exchange: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in exchange.items() if k != "etag"}
