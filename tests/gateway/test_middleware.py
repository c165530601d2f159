"""What frontend apps and operators see around every answer, on live servers: CORS,
compression, Vary, request ids, security headers, access logs, proxies, root path, hosts."""

from __future__ import annotations

import gzip
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import brotli
import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from gateway.logs import JsonFormatter
from gateway.middleware.compression import CompressionMiddleware
from gateway.middleware.security import DEFAULT_CSP, SecurityHeadersMiddleware
from gateway.settings import Settings
from tests.gateway.conftest import ServeApp, answer
from tests.support.live import LiveServer

QUERY = {"query": "query Crafts { crafts(first: 1) { name } }"}
ANSWER = answer({"crafts": [{"name": "Shenzhou 13"}]})


def cors_headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.startswith("access-control-")}


def vary(response: httpx.Response) -> list[str]:
    return [v.strip() for v in response.headers.get("vary", "").split(",") if v.strip()]


def padding(size: int) -> dict[str, str]:
    return {"query": f"{{ padding(size: {size}) }}"}


# CORS -----------------------------------------------------------------------------------------


def test_any_origin_by_default(http_server: LiveServer) -> None:
    response = httpx.post(
        f"{http_server.url}/graphql", json=QUERY, headers={"origin": "https://app.example"}
    )
    assert response.json() == ANSWER
    assert cors_headers(response) == {
        "access-control-allow-origin": "*",
        "access-control-expose-headers": "X-Request-Id, Content-Encoding, Content-Length",
    }
    assert "Origin" in vary(response)


def test_preflight_is_answered(http_server: LiveServer) -> None:
    response = httpx.options(
        f"{http_server.url}/graphql",
        headers={
            "origin": "https://app.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type, apollographql-client-name",
        },
    )
    assert response.status_code == 204
    assert cors_headers(response) == {
        "access-control-allow-origin": "*",
        "access-control-allow-methods": "GET, HEAD, POST, OPTIONS",
        "access-control-allow-headers": "content-type, apollographql-client-name",
        "access-control-max-age": "600",
    }
    assert vary(response) == [
        "Origin",
        "Access-Control-Request-Method",
        "Access-Control-Request-Headers",
    ]


@pytest.fixture
def strict_cors(serve_app: ServeApp, shared_url: str) -> LiveServer:
    return serve_app(database_url=shared_url, cors_origins=["https://app.example"], cors_max_age=60)


def test_configured_origins_are_allowed_by_name(strict_cors: LiveServer) -> None:
    response = httpx.post(
        f"{strict_cors.url}/graphql", json=QUERY, headers={"origin": "https://app.example"}
    )
    assert response.json() == ANSWER
    assert response.headers["access-control-allow-origin"] == "https://app.example"
    assert "Origin" in vary(response)
    preflight = httpx.options(
        f"{strict_cors.url}/graphql",
        headers={"origin": "https://app.example", "access-control-request-method": "GET"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "https://app.example"
    assert preflight.headers["access-control-max-age"] == "60"


def test_refused_origins_get_no_cors_headers(strict_cors: LiveServer) -> None:
    response = httpx.post(
        f"{strict_cors.url}/graphql", json=QUERY, headers={"origin": "https://evil.example"}
    )
    assert response.json() == ANSWER  # the browser, not the server, withholds it from the page
    assert cors_headers(response) == {}
    assert "Origin" in vary(response)
    preflight = httpx.options(
        f"{strict_cors.url}/graphql",
        headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
    )
    assert preflight.status_code == 403
    assert cors_headers(preflight) == {}
    assert preflight.text == "CORS: the origin https://evil.example is not allowed to call this API"


# Compression ----------------------------------------------------------------------------------


def send_raw(url: str, body: Any, accept_encoding: str | None) -> tuple[httpx.Response, bytes]:
    headers = {"content-type": "application/json"}
    if accept_encoding is not None:
        headers["accept-encoding"] = accept_encoding
    with httpx.Client() as client:
        del client.headers["accept-encoding"]  # httpx's own default
        with client.stream("POST", url, content=json.dumps(body), headers=headers) as response:
            raw = b"".join(response.iter_raw())
    return response, raw


@pytest.mark.parametrize(
    ("accept_encoding", "encoding"),
    [
        pytest.param("gzip, deflate, br, zstd", "br", id="browser"),
        pytest.param("gzip", "gzip", id="gzip"),
        pytest.param("br;q=0.5, gzip", "gzip", id="gzip-preferred"),
        pytest.param("*", "br", id="any"),
        pytest.param("identity", None, id="identity"),
        pytest.param(None, None, id="none"),
    ],
)
def test_large_answers_are_compressed_as_the_client_asks(
    http_server: LiveServer, accept_encoding: str | None, encoding: str | None
) -> None:
    response, raw = send_raw(f"{http_server.url}/graphql", padding(5000), accept_encoding)
    assert response.status_code == 200
    assert response.headers.get("content-encoding") == encoding
    assert int(response.headers["content-length"]) == len(raw)
    if encoding is not None:
        assert len(raw) < 1000
        raw = brotli.decompress(raw) if encoding == "br" else gzip.decompress(raw)
    assert json.loads(raw) == answer({"padding": "spacecraft " * 454 + "x" * 6})
    # Whatever this client got, another client's copy differs by Accept-Encoding.
    assert vary(response) == ["Accept", "Accept-Encoding", "Origin"]


def test_small_answers_are_not_compressed(http_server: LiveServer) -> None:
    response, raw = send_raw(f"{http_server.url}/graphql", padding(500), "br, gzip")
    assert "content-encoding" not in response.headers
    assert len(raw) < 1024
    assert json.loads(raw)["data"]["padding"].startswith("spacecraft")
    assert "Accept-Encoding" not in vary(response)


def test_the_threshold_is_a_setting(serve_app: ServeApp, shared_url: str) -> None:
    live = serve_app(database_url=shared_url, compression_min_size=200)
    response, raw = send_raw(f"{live.url}/graphql", padding(500), "gzip")
    assert response.headers["content-encoding"] == "gzip"
    assert json.loads(gzip.decompress(raw))["data"]["padding"].startswith("spacecraft")
    response, raw = send_raw(f"{live.url}/graphql", padding(100), "gzip")
    assert "content-encoding" not in response.headers


@pytest.fixture
def bare_server() -> Iterator[LiveServer]:
    """A small app of streamed, tagged and self-secured answers behind the same middleware."""

    async def chunks() -> AsyncIterator[bytes]:
        for i in range(3):
            yield f"chunk {i} ".encode() * 400

    async def streamed(_: Request) -> Response:
        return StreamingResponse(chunks(), media_type="text/plain")

    async def tagged(_: Request) -> Response:
        return PlainTextResponse("tagged " * 400, headers={"ETag": '"v1"'})

    async def own_csp(_: Request) -> Response:
        return PlainTextResponse("page", headers={"Content-Security-Policy": "default-src 'self'"})

    app = Starlette(
        routes=[Route("/streamed", streamed), Route("/tagged", tagged), Route("/own", own_csp)]
    )
    wrapped = SecurityHeadersMiddleware(CompressionMiddleware(app, minimum_size=1024))
    with LiveServer(wrapped, Settings()) as server:
        yield server


def test_streamed_bodies_are_compressed_as_they_stream(bare_server: LiveServer) -> None:
    with httpx.stream(
        "GET", f"{bare_server.url}/streamed", headers={"accept-encoding": "gzip"}
    ) as response:
        raw = b"".join(response.iter_raw())
    assert response.headers["content-encoding"] == "gzip"
    assert "content-length" not in response.headers
    assert gzip.decompress(raw) == b"".join(f"chunk {i} ".encode() * 400 for i in range(3))


def test_a_compressed_copy_has_a_weak_etag(bare_server: LiveServer) -> None:
    compressed = httpx.get(f"{bare_server.url}/tagged", headers={"accept-encoding": "br"})
    assert compressed.headers["etag"] == 'W/"v1"'
    assert compressed.text == "tagged " * 400
    plain = httpx.get(f"{bare_server.url}/tagged", headers={"accept-encoding": "identity"})
    assert plain.headers["etag"] == '"v1"'


# Request ids, security headers ----------------------------------------------------------------


def test_every_answer_has_a_request_id(http_server: LiveServer) -> None:
    first = httpx.get(f"{http_server.url}/healthz").headers["x-request-id"]
    second = httpx.get(f"{http_server.url}/healthz").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        pytest.param("req-42.a:b/c+d=e@f_g", True, id="sane"),
        pytest.param("x" * 129, False, id="too-long"),
        pytest.param("two words", False, id="space"),
        pytest.param("<script>", False, id="markup"),
    ],
)
def test_an_incoming_request_id_is_kept_when_sane(
    http_server: LiveServer, incoming: str, kept: bool
) -> None:
    answered = httpx.get(f"{http_server.url}/healthz", headers={"x-request-id": incoming}).headers[
        "x-request-id"
    ]
    assert (answered == incoming) is kept
    if not kept:
        assert re.fullmatch(r"[0-9a-f]{32}", answered)


@pytest.mark.parametrize("path", ["/graphql?query={__typename}", "/healthz", "/schema.graphql"])
def test_security_headers_on_every_answer(http_server: LiveServer, path: str) -> None:
    headers = httpx.get(f"{http_server.url}{path}").headers
    assert headers["content-security-policy"] == DEFAULT_CSP
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["x-frame-options"] == "DENY"
    assert "server" not in headers


def test_a_page_with_its_own_policy_keeps_it(bare_server: LiveServer) -> None:
    headers = httpx.get(f"{bare_server.url}/own").headers
    assert headers["content-security-policy"] == "default-src 'self'"
    assert headers["x-content-type-options"] == "nosniff"


# Access log -----------------------------------------------------------------------------------


def access_lines(caplog: pytest.LogCaptureFixture, count: int = 1) -> list[dict[str, Any]]:
    """The access log's lines, once `count` are there: the server writes one just after the
    client has read the answer."""
    deadline = time.monotonic() + 5
    while True:
        lines = [r.fields for r in caplog.records if r.name == "gateway.access"]  # type: ignore[attr-defined]
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.01)


def test_one_structured_access_line_per_request(
    http_server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="gateway.access")
    response = httpx.post(
        f"{http_server.url}/graphql",
        json=QUERY,
        headers={"x-request-id": "log-1", "user-agent": "tests/1"},
    )
    (line,) = access_lines(caplog)
    duration = line.pop("duration_ms")
    assert 0 < duration < 10_000
    assert line == {
        "request_id": "log-1",
        "method": "POST",
        "path": "/graphql",
        "operation": "Crafts",
        "status": 200,
        "bytes": len(response.content),
        "client": "127.0.0.1",
        "user_agent": "tests/1",
    }
    record = next(r for r in caplog.records if r.name == "gateway.access")
    assert json.loads(JsonFormatter().format(record))["operation"] == "Crafts"


def test_the_access_line_counts_bytes_as_sent(
    http_server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="gateway.access")
    response, raw = send_raw(f"{http_server.url}/graphql", padding(5000), "br")
    assert response.headers["content-encoding"] == "br"
    (line,) = access_lines(caplog)
    assert (line["bytes"], line["status"], line["operation"]) == (len(raw), 200, None)


def test_the_access_log_can_be_turned_off(
    serve_app: ServeApp, shared_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="gateway.access")
    live = serve_app(database_url=shared_url, access_log=False)
    assert httpx.get(f"{live.url}/healthz").status_code == 200
    time.sleep(0.2)
    assert access_lines(caplog, count=0) == []


# Behind a reverse proxy -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trusted", "client"),
    [
        pytest.param([], "127.0.0.1", id="default-none"),
        pytest.param(["10.0.0.0/8"], "127.0.0.1", id="other-network"),
        pytest.param(["127.0.0.1"], "203.0.113.7", id="trusted"),
        pytest.param(["127.0.0.0/8"], "203.0.113.7", id="trusted-network"),
    ],
)
def test_forwarded_headers_count_from_trusted_proxies_only(
    serve_app: ServeApp,
    shared_url: str,
    caplog: pytest.LogCaptureFixture,
    trusted: list[str],
    client: str,
) -> None:
    caplog.set_level(logging.INFO, logger="gateway.access")
    live = serve_app(database_url=shared_url, trusted_proxies=trusted)
    httpx.get(
        f"{live.url}/healthz",
        headers={"x-forwarded-for": "203.0.113.7", "x-forwarded-proto": "https"},
    )
    (line,) = access_lines(caplog)
    assert line["client"] == client


def test_root_path_prefixes_links_and_works_stripped_or_not(
    serve_app: ServeApp, shared_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="gateway.access")
    live = serve_app(database_url=shared_url, root_path="/api")
    for path in ("/api/graphql", "/graphql"):  # passed on as is, or stripped by the proxy
        response = httpx.post(f"{live.url}{path}", json=QUERY)
        assert response.json() == ANSWER
    for path in ("/", "/api/"):
        redirect = httpx.get(f"{live.url}{path}")
        assert (redirect.status_code, redirect.headers["location"]) == (302, "/api/graphql")
    assert [line["path"] for line in access_lines(caplog, count=4)] == [
        "/api/graphql",
        "/api/graphql",
        "/api/",
        "/api/",
    ]


def test_allowed_hosts(serve_app: ServeApp, shared_url: str) -> None:
    live = serve_app(
        database_url=shared_url, allowed_hosts=["gateway.example", "*.gateway.example"]
    )
    for host in ("gateway.example", "eu.gateway.example"):
        assert httpx.get(f"{live.url}/healthz", headers={"host": host}).status_code == 200
    refused = httpx.get(f"{live.url}/healthz", headers={"host": "evil.example"})
    assert (refused.status_code, refused.text) == (400, "Invalid host header")
