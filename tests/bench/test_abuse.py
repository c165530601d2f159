"""The abuse benchmark runs end to end (its figures are reported, never asserted)."""

from __future__ import annotations

import json

from bench.abuse import ATTACKS
from tests.support.bench import run_bench


def test_the_benchmark_sends_every_attack_and_reports_the_monitor_and_memory() -> None:
    result = run_bench("bench/abuse.py", "--json", timeout=300)
    figures = json.loads(result.stdout)
    assert [f["attack"] for f in figures] == [name for name, _ in ATTACKS]
    for figure in figures:
        assert figure["monitor_queries"] > 0
        assert 0 < figure["worker_rss_mib"] <= figure["worker_peak_rss_mib"]
        assert not figure["answer"].startswith("5")
