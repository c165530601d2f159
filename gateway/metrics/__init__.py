"""Prometheus metrics at `/metrics`: requests, latency, the database, the caches, the dataset.

`Instruments` holds every metric a worker process records; `MetricsMiddleware` records each
request; `instrument_engine` counts the database's statements and pool; `metrics_endpoint`
answers the scrape. Under `serve --workers N` the processes write their values to files in
`PROMETHEUS_MULTIPROC_DIR` (`gateway.serve` makes one), and whichever worker answers a scrape
reads them all, so Prometheus sees one view of the service.
"""

from __future__ import annotations

from gateway.metrics.database import instrument_engine, observe_direct
from gateway.metrics.endpoint import metrics_endpoint
from gateway.metrics.instruments import Instruments, multiprocess_dir
from gateway.metrics.middleware import MetricsMiddleware
from gateway.metrics.operations import OperationNames

__all__ = [
    "Instruments",
    "MetricsMiddleware",
    "OperationNames",
    "instrument_engine",
    "metrics_endpoint",
    "multiprocess_dir",
    "observe_direct",
]
