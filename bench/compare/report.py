"""The run's tables (every query x every row, from the same run) and the issue's targets read off
them. Reading a target off the table is a report, not a test: nothing here fails."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bench.compare.load import Figure

POSTGRAPHILE4 = "PostGraphile 4 x2"
POSTGRAPHILE5 = "PostGraphile 5 x2"
PEERS = (POSTGRAPHILE4, POSTGRAPHILE5)
CACHES_OFF = "gateway, caches off, new values"
CACHES_ON = "gateway, caches on, new values"
FIXED = "gateway, caches off, one fixed value"
REPEATED = "gateway, caches on, same request repeated"
REVALIDATED = "gateway, caches on, GET with If-None-Match (304)"
HTTP_FLOOR = "HTTP floor: Starlette, the gateway's bytes"
DATA_FLOOR = "data floor: the SQL with new values (pgbench)"

# The columns of the summary, in order, with their short headings.
COLUMNS = (
    (POSTGRAPHILE4, "PostGraphile 4 x2"),
    (POSTGRAPHILE5, "PostGraphile 5 x2"),
    (CACHES_OFF, "gateway, caches off"),
    (CACHES_ON, "gateway, caches on"),
    (FIXED, "caches off, one fixed value"),
    (REPEATED, "caches on, same request repeated"),
    (REVALIDATED, "304"),
    (HTTP_FLOOR, "HTTP floor"),
    (DATA_FLOOR, "data floor"),
)


@dataclass(frozen=True)
class Row:
    query: str
    server: str
    figure: Figure


def _find(rows: list[Row], query: str, server: str) -> Figure | None:
    return next((r.figure for r in rows if r.query == query and r.server == server), None)


def best_peer(rows: list[Row], query: str) -> Figure | None:
    peers = [f for f in (_find(rows, query, p) for p in PEERS) if f is not None]
    return max(peers, key=lambda f: f.requests_per_second, default=None)


def _queries(rows: list[Row]) -> list[str]:
    return list(dict.fromkeys(r.query for r in rows))


def summary(rows: list[Row]) -> str:
    """Requests per second, one line per query; the gateway's in parentheses ÷ the best peer."""
    lines = [
        "| query | " + " | ".join(h for _, h in COLUMNS) + " | new ÷ fixed |",
        "| --- |" + " ---: |" * (len(COLUMNS) + 1),
    ]
    for query in _queries(rows):
        best = best_peer(rows, query)
        cells = []
        for server, _ in COLUMNS:
            f = _find(rows, query, server)
            if f is None:
                cells.append("")
                continue
            cell = f"{f.requests_per_second:,.0f}"
            if server.startswith("gateway") and best is not None:
                cell += f" ({f.requests_per_second / best.requests_per_second:.2f}x)"
            cells.append(cell)
        new, fixed = _find(rows, query, CACHES_OFF), _find(rows, query, FIXED)
        ratio = (
            f"{new.requests_per_second / fixed.requests_per_second:.2f}" if new and fixed else ""
        )
        lines.append(f"| {query} | " + " | ".join(cells) + f" | {ratio} |")
    return "\n".join(lines)


def table(rows: list[Row]) -> str:
    lines = [
        "| query | row | requests/s | p50 ms | p99 ms | ÷ best peer | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        f = row.figure
        best = best_peer(rows, row.query)
        ratio = f"{f.requests_per_second / best.requests_per_second:.2f}" if best else ""
        lines.append(
            f"| {row.query} | {row.server} | {f.requests_per_second:,.0f} | {f.p50_ms:.2f} "
            f"| {f.p99_ms:.2f} | {ratio} | {f.errors} |"
        )
    return "\n".join(lines)


def _versus_peer(rows: list[Row], query: str, server: str, goal: float) -> str | None:
    ours, best = _find(rows, query, server), best_peer(rows, query)
    if ours is None or best is None:
        return None
    ratio = ours.requests_per_second / best.requests_per_second
    verdict = "met" if ratio >= goal else "not met"
    return f"{query} {ratio:.2f}x ({verdict})"


def targets(rows: list[Row], cpus: int) -> str:
    """Issue 13's targets, and the CPU time a cold request costs beyond the database's."""
    queries = [q for q in _queries(rows) if q != "mix"]
    lines = ["Targets (issue 13), from this run:"]

    def line(title: str, parts: Sequence[str | None]) -> None:
        found = [p for p in parts if p]
        if found:
            lines.append(f"- {title}: " + ", ".join(found))

    line(
        "new values, caches off, at least 1.5x the best peer",
        [_versus_peer(rows, q, CACHES_OFF, 1.5) for q in queries],
    )
    line("the realistic mix, at least 2x the best peer", [_versus_peer(rows, "mix", CACHES_OFF, 2)])
    on_vs_off = []
    for q in queries:
        on, off = _find(rows, q, CACHES_ON), _find(rows, q, CACHES_OFF)
        if on and off:
            ratio = on.requests_per_second / off.requests_per_second
            on_vs_off.append(f"{q} {ratio:.2f}x ({'met' if ratio >= 1 else 'not met'})")
    line("new values, caches on, never below caches off", on_vs_off)
    line(
        "the same request repeated, at least 5x the best peer (on new values)",
        [_versus_peer(rows, q, REPEATED, 5) for q in queries],
    )
    fixed = []
    for q in queries:
        new, one = _find(rows, q, CACHES_OFF), _find(rows, q, FIXED)
        if new and one:
            ratio = new.requests_per_second / one.requests_per_second
            fixed.append(f"{q} {ratio:.2f}x ({'met' if ratio >= 0.9 else 'not met'})")
    line("new values within 0.9x of one fixed value, caches off", fixed)
    cost = []
    for q in queries:
        ours, data = _find(rows, q, CACHES_OFF), _find(rows, q, DATA_FLOOR)
        if ours and data:
            # Both saturate the machine's CPUs, so CPUs ÷ req/s is the CPU time of a request.
            gateway_us = cpus / ours.requests_per_second * 1e6
            database_us = cpus / data.requests_per_second * 1e6
            cost.append(f"{q} {gateway_us - database_us:,.0f} µs")
    line(
        f"CPU time of a cold request (caches off) beyond the data floor's, {cpus} CPUs ÷ req/s "
        "each",
        cost,
    )
    return "\n".join(lines)
