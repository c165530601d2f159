"""Abusive requests against a real server on a loopback port, one class each: the status, the
code, and the server answering the next normal request as if nothing had happened."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest

from tests.gateway.conftest import ServeApp, answer, start_server
from tests.support import rawhttp
from tests.support.live import LiveServer

GQL = "application/graphql-response+json"
JSON = "application/json"
NORMAL = {"query": "{ spacecraft(ll2Id: 467) { name } }"}
MiB = 1024 * 1024


@pytest.fixture(scope="module")
def gateway(shared_url: str) -> Iterator[LiveServer]:
    """The real schema over the bundled dataset, with the default limits."""
    server = start_server(schema=None, database_url=shared_url)  # type: ignore[arg-type]
    yield server
    server.stop()


def still_serving(server: LiveServer) -> None:
    response = httpx.post(f"{server.url}/graphql", json=NORMAL, timeout=10)
    assert response.status_code == 200
    assert response.json() == answer({"spacecraft": {"name": "Shenzhou 13"}})


def nested(levels: int) -> str:
    inner = "name"
    for i in range(levels):
        inner = f"spacecraftConfig {{ {inner} }}" if i % 2 else f"family {{ {inner} }}"
    return inner


GRAPHQL_ATTACKS = [
    pytest.param(
        "{ spacecraft(ll2Id: 467) { " + nested(98) + " } }",
        None,
        "MAX_DEPTH_EXCEEDED",
        id="depth-100",
    ),
    pytest.param(
        "{ " + " ".join(f"a{i}: __typename" for i in range(100)) + " }",
        None,
        "MAX_ALIASES_EXCEEDED",
        id="aliases-100",
    ),
    pytest.param(
        "{ spacecraft(ll2Id: 467) { " + "name " * 6_000 + "} }",
        None,
        "MAX_TOKENS_EXCEEDED",
        id="duplicate-fields-6000",
    ),
    pytest.param(
        "{ spacecraft(ll2Id: 467) { name " + " ".join(f"@unknown{i}" for i in range(100)) + " } }",
        None,
        "MAX_DIRECTIVES_EXCEEDED",
        id="unknown-directives-100",
    ),
    pytest.param(
        "{ spacecraft(ll2Id: 467) { ...A } } fragment A on Spacecraft { name ...B } "
        "fragment B on Spacecraft { serialNumber ...A }",
        None,
        "GRAPHQL_VALIDATION_FAILED",
        id="circular-fragments",
    ),
    pytest.param(
        "query($n: Int) { allSpacecraft(first: $n) { nodes { name } } }",
        {"n": 1_000_000},
        "BAD_USER_INPUT",
        id="first-1000000",
    ),
    pytest.param(
        "{ allAgencies(first: 100) { nodes { spacecraftConfigurations(first: 100) { nodes { "
        "spacecraft(first: 100) { nodes { name } } } } } } }",
        None,
        "COST_LIMIT_EXCEEDED",
        id="connections-100x100x100",
    ),
]


@pytest.mark.parametrize(("accept", "status"), [(GQL, 400), (JSON, 200)], ids=["gql", "json"])
@pytest.mark.parametrize(("query", "variables", "code"), GRAPHQL_ATTACKS)
def test_abusive_operations_are_refused_before_execution(
    gateway: LiveServer,
    query: str,
    variables: dict[str, Any] | None,
    code: str,
    accept: str,
    status: int,
) -> None:
    response = httpx.post(
        f"{gateway.url}/graphql",
        json={"query": query, "variables": variables},
        headers={"accept": accept},
        timeout=30,
    )
    assert response.status_code == status
    assert response.headers["content-type"] == f"{accept}; charset=utf-8"
    body = response.json()
    assert "data" not in body
    assert {e["extensions"]["code"] for e in body["errors"]} == {code}
    if code == "COST_LIMIT_EXCEEDED":
        assert body["extensions"] == {"cost": {"nodes": 1_010_100, "limit": 50_000}}
    still_serving(gateway)


def test_a_batch_of_100_operations_is_refused(gateway: LiveServer) -> None:
    batch = [NORMAL] * 100
    response = httpx.post(f"{gateway.url}/graphql", json=batch, headers={"accept": GQL})
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "message": "the request body is an array of 100 items: batched operations are "
                "not supported; send each operation in a request of its own",
                "extensions": {"code": "BATCHING_NOT_SUPPORTED"},
            }
        ]
    }
    still_serving(gateway)


def test_a_10_mib_string_variable_is_413_before_the_body_is_read(gateway: LiveServer) -> None:
    body = orjson.dumps(
        {
            "query": "query($s: String) { allSpacecraft(search: $s) { totalCount } }",
            "variables": {"s": "x" * (10 * MiB)},
        }
    )
    head = rawhttp.head(
        gateway.url,
        {
            "Content-Type": JSON,
            "Content-Length": str(len(body)),
            "Expect": "100-continue",  # how a careful client sends a large body
        },
    )
    # As such a client does, wait (here up to 5 s) for `100 Continue` or a final answer.
    response = rawhttp.send(gateway.url, head, [body], pause=5)
    assert response.status == 413
    assert response.parts_sent == 0  # refused on the declared length alone, at once
    assert response.json() == {
        "errors": [
            {
                "message": "the request body is larger than 1048576 bytes",
                "extensions": {"code": "PAYLOAD_TOO_LARGE"},
            }
        ]
    }
    assert response.closed
    still_serving(gateway)


def test_a_5_mib_chunked_body_is_cut_at_the_limit(gateway: LiveServer) -> None:
    """No Content-Length: the server counts as it reads and stops at 1 MiB."""
    head = rawhttp.head(gateway.url, {"Content-Type": JSON, "Transfer-Encoding": "chunked"})
    piece = b" " * (64 * 1024)
    parts = [rawhttp.chunk(b'{"query": "{ __typename }"' + piece)]
    parts += [rawhttp.chunk(piece)] * (5 * MiB // len(piece))
    response = rawhttp.send(gateway.url, head, parts, pause=0.01)
    assert response.status == 413
    assert response.json() == {
        "errors": [
            {
                "message": "the request body is larger than 1048576 bytes",
                "extensions": {"code": "PAYLOAD_TOO_LARGE"},
            }
        ]
    }
    # The answer came once 1 MiB had arrived (the socket buffers hold a little more), long
    # before the 5 MiB were sent.
    assert 16 <= response.parts_sent < 40
    assert response.closed
    still_serving(gateway)


def test_malformed_json_is_400(gateway: LiveServer) -> None:
    response = httpx.post(
        f"{gateway.url}/graphql",
        content=b'{"query": "{ __typename }"',
        headers={"content-type": JSON, "accept": GQL},
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_REQUEST"}
    assert error["message"].startswith("the request body is not valid JSON: ")
    still_serving(gateway)


def test_a_wrong_content_type_is_415(gateway: LiveServer) -> None:
    response = httpx.post(
        f"{gateway.url}/graphql",
        content=b"query=%7B__typename%7D",
        headers={"content-type": "application/x-www-form-urlencoded", "accept": GQL},
    )
    assert response.status_code == 415
    assert response.json() == {
        "errors": [
            {
                "message": "a POST needs `Content-Type: application/json` in UTF-8, not "
                "'application/x-www-form-urlencoded'",
                "extensions": {"code": "UNSUPPORTED_MEDIA_TYPE"},
            }
        ]
    }
    still_serving(gateway)


def test_a_body_sent_byte_by_byte_is_cut_with_408(serve_app: ServeApp, shared_url: str) -> None:
    server = serve_app(schema=None, database_url=shared_url, body_timeout=1)
    body = orjson.dumps(NORMAL)
    head = rawhttp.head(server.url, {"Content-Type": JSON, "Content-Length": str(len(body))})
    parts = [body[i : i + 1] for i in range(len(body))]
    response = rawhttp.send(server.url, head, parts, pause=0.1)  # 4 s at this pace
    assert response.status == 408
    assert response.json() == {
        "errors": [
            {
                "message": "the request body did not arrive within 1 s",
                "extensions": {"code": "REQUEST_TIMEOUT"},
            }
        ]
    }
    assert 5 <= response.parts_sent <= 15
    assert response.closed
    still_serving(server)


def test_ten_repeated_directives_get_one_error(gateway: LiveServer) -> None:
    """graphql-cop's directive overloading: one error, not one per repetition."""
    query = "{ __typename @aa @aa @aa @aa @aa @aa @aa @aa @aa @aa }"
    response = httpx.post(f"{gateway.url}/graphql", json={"query": query}, headers={"accept": GQL})
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "message": 'the directive "@aa" is repeated at one location; a directive that '
                "is not repeatable may appear once at each",
                "locations": [{"line": 1, "column": 18}],
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
            }
        ]
    }
    still_serving(gateway)
