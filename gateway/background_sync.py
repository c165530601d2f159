"""`serve --sync-every 1h`: the LL2 sync, repeated, beside the server.

It runs in a process of its own, started by `serve` before the workers: one sync however many
workers answer requests, and never in the way of a request. It writes through its own engine
(the workers' engines are read-only) and stops with the server; a run cut short is recorded as
interrupted and resumes at its first unfinished page next time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import multiprocessing
import signal
from multiprocessing.process import BaseProcess

from db.engine import create_engine
from db.sync import SyncOptions, parse_duration
from db.sync.schedule import run_periodically

log = logging.getLogger("gateway.sync")


def sync_interval(text: str) -> dt.timedelta:
    """`1h`, `30m`, `90s` -> a positive interval; ValueError naming the problem otherwise."""
    seconds = parse_duration(text)
    if seconds <= 0:
        raise ValueError(f"the sync interval must be positive, got {text!r}")
    return dt.timedelta(seconds=seconds)


async def _sync_forever(database_url: str, every: dt.timedelta, options: SyncOptions) -> None:
    engine = create_engine(database_url)
    task = asyncio.create_task(run_periodically(engine, every, options))
    loop = asyncio.get_running_loop()
    for stop in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(stop, task.cancel)
    try:
        await task
    except asyncio.CancelledError:
        log.info("background sync stopped")
    finally:
        await engine.dispose()


def _main(database_url: str, every: dt.timedelta, options: SyncOptions) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    asyncio.run(_sync_forever(database_url, every, options))


def start(database_url: str, every: dt.timedelta, options: SyncOptions) -> BaseProcess:
    process = multiprocessing.get_context("spawn").Process(
        target=_main, args=(database_url, every, options), name="gateway-sync", daemon=True
    )
    process.start()
    log.info("background sync every %s from %s (pid %s)", every, options.base_url, process.pid)
    return process


def stop(process: BaseProcess, timeout: float = 10.0) -> None:
    process.terminate()
    process.join(timeout)
    if process.is_alive():
        process.kill()
