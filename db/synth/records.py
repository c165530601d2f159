"""Spacecraft, configuration and family records (counts, times, statuses), from the flights.

A spacecraft's record comes from its own flights. A configuration's and a family's add up their
spacecraft's, in a `Tally` that outlives one call, so a world built in segments
(`db.synth.world`) counts every segment's flights.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from db.synth.builder import NOW, SECOND, Builder
from db.synth.fleet import Fleet
from db.synth.lookups import (
    ACTIVE,
    DESTROYED,
    FAILURE,
    PARTIAL,
    RETIRED,
    SINGLE_USE,
    UNKNOWN,
)

if TYPE_CHECKING:
    from db.synth.flights import Flights, Flown


@dataclass
class Tally:
    """Per configuration: the sums of `STATS` and the fastest turnaround, so far."""

    totals: dict[int, dict[str, int]] = field(default_factory=dict)
    fastest: dict[int, int] = field(default_factory=dict)


def add_records(b: Builder, fleet: Fleet, flights: Flights, tally: Tally) -> None:
    """Spacecraft, configuration and family records, counted from the flights."""
    by_spacecraft: dict[int, list[Flown]] = {}
    for flown in flights.flown.values():
        by_spacecraft.setdefault(flown.spacecraft, []).append(flown)
    for spacecraft in fleet.spacecraft:
        _spacecraft_record(b, fleet, spacecraft, by_spacecraft.get(spacecraft, []))
    totals, fastest = tally.totals, tally.fastest
    for spacecraft in fleet.spacecraft:
        config = fleet.config_of[spacecraft]
        row = b.row("spacecraft", spacecraft)
        total = totals.setdefault(config, dict.fromkeys(STATS, 0))
        launched = [f for f in by_spacecraft.get(spacecraft, []) if f.net <= NOW]
        total["spacecraft_flown"] += bool(launched)
        for f in launched:
            status = b.row("launch", f.launch)["status_id"]
            total["total_launch_count"] += 1
            total["failed_launches"] += status in (FAILURE, PARTIAL)
            total["successful_launches"] += status not in (FAILURE, PARTIAL)
            if f.landing is not None:
                landing = b.row("landing", f.landing)
                total["attempted_landings"] += landing["attempt"]
                total["successful_landings"] += landing["success"] is True
                total["failed_landings"] += landing["success"] is False
        if row["fastest_turnaround"] is not None:
            fastest[config] = min(
                fastest.get(config, row["fastest_turnaround"]), row["fastest_turnaround"]
            )
    for config in fleet.configs:
        total = totals.get(config, dict.fromkeys(STATS, 0))
        b.row("spacecraft_configuration", config).update(
            total, fastest_turnaround=fastest.get(config)
        )
    for family in fleet.families:
        members = [
            c for c in fleet.configs if family in b.linked("spacecraft_configuration", "family", c)
        ]
        b.row("spacecraft_family", family).update(
            {key: sum(totals.get(c, {}).get(key, 0) for c in members) for key in STATS}
        )


STATS = (
    "spacecraft_flown",
    "total_launch_count",
    "successful_launches",
    "failed_launches",
    "attempted_landings",
    "successful_landings",
    "failed_landings",
)


def _spacecraft_record(b: Builder, fleet: Fleet, spacecraft: int, flown: list[Flown]) -> None:
    row = b.row("spacecraft", spacecraft)
    launched = [f for f in flown if f.net <= NOW]
    under_way = any(f.duration is None for f in launched)
    in_space = sum(
        f.duration if f.duration is not None else int((NOW - f.net).total_seconds()) * SECOND
        for f in launched
    )
    turnarounds = [f.turnaround for f in launched if f.turnaround is not None]
    last_landing = launched[-1].landing if launched else None
    lost = last_landing is not None and b.row("landing", last_landing)["success"] is False
    if under_way or len(launched) < len(flown):
        status = ACTIVE
    elif not launched:
        status = b.pick((UNKNOWN, ACTIVE))
    elif lost or b.chance(0.03):
        status = DESTROYED
    elif fleet.models[fleet.config_of[spacecraft]].reusable:
        status = b.pick((RETIRED, RETIRED, ACTIVE))
    else:
        status = SINGLE_USE
    row.update(
        in_space=under_way,
        time_in_space=in_space if launched or b.chance(0.7) else None,
        time_docked=sum(f.docked for f in launched) if launched or b.chance(0.7) else None,
        flights_count=len(flown),
        mission_ends_count=sum(f.duration is not None for f in launched),
        status_id=status,
        fastest_turnaround=min(turnarounds) if turnarounds else None,
    )
