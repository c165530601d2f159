"""The run's one table (every query x every server, from the same run) and the issue's targets
read off it. Reading a target off the table is a report, not a test: nothing here fails."""

from __future__ import annotations

from dataclasses import dataclass

from bench.compare.load import Figure

POSTGRAPHILE = "PostGraphile"
CACHES_OFF = "gateway, caches off"
RESOLVERS = "gateway, caches off, resolvers (GATEWAY_COMPILED=false)"
CACHES_ON = "gateway, caches on, same query repeated"
REVALIDATED = "gateway, caches on, GET with If-None-Match (304)"
HTTP_FLOOR = "HTTP floor: Starlette, the gateway's bytes"
DATA_FLOOR = "data floor: one SQL statement (pgbench)"


@dataclass(frozen=True)
class Row:
    query: str
    server: str
    figure: Figure


def _find(rows: list[Row], query: str, server: str) -> Figure | None:
    return next((r.figure for r in rows if r.query == query and r.server == server), None)


def table(rows: list[Row]) -> str:
    lines = [
        "| query | server | requests/s | p50 ms | p99 ms | req/s ÷ PostGraphile | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        f = row.figure
        reference = _find(rows, row.query, POSTGRAPHILE)
        ratio = f"{f.requests_per_second / reference.requests_per_second:.2f}" if reference else ""
        lines.append(
            f"| {row.query} | {row.server} | {f.requests_per_second:,.0f} | {f.p50_ms:.2f} "
            f"| {f.p99_ms:.2f} | {ratio} | {f.errors} |"
        )
    return "\n".join(lines)


def _ratio_line(rows: list[Row], query: str, server: str, goal: float) -> str | None:
    ours, theirs = _find(rows, query, server), _find(rows, query, POSTGRAPHILE)
    if ours is None or theirs is None:
        return None
    ratio = ours.requests_per_second / theirs.requests_per_second
    verdict = "met" if ratio >= goal else "not met"
    return (
        f"- {query}, {server}: {ours.requests_per_second:,.0f} req/s vs PostGraphile "
        f"{theirs.requests_per_second:,.0f} = {ratio:.2f}x (target >= {goal:g}x: {verdict})"
    )


def targets(rows: list[Row], queries: list[str]) -> str:
    lines = ["Targets (issue 8):"]
    for query in ("Q1", "Q2"):
        lines.append(_ratio_line(rows, query, CACHES_OFF, 1) or "")
    for server in (CACHES_ON, REVALIDATED):
        for query in queries:
            lines.append(_ratio_line(rows, query, server, 5) or "")
    floor = _find(rows, "Q3", HTTP_FLOOR)
    for server in (CACHES_ON, REVALIDATED):
        ours = _find(rows, "Q3", server)
        if ours and floor:
            ratio = ours.p50_ms / floor.p50_ms
            verdict = "met" if ratio <= 1.5 else "not met"
            lines.append(
                f"- Q3, {server}: p50 {ours.p50_ms:.2f} ms vs the HTTP floor's "
                f"{floor.p50_ms:.2f} ms = {ratio:.2f}x (target <= 1.5x: {verdict})"
            )
    return "\n".join(line for line in lines if line)
