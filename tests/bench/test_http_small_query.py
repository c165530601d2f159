"""The HTTP benchmark runs end to end (its figures are reported, never asserted)."""

from __future__ import annotations

import json
import shutil

from tests.support.bench import run_bench
from tests.support.system import missing


def test_the_benchmark_measures_both_servers_at_1_and_32_connections() -> None:
    if shutil.which("wrk") is None:
        missing("wrk is not installed (Debian package wrk)")
    result = run_bench("bench/http_small_query.py", "--duration", "1", "--json", timeout=300)
    report = json.loads(result.stdout)
    assert json.loads(report["answer"])["data"]  # the query answered, without errors
    rows = [(f["target"], f["method"], f["connections"]) for f in report["figures"]]
    assert rows == [
        (target, method, connections)
        for target in ("gateway", "plain Starlette")
        for method in ("GET", "POST")
        for connections in (1, 32)
    ]
    for figure in report["figures"]:
        assert figure["requests_per_second"] > 0
        assert 0 < figure["p50_ms"] <= figure["p99_ms"]
        assert figure["errors"] == 0
