"""Astronauts and the crews of detailed flights: launch, on-board and landing crews with roles.

An astronaut's record (first and last flight, time in space, in space now) is worked out from the
crews they were given, once every flight is known.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from db.synth.agencies import REAL_AGENCIES, social_links
from db.synth.builder import NOW, SECOND, Builder, slugify
from db.synth.lookups import (
    COMMANDER,
    ENGINEER,
    PARTICIPANT,
    PAYLOAD_SPECIALIST,
    PILOT,
    SPECIALIST,
)

_FIRST = ["Anna", "Yuri", "Mei", "John", "Sunita", "Alexei", "Samantha", "Koichi", "Luca", "Sara"]
_LAST = ["Smith", "Ivanova", "Wang", "Kelly", "Williams", "Leonov", "Cristoforetti", "Wakata"]
_FAMOUS = [
    "Jean-Loup Chrétien",
    "Claudie Haigneré",
    "Юрий Гагарин",
    "Валентина Терешкова",
    "Sōichi Noguchi",
    "Marcos Pontes",
    "Thomas Pesquet",
    "Sultan Al Neyadi",
]
ACTIVE, RETIRED, IN_TRAINING, LOST, DECEASED = 1, 2, 3, 6, 11
GOVERNMENT, PRIVATE, COMMERCIAL, UNKNOWN = 2, 3, 4, 1


@dataclass
class Crews:
    astronauts: list[int]
    flown: dict[int, list[tuple[dt.datetime, int | None]]] = field(default_factory=dict)


def add_astronauts(b: Builder, count: int, agencies: list[int]) -> Crews:
    countries = {a[0]: a[4] for a in REAL_AGENCIES}
    astronauts = []
    for _ in range(count):
        ident = b.new_id("astronaut", start=1)
        name = b.pick(_FAMOUS) if b.chance(0.04) else f"{b.pick(_FIRST)} {b.pick(_LAST)}"
        status = b.pick((ACTIVE,) * 8 + (RETIRED,) * 6 + (IN_TRAINING,) * 2 + (DECEASED,) * 3)
        agency = agencies[min(int(len(agencies) * b.rng.random() ** 3), len(agencies) - 1)]
        born = b.day(1925, 1996)
        died = None
        if status in (DECEASED, LOST):
            died = min(born + dt.timedelta(days=b.rng.randint(35 * 365, 90 * 365)), NOW.date())
        age = ((died or NOW.date()) - born).days // 365
        kind = b.pick((GOVERNMENT,) * 15 + (PRIVATE, PRIVATE, COMMERCIAL, COMMERCIAL, UNKNOWN))
        b.add(
            "astronaut",
            ident,
            name=name,
            status_id=status,
            agency_id=agency if b.chance(0.9) else None,
            image_id=b.image(name) if b.chance(0.8) else None,
            type_id=kind,
            in_space=False,
            time_in_space=0,
            eva_time=0 if b.chance(0.7) else b.seconds(2 * 3600, 80 * 3600),
            age=age,
            date_of_birth=born,
            date_of_death=died,
            bio=f"{name} is an astronaut of the synthetic dataset, born {born:%d %B %Y}.",
            wiki=f"https://en.wikipedia.org/wiki/{slugify(name)}" if b.chance(0.7) else None,
            last_flight=None,
            first_flight=None,
        )
        nationality = countries.get(agency, [1])[:1]
        if b.chance(0.05):
            nationality = sorted({*nationality, b.pick((5, 8, 10, 14, 21))})
        b.link("astronaut", "nationality", ident, nationality)
        b.link("astronaut", "social_media_links", ident, social_links(b, slugify(name), 0.3))
        astronauts.append(ident)
    return Crews(astronauts)


def _member(b: Builder, astronaut: int, role: int) -> int:
    if b.row("astronaut", astronaut)["type_id"] == PRIVATE:
        role = PARTICIPANT
    ident = b.new_id("astronaut_flight")
    b.add("astronaut_flight", ident, role_id=role, astronaut_id=astronaut)
    return ident


def add_crews(
    b: Builder,
    crews: Crews,
    flight: int,
    capacity: int,
    net: dt.datetime,
    duration: int | None,
) -> None:
    """Launch, on-board and landing crews of a detailed flight of a crewed configuration."""
    people = b.sample(crews.astronauts, b.rng.randint(1, capacity))
    roles = [COMMANDER, PILOT] + [b.pick((ENGINEER, SPECIALIST, PAYLOAD_SPECIALIST))] * 7
    launch = [_member(b, a, roles[i]) for i, a in enumerate(people)]
    b.link("spacecraft_flight", "launch_crew", flight, launch)
    joined = []
    if b.chance(0.25):
        joined = [a for a in b.sample(crews.astronauts, 1) if a not in people]
        b.link(
            "spacecraft_flight", "onboard_crew", flight, [_member(b, a, ENGINEER) for a in joined]
        )
    if duration is not None:
        back = people[1:] + joined if joined else people
        landing = [_member(b, a, roles[i]) for i, a in enumerate(back)]
        b.link("spacecraft_flight", "landing_crew", flight, landing)
    for a in people + joined:
        crews.flown.setdefault(a, []).append((net, duration))


def finish_astronauts(b: Builder, crews: Crews) -> None:
    """Each astronaut's record from the flights they were crew on."""
    for astronaut, flights in crews.flown.items():
        row = b.row("astronaut", astronaut)
        flown = [(net, d) for net, d in flights if net <= NOW]
        if not flown:
            continue
        row["first_flight"] = min(net for net, _ in flown)
        row["last_flight"] = max(net for net, _ in flown)
        row["in_space"] = any(d is None for _, d in flown) and row["status_id"] == ACTIVE
        row["time_in_space"] = sum(
            d if d is not None else int((NOW - net).total_seconds()) * SECOND for net, d in flown
        )
