"""Abusive requests against a real server on a loopback port, one class each: the status, the
code, and the server answering the next normal request as if nothing had happened. The last
ones run against a `serve` process while a monitor's query keeps being answered: idle
connections by the thousand, malformed HTTP, pipelining, hostile search text."""

from __future__ import annotations

import shutil
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import pytest

from tests.gateway.conftest import ServeApp, answer, start_server
from tests.support import rawhttp
from tests.support.live import LiveServer
from tests.support.monitor import Monitor
from tests.support.pgserver import free_port
from tests.support.processes import Process

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


# abuse beyond the usual, against a `serve` process, a monitor's query answered throughout ---


@pytest.fixture(scope="module")
def served(shared_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`spacecraft-gateway serve` on a copy of the bundled dataset, with the default settings."""
    directory = tmp_path_factory.mktemp("served")
    shutil.copy(shared_url.removeprefix("sqlite:///"), directory / "bundled.db")
    port = free_port()
    env = {"DATABASE_URL": f"sqlite:///{directory / 'bundled.db'}", "GATEWAY_PORT": str(port)}
    process = Process([".venv/bin/spacecraft-gateway", "serve"], env, directory)
    url = f"http://127.0.0.1:{port}"
    try:
        process.wait_until_up(url)
        yield Served(process, url)
    finally:
        process.stop()
    assert "Traceback" not in process.stderr, process.stderr[
        process.stderr.index("Traceback") - 500 :
    ][:3000]


@dataclass
class Served:
    process: Process
    url: str


def no_fault_of_ours(response: rawhttp.RawResponse | httpx.Response) -> None:
    status = response.status if isinstance(response, rawhttp.RawResponse) else response.status_code
    text = response.body if isinstance(response, rawhttp.RawResponse) else response.content
    assert status < 500, (status, text[:300])
    assert b"Traceback" not in text and b"INTERNAL_SERVER_ERROR" not in text


def test_2000_idle_keep_alive_connections(served: Served, file_limits: None) -> None:
    """Each asks once (a hundred at a time) and keeps its connection open; the monitor is
    answered meanwhile, and while all of them are held."""
    request = rawhttp.head(served.url, {"Accept": JSON}, method="GET")
    request = request.replace(b"/graphql", b"/graphql?query=%7B__typename%7D")
    held: list[socket.socket] = []
    answered = 0
    try:
        with Monitor(served.url) as monitor:
            for _ in range(20):
                batch = [rawhttp.connect(served.url) for _ in range(100)]
                for sock in batch:
                    sock.sendall(request)
                for sock in batch:
                    answered += rawhttp.read_response(sock).status == 200
                held += batch
            time.sleep(1)  # all 2,000 held, idle
        monitor.check()
    finally:
        for sock in held:
            sock.close()
    assert answered == 2000


def test_variables_nested_100000_deep(served: Served) -> None:
    body = b'{"query": "{ __typename }", "variables": {"v": ' + b"[" * 100_000 + b"]" * 100_000
    body += b"}}"
    with Monitor(served.url) as monitor:
        response = httpx.post(
            f"{served.url}/graphql", content=body, headers={"content-type": JSON}, timeout=30
        )
    monitor.check(at_least=1)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_REQUEST"}
    assert error["message"].startswith("the request body is not valid JSON: depth limit exceeded")


@pytest.mark.parametrize(
    ("request_bytes", "status", "message"),
    [
        pytest.param(
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 29\r\n\r\n" + b'{"query": "{ __typename \xff }"}',
            400,
            "the request body is not valid JSON: str is not valid UTF-8: surrogates not "
            "allowed: line 1 column 1 (char 0)",
            id="invalid-utf8-in-a-body",
        ),
        pytest.param(
            b"GET /graphql?query=%7B__typename%FF%7D HTTP/1.1\r\nHost: x\r\n\r\n",
            400,
            "Syntax Error: Unexpected character: U+FFFD.",
            id="invalid-utf8-escaped-in-a-get-query",
        ),
        pytest.param(
            b"GET /graphql?query={__typename\xff} HTTP/1.1\r\nHost: x\r\n\r\n",
            400,
            "the request is not valid HTTP/1.1: Invalid char in url query",
            id="invalid-utf8-raw-in-a-get-query",
        ),
        pytest.param(
            b"GET /graphql?query=%7B__typename%7D&x=" + b"a" * 100_000 + b" HTTP/1.1\r\n"
            b"Host: x\r\n\r\n",
            414,
            "the URL is 100034 bytes long, more than the 65535 the server reads; send a long "
            "query with POST",
            id="a-100-kb-url",
        ),
        pytest.param(
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400,
            "the request is not valid HTTP/1.1: Transfer-Encoding can't be present with "
            "Content-Length",
            id="content-length-with-transfer-encoding",
        ),
    ],
)
def test_malformed_requests_get_a_graphql_error(
    served: Served, request_bytes: bytes, status: int, message: str
) -> None:
    head, _, rest = request_bytes.partition(b"\r\n\r\n")
    head += b"\r\nAccept: " + GQL.encode() + b"\r\n\r\n"
    with Monitor(served.url) as monitor:
        response = rawhttp.send(served.url, head, [rest] if rest else [])
    monitor.check(at_least=1)
    no_fault_of_ours(response)
    assert response.status == status
    (error,) = response.json()["errors"]  # type: ignore[index]
    assert error["message"] == message


def test_50_pipelined_requests_are_answered_in_order(served: Served) -> None:
    def request(i: int) -> bytes:
        query = f"%7Bn{i}%3A__typename%7D"  # {n<i>:__typename}
        head = rawhttp.head(
            served.url, {"Accept": JSON}, method="GET", path=f"/graphql?query={query}"
        )
        return head

    with Monitor(served.url) as monitor, rawhttp.connect(served.url) as sock:
        sock.sendall(b"".join(request(i) for i in range(50)))
        answers = rawhttp.read_responses(sock, 50)
    monitor.check(at_least=1)
    assert [(a.status, a.json()) for a in answers] == [
        (200, {"data": {f"n{i}": "Query"}, "extensions": {"cost": {"nodes": 0, "limit": 50000}}})
        for i in range(50)
    ]


SEARCH = "query($s: String) { allSpacecraft(search: $s) { totalCount } }"


@pytest.mark.parametrize(
    ("text", "answer_"),
    [
        pytest.param("% _ \\", {"data": {"allSpacecraft": {"totalCount": 0}}}, id="like-wildcards"),
        pytest.param("100%", {"data": {"allSpacecraft": {"totalCount": 0}}}, id="percent"),
        pytest.param(
            "Shenzhou_13", {"data": {"allSpacecraft": {"totalCount": 0}}}, id="underscore"
        ),
        pytest.param(
            "a\x00b",
            {
                "data": None,
                "errors": [
                    {
                        "message": "`search` cannot contain NUL characters",
                        "locations": [{"line": 1, "column": 21}],
                        "path": ["allSpacecraft"],
                        "extensions": {"code": "BAD_USER_INPUT"},
                    }
                ],
            },
            id="nul",
        ),
        pytest.param(
            " ".join(f"w{i}" for i in range(10_000)),
            {
                "errors": [
                    {
                        "message": "`search` holds more than 16 words, the most a search takes; "
                        "search for fewer",
                        "locations": [{"line": 1, "column": 35}],
                        "extensions": {"code": "BAD_USER_INPUT"},
                    }
                ]
            },
            id="10000-words",
        ),
        pytest.param(
            " ".join(["\U0001f680"] * 200_000),
            {
                "errors": [
                    {
                        "message": "`search` holds more than 16 words, the most a search takes; "
                        "search for fewer",
                        "locations": [{"line": 1, "column": 35}],
                        "extensions": {"code": "BAD_USER_INPUT"},
                    }
                ]
            },
            id="1-mb-of-emoji-as-200000-words",
        ),
        pytest.param(
            "\U0001f680" * 250_000,
            {
                "errors": [
                    {
                        "message": "a word of `search` is 250000 characters long; a search "
                        "takes words of 100 characters at most",
                        "locations": [{"line": 1, "column": 35}],
                        "extensions": {"code": "BAD_USER_INPUT"},
                    }
                ]
            },
            id="1-mb-of-emoji-as-one-word",
        ),
    ],
)
def test_hostile_search_text(served: Served, text: str, answer_: dict[str, Any]) -> None:
    with Monitor(served.url) as monitor:
        for _ in range(3):  # and again: a request remembered must be answered the same
            response = httpx.post(
                f"{served.url}/graphql",
                json={"query": SEARCH, "variables": {"s": text}},
                timeout=30,
            )
            no_fault_of_ours(response)
            body = response.json()
            body.pop("extensions", None)
            assert (response.status_code, body) == (200, answer_)
    monitor.check(at_least=1)
