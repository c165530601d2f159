"""What the sync tells whoever watches: pages and records per endpoint, the allowance, waits.

The sync calls a `Reporter`; `TerminalReporter` draws one live status line on a terminal and
prints a line per finished endpoint, `SilentReporter` (for `--quiet`, cron and the server)
says nothing.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import Protocol, TextIO

from db.ingest.progress import Progress
from db.sync.durations import format_seconds
from db.sync.options import PAGE_SIZE


@dataclass(frozen=True)
class EndpointStatus:
    endpoint: str
    pages_done: int
    records: int
    total: int | None

    @property
    def pages_total(self) -> int | None:
        return None if self.total is None else max(math.ceil(self.total / PAGE_SIZE), 1)

    def describe(self) -> str:
        pages = f"{self.pages_done}/{self.pages_total}" if self.pages_total else self.pages_done
        of = f" of {self.total}" if self.total is not None else ""
        return f"{self.endpoint}: page {pages}, {self.records}{of} records"


class Reporter(Protocol):
    def page(self, status: EndpointStatus) -> None: ...

    def endpoint_done(self, status: EndpointStatus) -> None: ...

    def allowance(self, left: int | None, limit: int | None) -> None: ...

    def waiting(self, seconds: float, why: str) -> None: ...


class SilentReporter:
    def page(self, status: EndpointStatus) -> None:
        pass

    def endpoint_done(self, status: EndpointStatus) -> None:
        pass

    def allowance(self, left: int | None, limit: int | None) -> None:
        pass

    def waiting(self, seconds: float, why: str) -> None:
        pass


class TerminalReporter:
    """A live line (endpoint, pages, records, allowance, wait) and a line per endpoint done."""

    def __init__(self, out: TextIO | None = None, progress: Progress | None = None) -> None:
        self.out = out or sys.stdout
        self.progress = progress or Progress(sys.stderr)
        self._status = ""
        self._allowance = ""

    def _draw(self, wait: str = "", *, force: bool = False) -> None:
        parts = [p for p in (self._status, self._allowance, wait) if p]
        self.progress.update(" | ".join(parts), force=force)

    def page(self, status: EndpointStatus) -> None:
        self._status = status.describe()
        self._draw(force=True)

    def endpoint_done(self, status: EndpointStatus) -> None:
        self.progress.done()
        self._status = ""
        pages = _count(status.pages_done, "page")
        self.out.write(f"{status.endpoint}: {pages}, {_count(status.records, 'record')}\n")
        self.out.flush()

    def allowance(self, left: int | None, limit: int | None) -> None:
        self._allowance = "" if limit is None else f"{left} of {limit} requests left"
        self._draw()

    def waiting(self, seconds: float, why: str) -> None:
        self._draw(f"waiting {format_seconds(seconds)}: {why}", force=True)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
