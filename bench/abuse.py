"""Requests built to stall a worker or eat its memory, each sent to a live `serve` (one worker,
default settings, the bundled dataset on SQLite) while a monitor's query is asked every 100 ms:
for each, its answer, how long it took, the monitor's slowest answer and failures, and the
worker's resident memory (now and at its peak) after it.

    PYTHONPATH=. python bench/abuse.py            # a table
    PYTHONPATH=. python bench/abuse.py --json
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
import orjson

from bench.http_small_query import ROOT, free_port, prepare_database, wait_up
from bench.monitor import Monitor
from gateway.connections import raise_open_file_limit

MiB = 1024 * 1024
SEARCH = "query($s: String) { allSpacecraft(search: $s) { totalCount } }"
FILTER = "query($f: SpacecraftFilter) { allSpacecraft(filter: $f) { totalCount } }"


@dataclass(frozen=True)
class Figure:
    attack: str
    answer: str
    seconds: float
    monitor_queries: int
    monitor_failed: int
    monitor_slowest_ms: float
    worker_rss_mib: float
    worker_peak_rss_mib: float


def _post(url: str, query: str, variables: object = None, raw: bytes | None = None) -> str:
    content = raw if raw is not None else orjson.dumps({"query": query, "variables": variables})
    try:
        response = httpx.post(
            f"{url}/graphql",
            content=content,
            headers={"content-type": "application/json"},
            timeout=60,
        )
    except httpx.HTTPError as e:
        return f"no answer: {type(e).__name__}"
    if not response.headers.get("content-type", "").startswith("application/json"):
        return f"{response.status_code} {response.text[:40]!r}"
    errors = response.json().get("errors") or []
    codes = sorted({e.get("extensions", {}).get("code", "?") for e in errors})
    return f"{response.status_code} {','.join(codes) or 'data'} ({len(errors)} errors)"


def _urllib_10_mib(url: str) -> str:
    body = orjson.dumps({"query": SEARCH, "variables": {"s": "x" * (10 * MiB)}})
    request = urllib.request.Request(
        f"{url}/graphql", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return str(response.status)
    except urllib.error.HTTPError as e:
        return f"{e.code} read by urllib"
    except OSError as e:
        return f"urllib: {type(e).__name__}: {e}"


def _idle_connections(url: str, count: int = 2000) -> str:
    host, port = url.removeprefix("http://").split(":")
    held = []
    try:
        for _ in range(count):
            held.append(socket.create_connection((host, int(port)), timeout=5))
    except OSError as e:
        return f"{len(held)} connected, then {type(e).__name__}"
    finally:
        time.sleep(2)
        for sock in held:
            sock.close()
    return f"{count} held for 2 s"


def _nested(depth: int) -> bytes:
    return b'{"query": "{ __typename }", "variables": {"v": ' + b"[" * depth + b"]" * depth + b"}}"


ATTACKS: list[tuple[str, Callable[[str], str]]] = [
    (
        "search of 10,000 words (50 KB)",
        lambda u: _post(u, SEARCH, {"s": " ".join(f"w{i}" for i in range(10_000))}),
    ),
    (
        "search of 1 MB of emoji as 200,000 words",
        lambda u: _post(u, SEARCH, {"s": " ".join(["\U0001f680"] * 200_000)}),
    ),
    (
        "search of 1 MB of emoji as one word",
        lambda u: _post(u, SEARCH, {"s": "\U0001f680" * 250_000}),
    ),
    ("variables nested 100,000 deep", lambda u: _post(u, "", raw=_nested(100_000))),
    (
        "filter `in` of 150,000 ids",
        lambda u: _post(u, FILTER, {"f": {"ll2Id": {"in": list(range(150_000))}}}),
    ),
    (
        "filter of 20,000 OR branches",
        lambda u: _post(u, FILTER, {"f": {"OR": [{"name": {"contains": "x"}}] * 20_000}}),
    ),
    (
        "ten @aa at one location",
        lambda u: _post(u, "{ __typename @aa @aa @aa @aa @aa @aa @aa @aa @aa @aa }"),
    ),
    ("a 10 MiB POST sent whole by urllib", _urllib_10_mib),
    ("2,000 connections that never send a byte", _idle_connections),
]


def _memory(pid: int) -> tuple[float, float]:
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return tuple(int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM"))  # type: ignore[return-value]


def measure() -> list[Figure]:
    raise_open_file_limit()  # this process's end of the idle connections
    figures = []
    with tempfile.TemporaryDirectory() as directory:
        database_url = prepare_database(Path(directory))
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": database_url,
            "GATEWAY_PORT": str(port),
            "GATEWAY_ACCESS_LOG": "false",
        }
        serve = subprocess.Popen(
            [sys.executable, "-m", "gateway.cli", "serve"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_up(f"{url}/healthz", serve)
            for name, attack in ATTACKS:
                with Monitor(url) as monitor:
                    time.sleep(0.3)
                    started = time.monotonic()
                    answer = attack(url)
                    seconds = time.monotonic() - started
                    time.sleep(0.3)
                rss, peak = _memory(serve.pid)
                figures.append(
                    Figure(
                        name,
                        answer,
                        round(seconds, 3),
                        len(monitor.answers),
                        len(monitor.failed),
                        round(monitor.slowest * 1000, 1),
                        round(rss, 1),
                        round(peak, 1),
                    )
                )
        finally:
            os.killpg(serve.pid, 9)
            serve.wait()
    return figures


def table(figures: list[Figure]) -> str:
    lines = [
        "| attack | answer | s | monitor queries | failed | slowest ms | worker RSS MiB | peak MiB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for f in figures:
        lines.append(
            f"| {f.attack} | {f.answer} | {f.seconds:.2f} | {f.monitor_queries} | "
            f"{f.monitor_failed} | {f.monitor_slowest_ms:.0f} | {f.worker_rss_mib:.0f} | "
            f"{f.worker_peak_rss_mib:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = measure()
    print(json.dumps([asdict(f) for f in figures], indent=2) if args.json else table(figures))


if __name__ == "__main__":
    main()
