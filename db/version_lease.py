"""The worker's side of `db.workers`: the dataset's version held in memory, for a lease.

Reading the version costs a PostgreSQL round trip, the largest part of a cached answer. A
`VersionLease` runs one task per worker process on a connection of its own. It listens for the
versions writers notify and, every `lease / 4`:

1. renews its row: it acknowledges the version it holds and extends the lease to the database's
   now + `lease`;
2. reads the version, in case a notice was missed;
3. trusts what it holds until the moment it sent the renewal + 90 % of the lease. That moment is
   never later than the lease the database recorded, so a writer that waits the lease out never
   waits for less than the worker trusts.

A notice is acknowledged at once. Until the lease is renewed, or when it lapses (a dropped
connection, a busy or paused process), `trusted()` says None and the reader reads the version
for each request, as it would with no lease at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from typing import Any

from db.state import VERSION_SQL, version_in
from db.workers import FORGET_SQL, LEAVE_SQL, RENEW_SQL, VERSION_CHANNEL

log = logging.getLogger(__name__)

TRUSTED_SHARE = 0.9  # of the lease: room for the clocks of worker and database to drift apart
RETRY_SECONDS = 1.0


class VersionLease:
    """`trusted()`: the version this worker may use now without asking, or None."""

    def __init__(self, dsn: str, lease: float) -> None:
        self._dsn = dsn
        self._lease = lease
        self._id = uuid.uuid4().hex
        self._label = f"{socket.gethostname()} pid {os.getpid()}"
        self._version = 0
        self._trusted_until = 0.0  # time.monotonic()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._failing = False
        self.renewals = 0

    def trusted(self) -> int | None:
        if time.monotonic() < self._trusted_until:
            return self._version
        return None

    def saw(self, version: int) -> None:
        """A version read elsewhere in the process: what it holds never goes back."""
        self._version = max(self._version, version)

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            connection: Any = None
            try:
                connection = await self._connect()
                await connection.execute(FORGET_SQL)
                while True:
                    await self._renew(connection)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self._lease / 4)
            except Exception as e:  # any failure: lapse, then try again
                self._trusted_until = 0.0
                if not self._failing:
                    log.warning(
                        "the version lease lapsed (%s: %s): every request reads the version "
                        "until it is renewed",
                        type(e).__name__,
                        e,
                    )
                self._failing = True
            finally:
                if connection is not None:
                    connection.terminate()
            await asyncio.sleep(RETRY_SECONDS)

    async def _connect(self) -> Any:
        import asyncpg  # type: ignore[import-untyped]

        connection = await asyncpg.connect(
            self._dsn,
            server_settings={"jit": "off", "application_name": "gateway version lease"},
        )
        await connection.add_listener(VERSION_CHANNEL, self._notified)
        return connection

    def _notified(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        self.saw(int(payload))
        self._wake.set()  # acknowledge it now

    async def _renew(self, connection: Any) -> None:
        self._wake.clear()
        sent = time.monotonic()
        acknowledged = self._version
        await connection.execute(RENEW_SQL, self._id, self._label, acknowledged, self._lease)
        self.saw(version_in(await connection.fetch(VERSION_SQL)))
        self._trusted_until = sent + self._lease * TRUSTED_SHARE
        self.renewals += 1
        self._failing = False
        if self._version != acknowledged:
            self._wake.set()

    async def close(self) -> None:
        """Stop trusting, stop the task and take the row away, so writers need not wait for it."""
        self._trusted_until = 0.0
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        try:
            connection = await self._connect_plain()
            try:
                await connection.execute(LEAVE_SQL, self._id)
            finally:
                await connection.close()
        except Exception as e:  # its lease runs out instead
            log.warning("could not remove this worker's lease (%s)", e)

    async def _connect_plain(self) -> Any:
        import asyncpg

        return await asyncpg.connect(self._dsn, timeout=5)
