"""`bench/compare` runs end to end on a small dataset: every query checked on every source
(both PostGraphiles, the data floor) before timing, then two of them measured on every row (the
figures are reported, never asserted)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from bench.compare import report
from tests.support.bench import run_bench
from tests.support.system import missing, postgres_bin

ROWS_OF_A_QUERY = {
    report.POSTGRAPHILE4,
    report.POSTGRAPHILE5,
    report.CACHES_OFF,
    report.CACHES_ON,
    report.FIXED,
    report.REPEATED,
    report.HTTP_FLOOR,
    report.DATA_FLOOR,
}
# The mix has several documents: no single body for the HTTP floor, no one SQL statement.
ROWS_OF_THE_MIX = ROWS_OF_A_QUERY - {report.HTTP_FLOOR, report.DATA_FLOOR}


def test_a_quick_run_checks_every_query_and_measures_two_on_every_row(tmp_path: Path) -> None:
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
        *("--duration", "1", "--warmup", "0", "--connections", "4"),
        *("--values", "300", "--measure", "lookup,mix", "--json", str(out)),
        timeout=600,
    )
    # The run stops before measuring anything when two sources disagree on the data, and the
    # walks first list every ordering's rows on every server.
    assert "all sources select the same data" in result.stderr
    rows = json.loads(out.read_text())
    measured = {(r["query"], r["server"]) for r in rows}
    expected = {("lookup", server) for server in ROWS_OF_A_QUERY}
    expected |= {("mix", server) for server in ROWS_OF_THE_MIX}
    # GETs revalidated by ETag are measured once the gateway answers them with 304.
    assert {row for row in measured - expected if row[1] != report.REVALIDATED} == set()
    assert expected <= measured
    for row in rows:
        figure = row["figure"]
        # An answer with GraphQL errors counts as an error (the wrk script reads every body).
        assert figure["errors"] == 0, row
        assert figure["requests_per_second"] > 0, row
        assert 0 < figure["p50_ms"] <= figure["p99_ms"], row
    table = result.stdout
    for query, server in measured:
        assert f"| {query} | {server} |" in table
    # The summary: one line a query, the gateway's figures beside the best peer's.
    for query in ("lookup", "mix"):
        assert re.search(rf"^\| {query} \| [\d,]+ \| [\d,]+ \| [\d,]+ \([\d.]+x\) \|", table, re.M)
    assert "Targets (issue 13), from this run:" in table
    assert "PostGraphile 4.14.1" in table and "PostGraphile 5.1.5" in table
