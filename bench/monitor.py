"""A monitor's query, asked again and again from a thread of its own while a test (or
`bench/abuse.py`) abuses the server: each answer's status, body and time, so it can say that
the server kept answering.

    with Monitor(server.url) as monitor:
        ...abuse...
    monitor.check()       # every query answered 200 with the right data, each within the timeout
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from types import TracebackType

import httpx

QUERY = {"query": "{ spacecraft(ll2Id: 467) { name } }"}
DATA = {"spacecraft": {"name": "Shenzhou 13"}}
# What a stalled worker looks like from outside. Generous on purpose: a loaded 2-CPU machine
# slows every answer, while a stall (a held event loop, connections no longer accepted) makes
# them time out altogether. The latencies are printed; `slowest` is the figure to report.
TIMEOUT = 5.0


@dataclass
class Monitor:
    url: str
    every: float = 0.1
    answers: list[tuple[int | str, float]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _run(self) -> None:
        # A new connection each time, as a load balancer's health check makes: a held event
        # loop or a full accept queue shows.
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                response = httpx.post(f"{self.url}/graphql", json=QUERY, timeout=TIMEOUT)
                ok = response.status_code == 200 and response.json().get("data") == DATA
                outcome: int | str = (
                    response.status_code if ok else f"{response.status_code}: {response.text[:200]}"
                )
            except httpx.HTTPError as e:
                outcome = f"{type(e).__name__}: {e}"
            self.answers.append((outcome, time.monotonic() - started))
            self._stop.wait(self.every)

    def __enter__(self) -> Monitor:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=TIMEOUT + 5)

    @property
    def failed(self) -> list[tuple[int | str, float]]:
        return [(outcome, round(s, 3)) for outcome, s in self.answers if outcome != 200]

    @property
    def slowest(self) -> float:
        return max((seconds for _, seconds in self.answers), default=0.0)

    def check(self, *, at_least: int = 3) -> None:
        failed = self.failed
        print(f"monitor: {len(self.answers)} queries, slowest {self.slowest * 1000:.0f} ms")
        assert not failed, (
            f"{len(failed)} of {len(self.answers)} monitor queries failed: {failed[:5]}"
        )
        assert len(self.answers) >= at_least
