"""Requests per second and latency of a small query over HTTP, beside a plain Starlette endpoint.

    PYTHONPATH=. python bench/http_small_query.py [--duration 10] [--json]

Two servers run side by side on loopback, each in its own process under uvicorn with the options
`serve` uses: the gateway (one worker, default settings, over SQLite holding the bundled dataset)
and a bare Starlette app whose only route returns the very bytes the gateway answers. wrk (Debian's
`wrk`) drives each with GET and with POST, at 1 and at 32 connections, one after the other in the
same run, so the gap between the two is what GraphQL over HTTP costs on this machine.

The query is `{ spacecraft(ll2Id: 467) { name } }` on the real schema (`gateway.schema`); until it
exists, the tests' sample schema answers `{ craft(ll2Id: 467) { name } }` instead. `--schema` and
`--query` measure another (`--schema tests.gateway.sample_schema:cached_schema`).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
REAL = ("gateway.schema:schema", "{ spacecraft(ll2Id: 467) { name } }")  # as `serve` runs it
SAMPLE = ("tests.gateway.sample_schema:schema", "{ craft(ll2Id: 467) { name } }")
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


@dataclass(frozen=True)
class Figure:
    target: str
    method: str
    connections: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server for {url} exited with {process.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise SystemExit(f"{url} did not answer in {timeout} s")


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def prepare_database(directory: Path) -> str:
    from db.engine import create_engine
    from db.ingest import load_bundled_if_empty

    url = f"sqlite:///{directory / 'bench.db'}"

    async def load() -> None:
        engine = create_engine(url)
        await load_bundled_if_empty(engine)
        await engine.dispose()

    asyncio.run(load())
    return url


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def parse_wrk(output: str) -> tuple[float, float, float, int]:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    count = int(errors.group(1)) if errors else 0
    if socket_errors:
        count += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return rps, p50, p99, count


def run_wrk(
    url: str,
    method: str,
    body: str,
    connections: int,
    duration: float,
    headers: dict[str, str] | None = None,
) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(f"wrk.method = {json.dumps(method)}\n")
        script.write('wrk.headers["Accept"] = "application/json"\n')
        for name, value in (headers or {}).items():
            script.write(f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}\n")
        if method == "POST":
            script.write('wrk.headers["Content-Type"] = "application/json"\n')
            script.write(f"wrk.body = {json.dumps(body)}\n")
    try:
        result = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{max(1, round(duration))}s",
                "--latency",
                "-s",
                script.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(script.name)
    return result.stdout


def serve_plain(port: int, body_file: str) -> None:
    """The baseline: a bare Starlette route answering fixed bytes, under `serve`'s options."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from gateway.serve import uvicorn_options
    from gateway.settings import Settings

    body = Path(body_file).read_bytes()

    async def answer(_: Request) -> Response:
        return Response(body, media_type="application/json; charset=utf-8")

    app = Starlette(routes=[Route("/graphql", answer, methods=["GET", "POST"])])
    options = {**uvicorn_options(Settings()), "lifespan": "off"}
    uvicorn.run(app, host="127.0.0.1", port=port, **options)


def measure(duration: float, schema: str, query: str) -> tuple[str, str, list[Figure]]:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
        database_url = prepare_database(Path(tmp))
        gateway_port, plain_port = free_port(), free_port()
        gateway = start(
            ["-m", "tests.support.live", *([] if schema == REAL[0] else [schema])],
            {"DATABASE_URL": database_url, "GATEWAY_PORT": str(gateway_port)},
        )
        processes = [gateway]
        try:
            gateway_url = f"http://127.0.0.1:{gateway_port}/graphql"
            wait_up(f"http://127.0.0.1:{gateway_port}/healthz", gateway)
            answer = httpx.post(gateway_url, json={"query": query})
            if answer.status_code != 200 or "errors" in answer.json():
                raise SystemExit(f"the gateway answered {answer.status_code}: {answer.text}")
            body_file = Path(tmp) / "answer.json"
            body_file.write_bytes(answer.content)
            plain = start([__file__, "--serve-plain", str(plain_port), str(body_file)], {})
            processes.append(plain)
            plain_url = f"http://127.0.0.1:{plain_port}/graphql"
            wait_up(plain_url, plain)
            get_suffix = "?" + urllib.parse.urlencode({"query": query})
            post_body = json.dumps({"query": query})
            figures = []
            for target, url in (("gateway", gateway_url), ("plain Starlette", plain_url)):
                run_wrk(url + get_suffix, "GET", "", 8, 1)  # warm up
                for method in ("GET", "POST"):
                    for connections in (1, 32):
                        full = url + get_suffix if method == "GET" else url
                        out = run_wrk(full, method, post_body, connections, duration)
                        figures.append(Figure(target, method, connections, *parse_wrk(out)))
            return query, answer.text, figures
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=30)


def table(figures: list[Figure]) -> str:
    lines = [
        "| server | method | connections | requests/s | p50 ms | p99 ms | errors |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for f in figures:
        lines.append(
            f"| {f.target} | {f.method} | {f.connections} | {f.requests_per_second:,.0f} "
            f"| {f.p50_ms:.2f} | {f.p99_ms:.2f} | {f.errors} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--schema", help="module:attribute of the schema to serve")
    parser.add_argument("--query", help="the query to send")
    parser.add_argument(
        "--serve-plain", nargs=2, metavar=("PORT", "BODY_FILE"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.serve_plain:
        serve_plain(int(args.serve_plain[0]), args.serve_plain[1])
        return
    schema, query = REAL if importlib.util.find_spec("gateway.schema") else SAMPLE
    schema, query = args.schema or schema, args.query or query
    query, answer, figures = measure(args.duration, schema, query)
    if args.json:
        print(
            json.dumps({"query": query, "answer": answer, "figures": [asdict(f) for f in figures]})
        )
        return
    print(f"schema: {schema}\nquery: {query}\nanswer: {answer}")
    print(f"wrk -t1, {args.duration:g} s per row, loopback\n")
    print(table(figures))


if __name__ == "__main__":
    main()
