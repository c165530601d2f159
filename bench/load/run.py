"""Load and soak: a realistic mix of queries at 64 concurrent clients against `serve --workers 2`
on the synthetic 100,000-spacecraft dataset, on loopback, bounded in time.

    PYTHONPATH=. python bench/load/run.py                 # the full run: 60 s after 10 s warm-up
    PYTHONPATH=. python bench/load/run.py --json          # the figures as JSON
    PYTHONPATH=. python bench/load/run.py --spacecraft 2000 --flights 600 --duration 5 --warmup 1
    PYTHONPATH=. python bench/load/run.py --fresh --connections 32 --duration 240 --growth-window 120

`--fresh` is the soak with caches filling: `queries.FRESH_MIX`, whose variables (ids, filters,
cursors) never repeat during the run, so every cache keyed on them fills and then evicts; the
memory's growth over the last `--growth-window` seconds says whether their bounds hold.

wrk (Debian's `wrk`) drives the server with `mix.lua`, which draws each request from
`queries.MIX` with fresh variables and counts as an error any answer that is not 200 or whose
body holds `"errors"`. While the measured run goes, the resident memory of the two workers
is read from /proc every second. Reported: requests per second, p50/p99 latency, errors,
workers' memory at the start and the end, and its growth over the last 40 s.

The dataset (SQLite) is generated once and cached under var/bench/ (`bench.datasets`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.datasets import sqlite_database  # noqa: E402
from bench.http_small_query import free_port, wait_up  # noqa: E402
from bench.load.queries import FRESH_MIX, MIX, PICKS, Query  # noqa: E402

LUA = Path(__file__).with_name("mix.lua")


THREADS = 2  # wrk's


@dataclass(frozen=True)
class Figures:
    mix: str
    spacecraft: int
    connections: int
    workers: int
    duration_s: float
    requests: int
    requests_per_second: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    socket_errors: int
    first_error: str
    rss_start_mib: float
    rss_end_mib: float
    rss_growth_last_40s_pct: float
    rss_max_mib: float
    rss_growth_window_s: int
    rss_growth_pct: float  # over the last `rss_growth_window_s`
    rss_samples_mib: list[float]
    workers_replaced: int  # worker processes that stopped during the measured run
    # A fresh run's counts went past the ids (spacecraft / threads each): values may repeat.
    fresh_wrapped: bool


def lua_value(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a Lua string literal
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "{" + ", ".join(lua_value(v) for v in value) + "}"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{k} = {lua_value(v)}" for k, v in value.items()) + "}"


def lua_script(queries: list[Query], ranges: dict[str, int], *, start: int = 0) -> str:
    """The wrk script for `queries`; a fresh mix's counts begin past `start` draws per thread."""
    mix = [
        {
            "name": q.name,
            "weight": q.weight,
            "document": q.document,
            "variables": [
                {"name": n, "kind": kind, "source": source}
                for n, (kind, source) in q.variables.items()
            ],
        }
        for q in queries
    ]
    data = (
        f"MIX = {lua_value(mix)}\nPICKS = {lua_value(PICKS)}\nRANGES = {lua_value(ranges)}\n"
        f"THREADS = {THREADS}\nSTART = {start}\n"
    )
    return data + LUA.read_text()


def check_mix(url: str, queries: list[Query], ranges: dict[str, int]) -> None:
    """Every query of the mix answers without errors before the load starts."""
    rng = random.Random(7)
    for query in queries:
        for _ in range(3):
            body = {
                "query": query.document,
                "operationName": query.name,
                "variables": query.sample(ranges, rng),
            }
            answer = httpx.post(url, json=body, timeout=30)
            if answer.status_code != 200 or "errors" in answer.json():
                raise SystemExit(f"{query.name} answered {answer.status_code}: {answer.text}")


def workers_of(pid: int) -> list[int]:
    """The worker processes uvicorn started (its children running `spawn_main`)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return sorted(found)


def rss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        status = Path(f"/proc/{pid}/status").read_text()
        total += int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))  # type: ignore[union-attr]
    return total / 1024


def run_wrk(
    url: str, script: Path, connections: int, duration: float, threads: int = THREADS
) -> dict[str, object]:
    result = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(duration))}s",
            "--timeout",
            "30s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    figures: dict[str, object] = json.loads(line.removeprefix("RESULT "))
    return figures


def measure(
    *,
    spacecraft: int,
    flights: int,
    connections: int,
    duration: float,
    warmup: float,
    workers: int,
    database_url: str | None = None,
    fresh: bool = False,
    growth_window: int = 40,
) -> Figures:
    """`database_url`: a database already holding the synthetic dataset of these sizes (on
    PostgreSQL, say); by default the cached SQLite one, made on first use. `fresh`: the mix
    whose variables never repeat (`FRESH_MIX`)."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    database_url = database_url or sqlite_database(spacecraft, flights)
    ranges = {"spacecraft": spacecraft, "configurations": 100, "flights": flights, "small": 3}
    queries = FRESH_MIX if fresh else MIX
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        script = Path(tmp) / "mix.lua"
        script.write_text(lua_script(queries, ranges))
        log = (Path(tmp) / "serve.log").open("wb")
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gateway.cli",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "DATABASE_URL": database_url,
                "GATEWAY_ACCESS_LOG": "false",
                "GATEWAY_LOG_LEVEL": "warning",
            },
            stdout=log,
            stderr=log,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_up(f"{base}/readyz", server, timeout=120)
            pids = [server.pid] if workers == 1 else workers_of(server.pid)  # 1: no children
            deadline = time.monotonic() + 30
            while len(pids) < workers and time.monotonic() < deadline:
                time.sleep(0.2)
                pids = workers_of(server.pid)
            url = f"{base}/graphql"
            check_mix(url, queries, ranges)
            drawn = 0
            if warmup:
                warm = run_wrk(url, script, connections, warmup)
                # Each request draws one value of its thread's count, and no thread made more
                # requests than all of them: begin past that.
                drawn = int(warm["requests"])  # type: ignore[call-overload]
                script.write_text(lua_script(queries, ranges, start=drawn))
            samples: list[float] = []
            replaced: set[int] = set()
            running = threading.Event()
            running.set()

            def sample() -> None:
                nonlocal pids
                while running.is_set():
                    try:
                        samples.append(rss_mib(pids))
                    except OSError:
                        # A worker is gone (uvicorn replaces one that stops answering its
                        # health check): a fresh one's memory would hide any growth, so say so.
                        replaced.update(pids)
                        pids = workers_of(server.pid) if workers > 1 else pids
                        replaced.difference_update(pids)
                        time.sleep(0.2)
                        continue
                    time.sleep(1)

            sampler = threading.Thread(target=sample)
            sampler.start()
            try:
                figures = run_wrk(url, script, connections, duration)
            finally:
                running.clear()
                sampler.join()
        finally:
            server.terminate()
            server.wait(timeout=60)
            log.close()
    seconds = int(figures["duration_us"]) / 1e6  # type: ignore[call-overload]
    requests = int(figures["requests"])  # type: ignore[call-overload]
    window = samples[-41:] if len(samples) > 41 else samples
    last = samples[-(growth_window + 1) :] if len(samples) > growth_window + 1 else samples
    return Figures(
        mix="fresh" if fresh else "repeating",
        spacecraft=spacecraft,
        connections=connections,
        workers=workers,
        duration_s=round(seconds, 1),
        requests=requests,
        requests_per_second=round(requests / seconds, 1),
        p50_ms=int(figures["p50_us"]) / 1000,  # type: ignore[call-overload]
        p90_ms=int(figures["p90_us"]) / 1000,  # type: ignore[call-overload]
        p99_ms=int(figures["p99_us"]) / 1000,  # type: ignore[call-overload]
        max_ms=int(figures["max_us"]) / 1000,  # type: ignore[call-overload]
        errors=int(figures["errors"]),  # type: ignore[call-overload]
        socket_errors=int(figures["socket_errors"]),  # type: ignore[call-overload]
        first_error=str(figures["first_error"]),
        rss_start_mib=round(samples[0], 1),
        rss_end_mib=round(samples[-1], 1),
        rss_growth_last_40s_pct=round((window[-1] - window[0]) / window[0] * 100, 2),
        rss_max_mib=round(max(samples), 1),
        rss_growth_window_s=len(last) - 1,
        rss_growth_pct=round((last[-1] - last[0]) / last[0] * 100, 2),
        rss_samples_mib=[round(s, 1) for s in samples],
        workers_replaced=len(replaced),
        fresh_wrapped=fresh and (drawn + requests) * THREADS > spacecraft,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spacecraft", type=int, default=100_000)
    parser.add_argument("--flights", type=int, default=30_000)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=float, default=60, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=10, help="seconds of load before")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="the soak: variables (ids, filters, cursors) that never repeat, so caches fill",
    )
    parser.add_argument(
        "--growth-window", type=int, default=40, help="seconds over which memory growth is given"
    )
    parser.add_argument(
        "--database-url",
        help="a database holding the synthetic dataset of these sizes (default: SQLite, cached)",
    )
    args = parser.parse_args(argv)
    figures = measure(
        spacecraft=args.spacecraft,
        flights=args.flights,
        connections=args.connections,
        duration=args.duration,
        warmup=args.warmup,
        workers=args.workers,
        database_url=args.database_url,
        fresh=args.fresh,
        growth_window=args.growth_window,
    )
    if args.json:
        print(json.dumps(asdict(figures)))
        return
    f = figures
    print(
        f"{f.spacecraft:,} spacecraft, serve --workers {f.workers}, {f.connections} connections, "
        f"{f.mix} mix, {f.duration_s:g} s measured on loopback\n"
        f"requests: {f.requests:,} ({f.requests_per_second:,.1f}/s), errors: {f.errors} "
        f"(+{f.socket_errors} socket)\n"
        f"latency: p50 {f.p50_ms:.1f} ms, p90 {f.p90_ms:.1f} ms, p99 {f.p99_ms:.1f} ms, "
        f"max {f.max_ms:.1f} ms\n"
        f"workers' resident memory: {f.rss_start_mib:.1f} MiB at the start, {f.rss_end_mib:.1f} "
        f"MiB at the end (at most {f.rss_max_mib:.1f}), {f.rss_growth_pct:+.2f} % over the last "
        f"{f.rss_growth_window_s} s"
    )
    if f.fresh_wrapped:
        print("the fresh mix's counts went past the ids: some variables may have repeated")
    if f.workers_replaced:
        print(f"worker processes replaced during the run: {f.workers_replaced}")
    if f.first_error:
        print(f"first error: {f.first_error}")


if __name__ == "__main__":
    main()
