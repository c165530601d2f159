"""Spacecraft flights: who flies when, for how long, where to, and how each flight ends.

Single-use spacecraft fly once, reusable ones many times, one flight after another; a few
spacecraft never fly. Durations run from a suborbital hop of minutes to stays of years; flights
across the synthetic present are under way (no end, no duration) and later ones are planned.
A tenth of the flights are detailed: they get crews and docking events. The records of
spacecraft, configurations and families are then counted from the flights.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from db.synth.builder import DAY, FIRST_FLIGHT, HOUR, NOW, SECOND, Builder, weighted_index
from db.synth.crews import Crews, add_crews
from db.synth.fleet import Fleet
from db.synth.launchers import Launchers
from db.synth.launches import LaunchPlan, add_launch, count_launches
from db.synth.lookups import (
    CARGO,
    HELIO,
    LEO,
    LUNAR,
    PARACHUTE,
    REENTRY,
    RUNWAY,
    SPACEPLANE,
    SPLASHDOWN,
    SUBORBITAL,
)
from db.synth.places import Places
from db.synth.records import Tally, add_records

LAST_START = dt.datetime(2024, 6, 1)
_STATION_ERAS = [(18, 2021, 2100), (4, 1998, 2100), (2, 1986, 2001), (3, 1982, 1991)]


@dataclass
class Flown:
    """One flight as the records need it."""

    spacecraft: int
    net: dt.datetime
    duration: int | None
    docked: int
    turnaround: int | None
    launch: str
    landing: int | None


@dataclass
class Flights:
    detailed: list[int]
    flown: dict[int, Flown] = field(default_factory=dict)


def add_flights(
    b: Builder,
    *,
    count: int,
    fleet: Fleet,
    places: Places,
    launchers: Launchers,
    crews: Crews,
    first: int = 1,
    tally: Tally | None = None,
) -> Flights:
    """Flights `first`, `first + 1`, ... (`count` of them), flown by the fleet's spacecraft."""
    flight_ids = range(first, first + count)
    schedule = _schedule(b, fleet, flight_ids)
    flights = Flights(detailed=sorted(b.sample(flight_ids, count // 10)))
    detailed = set(flights.detailed)
    payload_flights = _payload_flights(b, places, launchers, max(3, count // 2000))
    ports_on: dict[tuple[str, int], int] = {}
    mission_number: dict[int, int] = {}
    for ident in flight_ids:
        spacecraft, net, previous_end = schedule[ident]
        config = fleet.config_of[spacecraft]
        config_row = b.row("spacecraft_configuration", config)
        model = fleet.models[config]
        destination, orbit, station = _destination(b, net, config_row["type_id"])
        duration: int | None = _duration(b, orbit)
        end = net + dt.timedelta(microseconds=duration or 0)
        in_progress = net <= NOW < end
        if net > NOW or in_progress:
            duration, mission_end = None, None
        else:
            mission_end = end
        k = mission_number[config] = mission_number.get(config, 0) + 1
        mission_name = f"{config_row['name']} {k}"
        launch = add_launch(
            b,
            LaunchPlan(
                net=net,
                launcher=b.pick(model.launchers),
                mission_name=mission_name,
                mission_type=_mission_type(config_row, orbit),
                orbit=orbit,
                in_progress=in_progress,
                agency=config_row["agency_id"],
                program=model.program,
            ),
            places,
        )
        landing = _landing(b, places, config_row["type_id"], duration, mission_name)
        turnaround = int((net - previous_end).total_seconds()) * SECOND if previous_end else None
        b.add(
            "spacecraft_flight",
            ident,
            destination=destination,
            mission_end=mission_end,
            spacecraft_id=spacecraft,
            launch_id=launch,
            landing_id=landing,
            duration=duration,
            turn_around_time=turnaround,
        )
        docked = 0
        if ident in detailed and net <= NOW:
            if model.crew_capacity:
                add_crews(b, crews, ident, model.crew_capacity, net, duration)
            docked = _docking_events(
                b,
                ident,
                flight_ids,
                net,
                duration,
                station,
                places,
                payload_flights,
                fleet,
                ports_on,
            )
        elif station is not None and duration is not None:
            docked = int(duration * b.rng.uniform(0.6, 0.98)) // SECOND * SECOND
        flights.flown[ident] = Flown(spacecraft, net, duration, docked, turnaround, launch, landing)
    count_launches(b)
    add_records(b, fleet, flights, tally if tally is not None else Tally())
    return flights


def _schedule(
    b: Builder, fleet: Fleet, flight_ids: range
) -> dict[int, tuple[int, dt.datetime, dt.datetime | None]]:
    """Flight id -> (spacecraft, launch time, end of that spacecraft's previous flight)."""
    reusable = [s for s in fleet.spacecraft if fleet.models[fleet.config_of[s]].reusable]
    single = [s for s in fleet.spacecraft if not fleet.models[fleet.config_of[s]].reusable]
    b.rng.shuffle(single)
    unflown = iter(single)
    by_spacecraft: dict[int, list[int]] = {}
    for flight in flight_ids:
        spacecraft = None
        if reusable and b.chance(0.45):
            spacecraft = reusable[weighted_index(b.rng, len(reusable), skew=0.5)]
        else:
            spacecraft = next(unflown, None)
        if spacecraft is None:
            spacecraft = b.pick(reusable or fleet.spacecraft)
        by_spacecraft.setdefault(spacecraft, []).append(flight)
    schedule: dict[int, tuple[int, dt.datetime, dt.datetime | None]] = {}
    for spacecraft in sorted(by_spacecraft):
        # Later years fly more, as in LL2; no spacecraft flies before its model's first flight.
        maiden = b.row("spacecraft_configuration", fleet.config_of[spacecraft])["maiden_flight"]
        start = (
            max(FIRST_FLIGHT, dt.datetime.combine(maiden, dt.time())) if maiden else FIRST_FLIGHT
        )
        span = max((LAST_START - start).total_seconds(), 86400)
        cursor = start + dt.timedelta(seconds=int(span * (1 - b.rng.random() ** 2)))
        previous_end: dt.datetime | None = None
        for flight in by_spacecraft[spacecraft]:
            schedule[flight] = (spacecraft, cursor, previous_end)
            previous_end = cursor + dt.timedelta(days=b.rng.randint(1, 200))
            cursor = previous_end + dt.timedelta(seconds=b.rng.randint(20 * 86400, 900 * 86400))
    return schedule


def _destination(b: Builder, net: dt.datetime, kind: int) -> tuple[str, int, int | None]:
    """(destination text, orbit, space station or None)."""
    roll = b.rng.random()
    if roll < 0.6 or kind == CARGO:
        for station, start, end in _STATION_ERAS:
            if start <= net.year <= end:
                return b.row("space_station", station)["name"], LEO, station
        return "Low Earth Orbit", LEO, None
    if roll < 0.82:
        return "Low Earth Orbit", LEO, None
    if roll < 0.92:
        return "Suborbital", SUBORBITAL, None
    if roll < 0.97:
        return "Lunar Orbit", LUNAR, None
    return "Heliocentric orbit", HELIO, None


def _duration(b: Builder, orbit: int) -> int:
    """Microseconds: minutes for a hop, hours to days to months, years for a long stay."""
    if orbit == SUBORBITAL:
        return b.seconds(8 * 60, 16 * 60)
    roll = b.rng.random()
    if roll < 0.08:
        return b.seconds(90 * 60, 20 * 3600)
    if roll < 0.4:
        return b.seconds(86400, 20 * 86400)
    if roll < 0.95:
        return b.seconds(20 * 86400, 220 * 86400)
    return b.seconds(365 * 86400, 800 * 86400)


def _mission_type(config: dict[str, object], orbit: int) -> str:
    if config["type_id"] == CARGO:
        return "Resupply"
    if orbit == SUBORBITAL:
        return "Tourism"
    return "Human Exploration" if config["human_rated"] else "Test Flight"


def _landing(
    b: Builder, places: Places, kind: int, duration: int | None, mission: str
) -> int | None:
    if duration is None or b.chance(0.1):
        return None
    if kind == SPACEPLANE:
        how = RUNWAY
    elif kind == CARGO:
        how = REENTRY if b.chance(0.6) else SPLASHDOWN
    else:
        how = PARACHUTE if b.chance(0.6) else SPLASHDOWN
    success = None if b.chance(0.02) else how == REENTRY or b.chance(0.95)
    days = duration // DAY
    hours = duration % DAY // HOUR
    ident = b.new_id("landing", start=1000)
    b.add(
        "landing",
        ident,
        attempt=b.chance(0.98),
        success=success,
        description=f"{mission} came back after {days} days, {hours} hours in flight.",
        downrange_distance=None if b.chance(0.9) else round(b.rng.uniform(5, 600), 1),
        landing_location_id=b.pick(places.landing_places[how]),
        type_id=how,
    )
    return ident


def _payload_flights(b: Builder, places: Places, launchers: Launchers, count: int) -> list[int]:
    """Payloads that vehicles dock to, each on a launch of its own."""
    ids = []
    for _ in range(count):
        payload = b.pick(launchers.payloads)
        name = b.row("payload", payload)["name"]
        net = b.moment(dt.datetime(1998, 1, 1), dt.datetime(2024, 1, 1))
        plan = LaunchPlan(
            net=net,
            launcher=b.pick(launchers.configs),
            mission_name=name,
            mission_type="Space Station Assembly",
            orbit=LEO,
            in_progress=False,
            agency=b.row("payload", payload)["operator_id"],
            program=None,
        )
        ident = b.new_id("payload_flight", start=10)
        b.add(
            "payload_flight",
            ident,
            destination="International Space Station",
            amount=1,
            payload_id=payload,
            launch_id=add_launch(b, plan, places),
            landing_id=None,
        )
        ids.append(ident)
    return ids


def _port(b: Builder, ports_on: dict[tuple[str, int], int], kind: str, owner: int) -> int:
    """The docking port of a spacecraft configuration or a payload, made once."""
    key = (kind, owner)
    if key not in ports_on:
        ident = ports_on[key] = b.new_id("docking_location")
        if kind == "spacecraft":
            b.add("docking_location", ident, name="Forward docking port", spacecraft_id=owner)
        else:
            b.add("docking_location", ident, name="Common Berthing Mechanism", payload_id=owner)
    return ports_on[key]


def _docking_events(
    b: Builder,
    flight: int,
    flight_ids: range,
    net: dt.datetime,
    duration: int | None,
    station: int | None,
    places: Places,
    payload_flights: list[int],
    fleet: Fleet,
    ports_on: dict[tuple[str, int], int],
) -> int:
    """Docking events of a detailed flight; the time spent docked."""
    weights = (0, 1, 1, 1, 1, 1, 1, 2, 2, 3) if station else (0, 0, 0, 0, 0, 0, 0, 1, 1, 2)
    events = b.pick(weights)
    stay = duration if duration is not None else int((NOW - net).total_seconds()) * SECOND
    docked = 0
    cursor = net + dt.timedelta(hours=b.rng.randint(3, 50))
    for position in range(events):
        roll = b.rng.random()
        station_target = flight_target = payload_target = None
        if roll < 0.75 and station is not None:
            station_target = station
            port = b.pick(places.station_ports[station])
        elif roll < 0.92 and len(flight_ids) > 1:
            # Any other flight of the same call (of one segment of a world).
            other = b.rng.randint(0, len(flight_ids) - 2)
            other += other >= flight - flight_ids.start
            flight_target = flight_ids[other]
            port = _port(b, ports_on, "spacecraft", b.pick(fleet.configs))
        else:
            payload_target = b.pick(payload_flights)
            port = _port(
                b, ports_on, "payload", b.row("payload_flight", payload_target)["payload_id"]
            )
        remaining = stay - int((cursor - net).total_seconds()) * SECOND
        length = max(remaining // (events - position) - HOUR, HOUR) // SECOND * SECOND
        departure: dt.datetime | None = cursor + dt.timedelta(microseconds=length)
        if duration is None and position == events - 1:
            departure = None
        b.add(
            "docking_event",
            b.new_id("docking_event"),
            docking=cursor,
            departure=departure,
            docking_location_id=port,
            space_station_target_id=station_target,
            flight_vehicle_target_id=flight_target,
            payload_flight_target_id=payload_target,
            flight_vehicle_chaser_id=flight,
            position=position,
        )
        if departure is not None:
            docked += int((departure - cursor).total_seconds()) * SECOND
            cursor = departure + dt.timedelta(hours=b.rng.randint(1, 30))
    return docked
