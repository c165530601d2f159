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

from prometheus_client import CollectorRegistry, Gauge
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


def dataset_registry(facts: DatasetInfo | str) -> CollectorRegistry:
    registry = CollectorRegistry()
    up = Gauge(
        "gateway_database_up",
        "1 when the database answered this scrape's read of the dataset's facts",
        registry=registry,
    )
    if isinstance(facts, str):
        up.set(0)
        return registry
    up.set(1)
    Gauge(
        "gateway_dataset_version",
        "The dataset's version (bumped by every import and sync page)",
        registry=registry,
    ).set(facts.version)
    if facts.completed_at is not None:
        Gauge(
            "gateway_dataset_completed_timestamp_seconds",
            "When the last import, or the last full sync round, completed (Unix time)",
            registry=registry,
        ).set(_timestamp(facts.completed_at))
    if facts.age is not None:
        Gauge(
            "gateway_dataset_age_seconds",
            "Seconds since the last import, or the last full sync round, completed",
            registry=registry,
        ).set(facts.age.total_seconds())
    objects = Gauge(
        "gateway_dataset_objects",
        "Objects the dataset holds, by kind",
        ["kind"],
        registry=registry,
    )
    for kind in KINDS:
        objects.labels(kind).set(facts.counts[kind])
    if facts.replica is not None:
        Gauge(
            "gateway_replica_lag_seconds",
            "The standby read: time since its last replayed transaction while it has more to "
            "replay, else 0",
            registry=registry,
        ).set(facts.replica.lag_seconds)
        Gauge(
            "gateway_replica_lag_bytes",
            "The standby read: WAL received and not yet replayed",
            registry=registry,
        ).set(facts.replica.lag_bytes)
    if facts.last_sync is not None:
        Gauge(
            "gateway_last_sync_success",
            "1 when the last sync run that ended succeeded (done or stopped early), 0 when it "
            "failed",
            registry=registry,
        ).set(0 if facts.last_sync.outcome == "failed" else 1)
        Gauge(
            "gateway_last_sync_end_timestamp_seconds",
            "When the last sync run ended (Unix time)",
            registry=registry,
        ).set(_timestamp(facts.last_sync.ended_at))
        allowance = facts.last_sync.allowance_left, facts.last_sync.allowance_limit
        if allowance[0] is not None and allowance[1] is not None:
            Gauge(
                "gateway_ll2_allowance_left",
                "Requests LL2 still allowed when the last sync run ended",
                registry=registry,
            ).set(allowance[0])
            Gauge(
                "gateway_ll2_allowance_limit",
                "LL2's allowance per window, as the last sync run read it",
                registry=registry,
            ).set(allowance[1])
    return registry
