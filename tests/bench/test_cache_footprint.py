"""The cache footprint script's short form: fresh requests fill every cache keyed on variables,
one entry each, and each cache is seen to release memory when emptied. The bytes themselves
are figures of the full run (bench/cache_footprint.py, bench/README.md), never asserted."""

from __future__ import annotations

import json

from tests.support.bench import run_bench


def test_fresh_requests_fill_each_cache_and_each_is_measured() -> None:
    result = run_bench(
        "bench/cache_footprint.py",
        "--spacecraft",
        "2000",
        "--flights",
        "600",
        "--requests",
        "100",
        "--json",
    )
    report = json.loads(result.stdout)
    found = {f["cache"]: f for f in report["caches"]}
    assert sorted(found) == ["compiled plans", "known requests", "result cache", "root totals"]
    # Every request is new: each is kept once as an answer and once as a known request.
    assert (found["result cache"]["entries"], found["known requests"]["entries"]) == (100, 100)
    assert 0 < found["compiled plans"]["entries"] <= 100
    assert 0 < found["root totals"]["entries"] <= 100
    for footprint in found.values():
        assert footprint["held_bytes"] > 0, footprint
        assert footprint["most_bytes"] >= footprint["held_bytes"], footprint
    sqlite = report["sqlite"]
    assert sqlite["after_bytes"] > sqlite["before_bytes"] > 0  # read through SQLite itself
    assert sqlite["connections"] >= 1 and sqlite["cache_size_kib"] > 0
