"""Time for the sync: every wait and every timestamp goes through a `Clock`.

The sync waits for LL2's allowance (up to an hour at a time) and backs off after errors; tests
and benchmarks hand it a `SimulatedClock`, whose `sleep` moves time forward at once, so hours of
politeness take milliseconds and the waits can be asserted exactly.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current time, UTC, naive (as the database stores it)."""
        ...

    def monotonic(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC).replace(tzinfo=None)

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class SimulatedClock:
    """Time that only `sleep` moves; safe to read from other threads (a fake server's)."""

    def __init__(self, start: dt.datetime = dt.datetime(2025, 1, 1)) -> None:
        self._start = start
        self._elapsed = 0.0
        self._lock = threading.Lock()
        self.sleeps: list[float] = []

    def now(self) -> dt.datetime:
        return self._start + dt.timedelta(seconds=self.monotonic())

    def monotonic(self) -> float:
        with self._lock:
            return self._elapsed

    async def sleep(self, seconds: float) -> None:
        with self._lock:
            self._elapsed += max(seconds, 0.0)
            self.sleeps.append(seconds)
        await asyncio.sleep(0)
