"""What one sync run is asked to do, and the sync's two ways of ending early."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from db.render import DEFAULT_BASE_URL
from db.spec import ENDPOINTS

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_TOTAL_WAIT",
    "PAGE_SIZE",
    "Stopped",
    "SyncError",
    "SyncOptions",
]
PAGE_SIZE = 100  # LL2's largest page
# A full sync at LL2's free tier waits about two hours for its allowance (39 requests, 15 an hour).
DEFAULT_MAX_TOTAL_WAIT = 3 * 3600.0


@dataclass(frozen=True, kw_only=True)
class SyncOptions:
    """`endpoints` in sync order; `max_wait` (each wait), `max_total_wait` (all of a run's
    waits together) and the timings in seconds."""

    base_url: str = DEFAULT_BASE_URL
    api_key: str | None = None
    endpoints: tuple[str, ...] = tuple(ENDPOINTS)
    max_requests: int | None = None
    max_wait: float = 3600.0
    max_total_wait: float = DEFAULT_MAX_TOTAL_WAIT
    timeout: float = 30.0
    retries: int = 5
    backoff: float = 2.0
    backoff_cap: float = 300.0

    def __post_init__(self) -> None:
        unknown = [e for e in self.endpoints if e not in ENDPOINTS]
        if unknown:
            raise ValueError(
                f"unknown endpoint {unknown[0]!r}; the sync knows {', '.join(ENDPOINTS)}"
            )
        if not self.endpoints:
            raise ValueError("no endpoints to sync")
        for name in ("max_wait", "max_total_wait"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be at least 0 seconds, got {getattr(self, name)}")
        if self.max_requests is not None and self.max_requests < 1:
            raise ValueError(f"max_requests must be at least 1, got {self.max_requests}")
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(
                f"base URL {self.base_url!r} should be like {DEFAULT_BASE_URL} (http or https)"
            )
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))
        object.__setattr__(self, "endpoints", tuple(dict.fromkeys(self.endpoints)))


class SyncError(Exception):
    """Ends a run with an error (exit status 1); the pages committed before it stay."""


class Stopped(Exception):
    """Ends a run early (exit status 75): the allowance needs too long a wait, or the cap."""
