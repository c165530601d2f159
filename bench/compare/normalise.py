"""Answers from every source brought to one shape, so the check compares content only.

PostGraphile names things its own way (PostGraphile 5's documents alias its names to PostGraphile
4's, so this serves both) and types them as PostgreSQL does: `spacecrafts` for
`allSpacecraft`, `id` for `ll2Id`, bigint as strings (durations as microseconds), timestamps
without a zone, and a link table as a connection of rows whose `target` is the object. The
gateway's answer is the reference; cursors are opaque and differ by design, so only their
presence is compared.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.ll2.values import format_duration

RENAMES = {"spacecrafts": "allSpacecraft", "spacecraftFlights": "flights", "id": "ll2Id"}
# Link tables (`<entity>__<key>`), which PostGraphile shows as connections of link rows.
LINKS = {
    "spacecraftConfigurationFamiliesByOwnerId": "family",
    "spacecraftFlightLaunchCrewsByOwnerId": "launchCrew",
    "astronautNationalitiesByOwnerId": "nationality",
}
# Connections that the gateway answers as a list.
LISTS = {"dockingEventsByFlightVehicleChaserId": "dockingEvents"}
BIGINTS = {"ll2Id", "flightsCount", "crewCapacity"}
DURATIONS = {"timeInSpace", "duration"}
DATETIMES = {"net", "missionEnd", "docking", "departure"}
CURSORS = {"cursor", "endCursor"}


def postgraphile(value: Any) -> Any:
    """A PostGraphile answer's `data` in the gateway's names and value types."""
    if isinstance(value, list):
        return [postgraphile(v) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in LINKS:
            out[LINKS[key]] = [postgraphile(row["target"]) for row in item["nodes"]]
            continue
        if key in LISTS:
            out[LISTS[key]] = [postgraphile(row) for row in item["nodes"]]
            continue
        name = RENAMES[key] if key in RENAMES else str(key)
        out[name] = _scalar(name, postgraphile(item))
    return out


def _scalar(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if name in BIGINTS and value.isdigit():
        return int(value)
    if name in DURATIONS:
        return format_duration(int(value))
    if name in DATETIMES:
        # PostGraphile 4 writes `2021-12-20T11:48:10`, PostGraphile 5 `...10.000000`.
        return datetime.fromisoformat(value).isoformat() + "Z"
    return value


def without_cursors(value: Any) -> Any:
    """`value` with every cursor replaced by whether it was there."""
    if isinstance(value, list):
        return [without_cursors(v) for v in value]
    if isinstance(value, dict):
        return {
            k: (v is not None) if k in CURSORS else without_cursors(v) for k, v in value.items()
        }
    return value


def first_difference(expected: Any, actual: Any, path: str = "data") -> str | None:
    """Where two JSON values first differ, and how; None when they are equal."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        if expected.keys() != actual.keys():
            return f"{path}: keys {sorted(expected)} != {sorted(actual)}"
        for key in expected:
            found = first_difference(expected[key], actual[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return f"{path}: {len(expected)} items != {len(actual)} items"
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            found = first_difference(e, a, f"{path}[{i}]")
            if found:
                return found
        return None
    if expected != actual or type(expected) is not type(actual):
        return f"{path}: {expected!r} != {actual!r}"
    return None
