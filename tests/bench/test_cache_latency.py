"""The cache benchmark runs end to end (its figures are reported, never asserted)."""

from __future__ import annotations

import json
import shutil

from tests.support.bench import run_bench
from tests.support.system import missing


def test_the_benchmark_measures_every_way_in_process_and_over_http() -> None:
    if shutil.which("wrk") is None:
        missing("wrk is not installed (Debian package wrk)")
    result = run_bench(
        "bench/cache_latency.py",
        *("--backend", "sqlite", "--spacecraft", "150", "--flights", "150"),
        *("--requests", "20", "--duration", "1", "--json"),
    )
    figures = json.loads(result.stdout)
    ways = ["caches off", "POST, hit", "GET, hit", "GET, 304"]
    assert [(f["where"], f["way"], f["status"]) for f in figures] == [
        *(("in process", way, 304 if way == "GET, 304" else 200) for way in ways),
        *(("HTTP, 1 connection", way, 304 if way == "GET, 304" else 200) for way in ways),
    ]
    sizes = {f["body_bytes"] for f in figures if f["status"] == 200}
    assert len(sizes) == 1 and sizes.pop() > 10_000  # 100 spacecraft, four levels deep
    assert {f["body_bytes"] for f in figures if f["status"] == 304} == {0}
    for figure in figures:
        assert 0 < figure["p50_ms"] <= figure["p99_ms"]
