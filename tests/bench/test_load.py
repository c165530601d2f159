"""The load script's short form: a few seconds of the realistic mix against `serve --workers 2`
must answer every request without an error. Throughput, latency and memory are figures of the
full run (bench/load/run.py), never asserted."""

from __future__ import annotations

import json
import shutil

from tests.support.bench import run_bench
from tests.support.system import missing


def test_a_short_load_run_answers_every_request_without_error() -> None:
    if shutil.which("wrk") is None:
        missing("wrk is not installed (Debian package wrk)")
    result = run_bench(
        "bench/load/run.py",
        "--spacecraft",
        "2000",
        "--flights",
        "600",
        "--connections",
        "16",
        "--duration",
        "5",
        "--warmup",
        "1",
        "--json",
    )
    figures = json.loads(result.stdout)
    assert (figures["errors"], figures["socket_errors"], figures["first_error"]) == (0, 0, "")
    assert figures["requests"] > 0
    assert figures["workers"] == 2 and len(figures["rss_samples_mib"]) >= 4
