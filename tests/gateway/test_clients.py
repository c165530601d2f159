"""Real GraphQL clients against a live server, each receiving the same data.

Python's `gql` (POST, application/json), urql with its defaults (GET while the URL stays short)
and Apollo Client 4 (POST, asking for application/graphql-response+json first).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from gql import Client, GraphQLRequest
from gql.transport.httpx import HTTPXAsyncTransport

from tests.support.js import run_node
from tests.support.live import LiveServer

QUERY = """
query Craft($id: Int!) {
  craft(ll2Id: $id) { __typename ll2Id name }
  crafts(first: 2) { __typename name }
}
"""
VARIABLES = {"id": 467}
EXPECTED = {
    "craft": {"__typename": "Craft", "ll2Id": 467, "name": "Shenzhou 13"},
    "crafts": [
        {"__typename": "Craft", "name": "Shenzhou 13"},
        {"__typename": "Craft", "name": "Tianzhou-5"},
    ],
}


async def test_python_gql_client_posts_and_gets_the_data(http_server: LiveServer) -> None:
    exchanges: list[dict[str, Any]] = []

    async def record(response: httpx.Response) -> None:
        exchanges.append(
            {
                "method": response.request.method,
                "status": response.status_code,
                "content_type": response.headers["content-type"],
            }
        )

    transport = HTTPXAsyncTransport(
        url=f"{http_server.url}/graphql", event_hooks={"response": [record]}
    )
    async with Client(transport=transport) as session:
        data = await session.execute(GraphQLRequest(QUERY, variable_values=VARIABLES))
    assert data == EXPECTED
    assert exchanges == [
        {"method": "POST", "status": 200, "content_type": "application/json; charset=utf-8"}
    ]


def test_urql_gets_and_apollo_posts_and_both_get_the_same_data(http_server: LiveServer) -> None:
    url = f"{http_server.url}/graphql"
    answers = run_node("clients.mjs", url, QUERY, json.dumps(VARIABLES))

    urql, apollo = answers["urql"], answers["apollo"]
    assert urql["data"] == EXPECTED
    assert apollo["data"] == EXPECTED
    (urql_exchange,) = urql["exchanges"]
    assert urql_exchange["method"] == "GET"
    assert urql_exchange["url"].startswith(f"{url}?query=")
    assert "variables=%7B%22id%22%3A467%7D" in urql_exchange["url"]
    assert urql_exchange["status"] == 200
    (apollo_exchange,) = apollo["exchanges"]
    assert apollo_exchange == {
        "method": "POST",
        "url": url,
        "accept": "application/graphql-response+json,application/json;q=0.9",
        "status": 200,
        "contentType": "application/graphql-response+json; charset=utf-8",
    }


def test_urql_falls_back_to_post_when_the_url_would_be_too_long(http_server: LiveServer) -> None:
    # Long aliases (at most 30 are allowed) make a URL longer than urql's 2,048 characters.
    long = "craftWhoseAliasIsLongEnoughToMakeTheUrlTooLongForGet"
    aliases = " ".join(f"{long}{i}: craft(ll2Id: 484) {{ __typename name }}" for i in range(25))
    query = QUERY.replace("crafts(first: 2)", f"{aliases} crafts(first: 2)")
    expected = {
        **EXPECTED,
        **{f"{long}{i}": {"__typename": "Craft", "name": "Mercury No.6"} for i in range(25)},
    }
    answers = run_node("clients.mjs", f"{http_server.url}/graphql", query, json.dumps(VARIABLES))
    assert answers["urql"]["data"] == expected
    assert answers["apollo"]["data"] == expected
    assert [e["method"] for e in answers["urql"]["exchanges"]] == ["POST"]
