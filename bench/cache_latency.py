"""Latency of a repeated query with the caches off and on, in process and over HTTP.

    PYTHONPATH=. python bench/cache_latency.py [--backend sqlite|postgresql|both]
        [--requests 300] [--duration 5] [--connections 1,32] [--json]

The query is `bench/graph_queries.py`'s (a), issue 8's Q1: 100 spacecraft with configuration ->
agency, families -> manufacturer, images -> license, on the synthetic dataset (10,000 spacecraft,
10,000 flights), asked again and again. Four ways, each row from the same run:

    caches off    GATEWAY_CACHE=false: every request runs the compiled path's statement
    POST, hit     caches on: the version's statement, then the kept body
    GET, hit      the same over GET, with its ETag and Cache-Control
    GET, 304      a revalidation with the current ETag: the version's statement, no body

In process: the app with its middleware called as an ASGI application (no sockets), one request
at a time, `--requests` times: p50 and p99. Over HTTP: `spacecraft-gateway serve` (one worker) on
loopback, driven by wrk for `--duration` seconds at each number of connections: requests per
second, p50 and p99.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.datasets import postgres_database, sqlite_database, start_postgres  # noqa: E402
from bench.graph_queries import QUERY_A  # noqa: E402
from bench.http_small_query import (  # noqa: E402
    free_port,
    parse_wrk,
    run_wrk,
    start,
    wait_up,
)

WAYS = ("caches off", "POST, hit", "GET, hit", "GET, 304")


@dataclass(frozen=True)
class Figure:
    backend: str
    where: str  # "in process" or "HTTP, N connections"
    way: str
    p50_ms: float
    p99_ms: float
    requests_per_second: float | None = None
    status: int = 200
    body_bytes: int = 0


@dataclass(frozen=True)
class Call:
    method: str
    query_string: bytes = b""
    body: bytes = b""
    headers: tuple[tuple[bytes, bytes], ...] = ()


def _calls(etag: str | None) -> dict[str, Call]:
    post = Call("POST", body=json.dumps({"query": QUERY_A}).encode(), headers=_JSON_BODY)
    get = Call("GET", query_string=urllib.parse.urlencode({"query": QUERY_A}).encode())
    calls = {"caches off": post, "POST, hit": post, "GET, hit": get}
    if etag is not None:
        calls["GET, 304"] = Call(
            "GET", query_string=get.query_string, headers=((b"if-none-match", etag.encode()),)
        )
    return calls


_JSON_BODY = ((b"content-type", b"application/json"),)


class InProcess:
    """The app called as ASGI, with its lifespan state, as uvicorn would call it."""

    def __init__(self, app: Any, state: dict[str, Any]) -> None:
        self.app = app
        self.state = state

    async def call(self, call: Call) -> tuple[int, dict[str, str], bytes]:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": call.method,
            "scheme": "http",
            "path": "/graphql",
            "raw_path": b"/graphql",
            "root_path": "",
            "query_string": call.query_string,
            "headers": [(b"host", b"bench"), (b"accept", b"application/json"), *call.headers],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 80),
            "state": dict(self.state),
        }
        sent = False
        status = 0
        headers: dict[str, str] = {}
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": call.body, "more_body": False}
            await asyncio.Event().wait()  # never disconnects
            raise AssertionError("unreachable")

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers.update((k.decode(), v.decode()) for k, v in message["headers"])
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, headers, b"".join(chunks)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) * 1000, p99 * 1000


async def _in_process(backend: str, url: str, requests: int) -> list[Figure]:
    from gateway.app import create_app
    from gateway.settings import Settings

    figures = []
    for cache in (False, True):
        settings = Settings(database_url=url, cache=cache, access_log=False)
        app = create_app(settings)
        async with app.router.lifespan_context(app) as state:
            client = InProcess(app, dict(state or {}))
            status, headers, _ = await client.call(_calls(None)["GET, hit"])
            assert status == 200, status
            calls = _calls(headers.get("etag"))
            for way in [w for w in WAYS if (w == "caches off") != cache]:
                call = calls[way]
                times = []
                for i in range(requests + 10):
                    started = time.perf_counter()
                    status, _, body = await client.call(call)
                    if i >= 10:
                        times.append(time.perf_counter() - started)
                p50, p99 = _percentiles(times)
                figures.append(
                    Figure(backend, "in process", way, p50, p99, None, status, len(body))
                )
    return figures


@contextmanager
def _server(url: str, cache: bool) -> Iterator[str]:
    port = free_port()
    env = {
        "DATABASE_URL": url,
        "GATEWAY_CACHE": "true" if cache else "false",
        "GATEWAY_ACCESS_LOG": "false",
    }
    process = start(["-m", "gateway.cli", "serve", "--port", str(port)], env)
    try:
        wait_up(f"http://127.0.0.1:{port}/healthz", process)
        yield f"http://127.0.0.1:{port}/graphql"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _over_http(backend: str, url: str, duration: float, connections: list[int]) -> list[Figure]:
    import httpx

    figures = []
    get_url_suffix = "?" + urllib.parse.urlencode({"query": QUERY_A})
    post_body = json.dumps({"query": QUERY_A})
    for cache in (False, True):
        with _server(url, cache) as endpoint:
            first = httpx.get(endpoint + get_url_suffix, headers={"Accept": "application/json"})
            assert first.status_code == 200 and "errors" not in first.json(), first.text
            etag = first.headers.get("etag")
            rows: list[tuple[str, str, str, dict[str, str]]] = []
            if not cache:
                rows.append(("caches off", "POST", endpoint, {}))
            else:
                assert etag is not None
                rows += [
                    ("POST, hit", "POST", endpoint, {}),
                    ("GET, hit", "GET", endpoint + get_url_suffix, {}),
                    ("GET, 304", "GET", endpoint + get_url_suffix, {"If-None-Match": etag}),
                ]
            for way, method, target, headers in rows:
                run_wrk(target, method, post_body, 4, 1, headers)  # warm up
                for n in connections:
                    out = run_wrk(target, method, post_body, n, duration, headers)
                    rps, p50, p99, errors = parse_wrk(out)
                    if errors:
                        raise SystemExit(f"{errors} failed requests for {way}:\n{out}")
                    size = 0 if way == "GET, 304" else len(first.content)
                    status = 304 if way == "GET, 304" else 200
                    where = f"HTTP, {n} connection{'s' if n > 1 else ''}"
                    figures.append(Figure(backend, where, way, p50, p99, rps, status, size))
    return figures


def table(figures: list[Figure]) -> str:
    lines = [
        "| backend | where | way | status | body bytes | requests/s | p50 ms | p99 ms |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for f in figures:
        rps = f"{f.requests_per_second:,.0f}" if f.requests_per_second is not None else "-"
        lines.append(
            f"| {f.backend} | {f.where} | {f.way} | {f.status} | {f.body_bytes:,} | {rps} "
            f"| {f.p50_ms:.2f} | {f.p99_ms:.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--requests", type=int, default=300, help="in-process requests per row")
    parser.add_argument("--duration", type=float, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", default="1", help="wrk connections, comma-separated")
    parser.add_argument("--spacecraft", type=int, default=10_000)
    parser.add_argument("--flights", type=int, default=10_000)
    parser.add_argument("--no-http", action="store_true", help="in process only")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    connections = [int(n) for n in args.connections.split(",")]
    urls: list[tuple[str, str]] = []
    server = None
    if args.backend in ("sqlite", "both"):
        urls.append(("sqlite", sqlite_database(args.spacecraft, args.flights)))
    if args.backend in ("postgresql", "both"):
        server = start_postgres()
        if server is None:
            print("PostgreSQL binaries not found; skipping PostgreSQL", file=sys.stderr)
        else:
            urls.append(("postgresql", postgres_database(server, args.spacecraft, args.flights)))
    figures: list[Figure] = []
    try:
        for backend, url in urls:
            figures += asyncio.run(_in_process(backend, url, args.requests))
            if not args.no_http:
                figures += _over_http(backend, url, args.duration, connections)
    finally:
        if server is not None:
            server.stop()
    if args.json:
        print(json.dumps([asdict(f) for f in figures]))
        return
    print(f"issue 8's Q1 ({len(QUERY_A)} characters), repeated\n")
    print(table(figures))


if __name__ == "__main__":
    main()
