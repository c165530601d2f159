"""The dataset's facts as metrics, read from the database when Prometheus scrapes.

They describe the database, not a process, so they are read at scrape time (on the API's
read-only engine, within the readiness timeout) rather than kept per worker: the version and
age of the data, its rows per kind, and the last sync's outcome. `gateway_database_up` is 0,
and the others absent, when the database does not answer.
"""

from __future__ import annotations

import asyncio
import calendar
import datetime as dt
from collections.abc import Iterator

from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from db.dataset_info import DatasetInfo, dataset_info_on
from gateway.readiness import KINDS, describe_error


def _timestamp(value: dt.datetime) -> float:
    return float(calendar.timegm(value.timetuple())) + value.microsecond / 1e6


async def read_facts(engine: AsyncEngine, timeout: float) -> DatasetInfo | str:
    """The dataset's facts, or why they could not be read."""
    try:
        async with asyncio.timeout(timeout), engine.connect() as conn:
            return await dataset_info_on(conn)
    except TimeoutError:
        return f"no answer within {timeout:g} s"
    except (OSError, SQLAlchemyError) as e:
        return describe_error(e)


class _Facts:
    """A collector of metric families built at scrape time. Not `Gauge`s: under
    `PROMETHEUS_MULTIPROC_DIR` those would be written to each worker's files, and every
    worker that ever answered a scrape would be reported again."""

    def __init__(self, families: list[GaugeMetricFamily]) -> None:
        self.families = families

    def collect(self) -> Iterator[GaugeMetricFamily]:
        return iter(self.families)


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def dataset_families(facts: DatasetInfo | str) -> list[GaugeMetricFamily]:
    up = _gauge(
        "gateway_database_up",
        "1 when the database answered this scrape's read of the dataset's facts",
        0 if isinstance(facts, str) else 1,
    )
    if isinstance(facts, str):
        return [up]
    families = [
        up,
        _gauge(
            "gateway_dataset_version",
            "The dataset's version (bumped by every import and sync page)",
            facts.version,
        ),
    ]
    if facts.completed_at is not None:
        families.append(
            _gauge(
                "gateway_dataset_completed_timestamp_seconds",
                "When the last import, or the last full sync round, completed (Unix time)",
                _timestamp(facts.completed_at),
            )
        )
    if facts.age is not None:
        families.append(
            _gauge(
                "gateway_dataset_age_seconds",
                "Seconds since the last import, or the last full sync round, completed",
                facts.age.total_seconds(),
            )
        )
    objects = GaugeMetricFamily(
        "gateway_dataset_objects", "Objects the dataset holds, by kind", labels=["kind"]
    )
    for kind in KINDS:
        objects.add_metric([kind], facts.counts[kind])
    families.append(objects)
    if facts.replica is not None:
        families.append(
            _gauge(
                "gateway_replica_lag_seconds",
                "The standby read: time since its last replayed transaction while it has more "
                "to replay, else 0",
                facts.replica.lag_seconds,
            )
        )
        families.append(
            _gauge(
                "gateway_replica_lag_bytes",
                "The standby read: WAL received and not yet replayed",
                facts.replica.lag_bytes,
            )
        )
    run = facts.last_sync
    if run is not None:
        families.append(
            _gauge(
                "gateway_last_sync_success",
                "1 when the last sync run that ended succeeded (done or stopped early), 0 when "
                "it failed",
                0 if run.outcome == "failed" else 1,
            )
        )
        families.append(
            _gauge(
                "gateway_last_sync_end_timestamp_seconds",
                "When the last sync run ended (Unix time)",
                _timestamp(run.ended_at),
            )
        )
        if run.allowance_left is not None and run.allowance_limit is not None:
            families.append(
                _gauge(
                    "gateway_ll2_allowance_left",
                    "Requests LL2 still allowed when the last sync run ended",
                    run.allowance_left,
                )
            )
            families.append(
                _gauge(
                    "gateway_ll2_allowance_limit",
                    "LL2's allowance per window, as the last sync run read it",
                    run.allowance_limit,
                )
            )
    return families


def dataset_registry(facts: DatasetInfo | str) -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(_Facts(dataset_families(facts)))
    return registry
