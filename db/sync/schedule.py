"""The sync, again and again, in the background of a running server (`serve --sync-every 1h`).

    task = asyncio.create_task(run_periodically(engine, dt.timedelta(hours=1), options))
    ...
    task.cancel()  # on shutdown; the run in progress is recorded as interrupted

It shares the server's event loop: HTTP and the database are awaited, and the one CPU-bound
step (checking a page) runs in a worker thread, so requests keep being answered. Each run's
outcome, failures included, is kept in `sync_run`, where `db.dataset_info` reads it. The first
run starts when the last finished round is `every` old (at once if there is none).
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.ext.asyncio import AsyncEngine

from db.sync import store
from db.sync.clock import Clock, SystemClock
from db.sync.options import SyncOptions
from db.sync.runner import Outcome, sync

log = logging.getLogger(__name__)


async def _first_delay(engine: AsyncEngine, every: dt.timedelta, clock: Clock) -> float:
    try:
        async with engine.connect() as conn:
            last = await store.last_finished_round(conn)
    except Exception:  # a database not migrated yet: the sync itself will say what is wrong
        return 0.0
    if last is None or last.finished_at is None:
        return 0.0
    return max((last.finished_at + every - clock.now()).total_seconds(), 0.0)


async def run_periodically(
    engine: AsyncEngine,
    every: dt.timedelta,
    options: SyncOptions,
    *,
    clock: Clock | None = None,
    runs: int | None = None,
) -> None:
    """Sync every `every` until cancelled (or `runs` times); never raises for a failed run."""
    clock = clock or SystemClock()
    if every <= dt.timedelta(0):
        raise ValueError(f"the sync interval must be positive, got {every}")
    await clock.sleep(await _first_delay(engine, every, clock))
    done = 0
    while runs is None or done < runs:
        started = clock.monotonic()
        try:
            result = await sync(engine, options, clock=clock)
        except Exception:
            log.exception("sync from %s failed", options.base_url)
        else:
            level = logging.WARNING if result.outcome is Outcome.FAILED else logging.INFO
            log.log(level, "%s", result.summary())
        done += 1
        if runs is None or done < runs:
            elapsed = clock.monotonic() - started
            await clock.sleep(max(every.total_seconds() - elapsed, 0.0))
