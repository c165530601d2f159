"""bench/compare's tables: the gateway's figures beside the best peer's, new values against one
fixed value, and the issue's targets read off the rows."""

from __future__ import annotations

from bench.compare import report
from bench.compare.load import Figure
from bench.compare.report import Row


def _row(query: str, server: str, rps: float) -> Row:
    return Row(query, server, Figure(rps, 1.0, 2.0, 0))


ROWS = [
    _row("lookup", report.POSTGRAPHILE4, 1000),
    _row("lookup", report.POSTGRAPHILE5, 400),
    _row("lookup", report.CACHES_OFF, 1500),
    _row("lookup", report.CACHES_ON, 1200),
    _row("lookup", report.FIXED, 2000),
    _row("lookup", report.REPEATED, 6000),
    _row("lookup", report.DATA_FLOOR, 20000),
    _row("mix", report.POSTGRAPHILE4, 300),
    _row("mix", report.POSTGRAPHILE5, 500),
    _row("mix", report.CACHES_OFF, 1000),
]


def test_the_summary_gives_each_query_one_line_with_ratios_to_the_best_peer() -> None:
    lines = report.summary(ROWS).splitlines()
    assert lines[0] == (
        "| query | PostGraphile 4 x2 | PostGraphile 5 x2 | gateway, caches off | "
        "gateway, caches on | caches off, one fixed value | caches on, same request repeated | "
        "304 | HTTP floor | data floor | new ÷ fixed |"
    )
    assert lines[2:] == [
        "| lookup | 1,000 | 400 | 1,500 (1.50x) | 1,200 (1.20x) | 2,000 (2.00x) | "
        "6,000 (6.00x) |  |  | 20,000 | 0.75 |",
        "| mix | 300 | 500 | 1,000 (2.00x) |  |  |  |  |  |  |  |",
    ]


def test_the_targets_are_read_off_the_rows() -> None:
    assert report.targets(ROWS, cpus=2).splitlines() == [
        "Targets (issue 13), from this run:",
        "- new values, caches off, at least 1.5x the best peer: lookup 1.50x (met)",
        "- the realistic mix, at least 2x the best peer: mix 2.00x (met)",
        "- new values, caches on, never below caches off: lookup 0.80x (not met)",
        "- the same request repeated, at least 5x the best peer (on new values): "
        "lookup 6.00x (met)",
        "- new values within 0.9x of one fixed value, caches off: lookup 0.75x (not met)",
        # 2 CPUs / 1,500 req/s = 1,333 µs a request; the floor's 2 / 20,000 = 100 µs.
        "- CPU time of a cold request (caches off) beyond the data floor's, 2 CPUs ÷ req/s "
        "each: lookup 1,233 µs",
    ]
