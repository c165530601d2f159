"""The monitor of `bench/monitor.py`, for tests that abuse a live server."""

from __future__ import annotations

from bench.monitor import TIMEOUT, Monitor

__all__ = ["TIMEOUT", "Monitor"]
