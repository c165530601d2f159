"""Durations as people type and read them: `1h`, `30m`, `90s`, `1h30m`, `3600`."""

from __future__ import annotations

import re

_PART = re.compile(r"(\d+(?:\.\d+)?)([hms])")
_UNIT = {"h": 3600, "m": 60, "s": 1}


def parse_duration(text: str) -> float:
    """Seconds in `text`; a bare number is seconds. ValueError names what was wrong."""
    value = text.strip().lower()
    try:
        seconds = float(value)
    except ValueError:
        parts = _PART.findall(value)
        if not parts or "".join(n + u for n, u in parts) != value:
            raise ValueError(
                f"{text!r} is not a duration: write it like 1h, 30m, 90s, 1h30m or 3600"
            ) from None
        seconds = sum(float(n) * _UNIT[u] for n, u in parts)
    if seconds < 0:
        raise ValueError(f"{text!r} is negative; a duration is at least 0")
    return seconds


def format_seconds(seconds: float) -> str:
    """3725 -> '1h2m5s'; 0.25 -> '0.25s'."""
    if seconds < 10:
        return f"{seconds:.3g}s"
    hours, rest = divmod(round(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}h" * bool(hours) + f"{minutes}m" * bool(minutes) + f"{secs}s" * bool(secs)
    return text or "0s"
