"""The depth benchmark runs end to end (its figures are reported, never asserted)."""

from __future__ import annotations

from tests.support.bench import run_bench
from tests.support.pages import CASES


def test_the_depth_benchmark_measures_every_case_on_a_small_dataset() -> None:
    result = run_bench(
        "bench/scale.py",
        *("--backends", "sqlite", "--paths", "compiled"),
        *("--spacecraft", "400", "--flights", "300", "--depth", "300", "--requests", "3"),
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith("400 spacecraft, 300 flights; pages of 20; medians of 3 requests")
    assert lines[1:3] == [
        "| backend | path | case | depth | page 1 ms | deep page ms | deep ÷ page 1 |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[3:]]
    assert [(r[0], r[1], r[2]) for r in rows] == [("sqlite", "compiled", c.name) for c in CASES]
    unfiltered = [r[3] for r in rows if r[2] in ("by id (default)", "NAME", "TIME_IN_SPACE")]
    assert unfiltered == ["300", "300", "300"]
    assert all(float(r[4]) > 0 and float(r[5]) > 0 for r in rows)
