"""LL2's allowance as `/api-throttle/` reports it, and what is left of it after our requests.

LL2 answers a list holding one `APIThrottle` (`your_request_limit`, `limit_frequency_secs`,
`current_use`, `next_use_secs`, `ident`); older versions answered the object alone. Requests
made since the reading are spent locally, so the sync never relies on a stale figure: when the
local count says the allowance is gone, it reads `/api-throttle/` again before it waits.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from dataclasses import dataclass, replace
from typing import Any

from db.sync.durations import format_seconds
from db.sync.options import SyncError

_FIELDS = ("your_request_limit", "limit_frequency_secs", "current_use", "next_use_secs")


@dataclass(frozen=True)
class Allowance:
    limit: int
    window: int
    used: int
    next_use_secs: float
    ident: str
    read_at: float
    spent_since_read: int = 0

    @property
    def left(self) -> int:
        return max(self.limit - self.used - self.spent_since_read, 0)

    def spend(self) -> Allowance:
        return replace(self, spent_since_read=self.spent_since_read + 1)

    def wait(self, now: float) -> float:
        """Seconds until LL2 allows the next request, as of the reading."""
        return max(self.next_use_secs - (now - self.read_at), 0.0)

    def describe(self) -> str:
        return f"{self.limit} requests per {format_seconds(self.window)}"


def parse_allowance(url: str, payload: Any, read_at: float) -> Allowance:
    item = payload[0] if isinstance(payload, list) and payload else payload
    if not isinstance(item, dict):
        raise SyncError(f"GET {url}: expected LL2's APIThrottle object, got {payload!r:.200}")
    for key in _FIELDS:
        value = item.get(key)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
            raise SyncError(
                f"GET {url}: {key} should be a number of at least 0, got {value!r:.100}"
            )
    return Allowance(
        limit=int(item["your_request_limit"]),
        window=int(item["limit_frequency_secs"]),
        used=int(item["current_use"]),
        next_use_secs=float(item["next_use_secs"]),
        ident=str(item.get("ident", "")),
        read_at=read_at,
    )


def retry_after(value: str | None, now: dt.datetime) -> float | None:
    """The seconds a `Retry-After` header asks for (a number or an HTTP date); None if absent."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(float(text), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return max((when - now).total_seconds(), 0.0)
