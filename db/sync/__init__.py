"""The live sync from LL2: its list endpoints, paged politely, committed page by page.

    result = await sync(engine, SyncOptions(api_key=...), reporter=TerminalReporter())
    result.outcome.exit_status  # 0 done, 75 stopped early, 1 failed

`client` speaks HTTP to LL2 within its allowance, `pages` checks what it answers, `runner`
commits each page with the importer's rules and the progress made (`store`, `tables`), `stale`
reports what LL2 stopped listing, `schedule` repeats the sync in a server. Nothing here knows
the schema beyond what `db.ingest` and `db.spec` say.
"""

from __future__ import annotations

from db.sync.clock import Clock, SimulatedClock, SystemClock
from db.sync.durations import format_seconds, parse_duration
from db.sync.options import DEFAULT_BASE_URL, Stopped, SyncError, SyncOptions
from db.sync.report import EndpointStatus, Reporter, SilentReporter, TerminalReporter
from db.sync.runner import Outcome, SyncResult, sync
from db.sync.stale import Staleness, StaleRecord, stale_records

__all__ = [
    "DEFAULT_BASE_URL",
    "Clock",
    "EndpointStatus",
    "Outcome",
    "Reporter",
    "SilentReporter",
    "SimulatedClock",
    "StaleRecord",
    "Staleness",
    "Stopped",
    "SyncError",
    "SyncOptions",
    "SyncResult",
    "SystemClock",
    "TerminalReporter",
    "format_seconds",
    "parse_duration",
    "stale_records",
    "sync",
]
