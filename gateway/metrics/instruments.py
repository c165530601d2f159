"""Every metric a worker process records, and where a scrape reads them from.

In one process the metrics live in the app's own registry. When `PROMETHEUS_MULTIPROC_DIR` is
set (as `serve --workers N` does before starting its workers), prometheus-client writes each
process's values to files there, and a scrape reads every process's files
(`MultiProcessCollector`): counters and histograms are summed, and gauges of live state (pool
use, cache sizes) are summed over the processes alive.
"""

from __future__ import annotations

import os
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

# Seconds: a cached answer takes well under a millisecond, a refused one about as little, a
# heavy compiled query tens of milliseconds, and the execution timeout cuts at 10 s.
REQUEST_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
STATEMENT_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2.5, 10)


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def forget_dead_processes() -> None:
    """Drop the live gauges of workers that died without a clean stop (killed, crashed: uvicorn
    starts another), so pool use and cache sizes count only processes alive. Their counters
    stay: what they answered was answered."""
    directory = multiprocess_dir()
    if directory is None:
        return
    for path in Path(directory).glob("gauge_live*_*.db"):
        pid = path.stem.rsplit("_", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            mark_process_dead(int(pid), directory)  # type: ignore[no-untyped-call]


class Instruments:
    """The metrics of one app; `registry` is what a scrape collects (every process's, when
    several write to `PROMETHEUS_MULTIPROC_DIR`)."""

    def __init__(self) -> None:
        self.multiprocess = multiprocess_dir() is not None
        own = CollectorRegistry()
        # In multiprocess mode values go to files, whatever registry the metric is in.
        registry = None if self.multiprocess else own
        self.requests = Counter(
            "gateway_requests",
            "HTTP requests answered, by route, GraphQL operation name, how the answer was made "
            "(compiled, resolvers, cached, not_modified, refused, explorer, other) and the "
            "refusal's code",
            ["route", "operation", "answer", "code", "status"],
            registry=registry,
        )
        self.request_seconds = Histogram(
            "gateway_request_duration_seconds",
            "Time from a request's arrival to the end of its answer, by route and answer",
            ["route", "answer"],
            buckets=REQUEST_BUCKETS,
            registry=registry,
        )
        self.statements = Counter(
            "gateway_db_statements", "SQL statements the API's engine ran", registry=registry
        )
        self.statement_seconds = Histogram(
            "gateway_db_statement_duration_seconds",
            "Time each SQL statement of the API's engine took",
            buckets=STATEMENT_BUCKETS,
            registry=registry,
        )
        self.pool_checked_out = Gauge(
            "gateway_db_pool_checked_out",
            "Database connections the API's engines have checked out of their pools",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.pool_open = Gauge(
            "gateway_db_pool_open",
            "Database connections the API's engines hold open (in use or idle)",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.cache_entries = Gauge(
            "gateway_cache_entries",
            "Entries each cache holds (summed over worker processes)",
            ["cache"],
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.cache_bytes = Gauge(
            "gateway_cache_bytes",
            "Bytes each cache holds (summed over worker processes)",
            ["cache"],
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.cache_lookups = Counter(
            "gateway_cache_lookups",
            "Lookups of each cache, by result (hit or miss)",
            ["cache", "result"],
            registry=registry,
        )
        self.processes = Gauge(
            "gateway_worker_processes",
            "Worker processes serving the API whose metrics this view includes",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.own_registry = own

    def process_started(self) -> None:
        self.processes.set(1)

    def registry(self) -> CollectorRegistry:
        """What a scrape collects: this process's registry, or every process's files."""
        if not self.multiprocess:
            return self.own_registry
        forget_dead_processes()
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry

    def process_ended(self) -> None:
        """Drop this process's live gauges from the shared view (a worker stopping cleanly)."""
        if self.multiprocess:
            mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
