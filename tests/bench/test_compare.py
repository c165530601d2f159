"""`bench/compare` runs end to end on a small dataset: every query against every server, after
the check that all of them select the same data (its figures are reported, never asserted)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bench.compare import report
from tests.support.bench import run_bench
from tests.support.system import missing, postgres_bin


def test_a_quick_run_measures_every_query_on_every_server(tmp_path: Path) -> None:
    for program, package in (("wrk", "wrk"), ("npm", "npm"), ("node", "nodejs")):
        if shutil.which(program) is None:
            missing(f"{program} is not installed (Debian package {package})")
    if postgres_bin() is None:
        missing("PostgreSQL's server binaries (initdb, pg_ctl, pgbench) are not installed")
    out = tmp_path / "rows.json"
    result = run_bench(
        "-m",
        "bench.compare",
        "--quick",
        "--duration",
        "1",
        "--warmup",
        "0",
        "--connections",
        "4",
        "--json",
        str(out),
        timeout=300,
    )
    # The run stops before measuring anything when two sources disagree on the data.
    assert "all sources select the same data" in result.stderr
    rows = json.loads(out.read_text())
    every = ("Q1", "Q2", "Q3", "Q4")
    expected = {(q, report.CACHES_OFF) for q in every}
    expected |= {(q, report.RESOLVERS) for q in ("Q1", "Q2")}
    for server in (report.CACHES_ON, report.POSTGRAPHILE, report.HTTP_FLOOR, report.DATA_FLOOR):
        expected |= {(q, server) for q in every}
    measured = {(r["query"], r["server"]) for r in rows}
    # GETs revalidated by ETag are measured once the gateway answers them with 304.
    assert {row for row in measured - expected if row[1] != report.REVALIDATED} == set()
    assert expected <= measured
    for row in rows:
        figure = row["figure"]
        assert figure["errors"] == 0, row
        assert figure["requests_per_second"] > 0, row
        assert 0 < figure["p50_ms"] <= figure["p99_ms"], row
    table = result.stdout
    for query, server in measured:
        assert f"| {query} | {server} |" in table
    assert "Targets (issue 8):" in table
