"""Fuzzing the live server: hypothesis-graphql writes queries from the schema, valid ones
(`Mode.POSITIVE`) and ones with a violation (`Mode.NEGATIVE`); every answer must be a
well-formed GraphQL response, never a 5xx.

    GATEWAY_FUZZ_EXAMPLES=20000 pytest tests/gateway/test_fuzz_http.py -s   # a longer run

GATEWAY_FUZZ_EXAMPLES (1,000 by default) is shared by the two modes. hypothesis-graphql takes
about 0.1 s to write a query for this schema, so that is where the time goes. The figures
(examples, distinct codes, server errors) are printed at the end of each mode.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, queries

from gateway.schema import schema
from tests.gateway.conftest import start_server
from tests.gateway.test_compiled_fuzz import CUSTOM_SCALARS
from tests.support.live import LiveServer

EXAMPLES = int(os.environ.get("GATEWAY_FUZZ_EXAMPLES", "1000"))
GQL = "application/graphql-response+json"
JSON = "application/json"


@pytest.fixture(scope="module")
def client(shared_url: str) -> Iterator[httpx.Client]:
    server: LiveServer = start_server(schema=None, database_url=shared_url)  # type: ignore[arg-type]
    with httpx.Client(base_url=server.url, timeout=60) as http:
        yield http
    server.stop()


def check_error(error: Any) -> str:
    assert isinstance(error, dict), error
    assert set(error) <= {"message", "locations", "path", "extensions"}, error
    assert isinstance(error["message"], str) and error["message"]
    for location in error.get("locations", []):
        assert set(location) == {"line", "column"}
        assert all(isinstance(v, int) and v >= 1 for v in location.values())
    assert all(isinstance(p, str | int) for p in error.get("path", []))
    code = error.get("extensions", {}).get("code")
    assert code is None or isinstance(code, str)
    return str(code)


def check_response(response: httpx.Response, accept: str) -> list[str]:
    """Assert a well-formed GraphQL response with the right status; its error codes."""
    assert response.status_code < 500, response.text
    assert response.headers["content-type"] == f"{accept}; charset=utf-8"
    body = response.json()
    assert isinstance(body, dict) and set(body) <= {"data", "errors", "extensions"}, body
    assert "data" in body or "errors" in body
    if "data" in body:
        assert body["data"] is None or isinstance(body["data"], dict)
        assert response.status_code == 200
        assert body["extensions"]["cost"]["limit"] == 50_000
    elif accept == GQL:
        assert 400 <= response.status_code < 500
    errors = body.get("errors", [])
    assert isinstance(errors, list)
    assert "errors" not in body or errors
    return [check_error(e) for e in errors]


@pytest.mark.parametrize("mode", [Mode.POSITIVE, Mode.NEGATIVE], ids=["valid", "invalid"])
def test_generated_queries_get_well_formed_answers(client: httpx.Client, mode: Mode) -> None:
    seen: Counter[str] = Counter()
    server_errors: list[str] = []

    @settings(
        max_examples=EXAMPLES // 2,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        query=queries(schema.as_str(), custom_scalars=CUSTOM_SCALARS, mode=mode),
        accept=st.sampled_from([GQL, JSON]),
    )
    def check(query: str, accept: str) -> None:
        response = client.post("/graphql", json={"query": query}, headers={"accept": accept})
        if response.status_code >= 500:
            server_errors.append(query)
        seen["examples"] += 1
        for code in check_response(response, accept):
            seen[code] += 1

    check()
    codes = sorted(c for c in seen if c != "examples")
    print(
        f"\nfuzzing ({mode.name.lower()}): {seen['examples']} examples, "
        f"{len(codes)} distinct error codes {codes}, {len(server_errors)} server errors"
    )
    assert server_errors == []
    assert seen["examples"] >= EXAMPLES // 2
    if mode is Mode.NEGATIVE:
        assert "GRAPHQL_VALIDATION_FAILED" in codes
