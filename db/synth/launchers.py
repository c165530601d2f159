"""Rockets and programmes: launcher families and configurations, programs with patches, payloads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db.synth.builder import MEDIA, Builder, slugify

# id, name, parent, manufacturers (agency ids)
LAUNCHER_FAMILIES = [
    (122, "R-7", None, [66]),
    (123, "Soyuz", 122, [63]),
    (1, "Falcon", None, [121]),
    (31, "Long March", None, [88]),
    (14, "Ariane", None, [115, 27]),
    (33, "Atlas", None, [80]),
    (45, "H-II", None, [37]),
    (60, "GSLV", None, [31]),
    (100, "Electron", None, [147]),
    (101, "New Shepard", None, [141]),
    (40, "Universal Rocket", None, [66]),
    (41, "Saturn", None, [44]),
]

# id, name, full name, variant, families, manufacturer, reusable, maiden flight
LAUNCHER_CONFIGS = [
    (103, "Vostok", "Vostok-K", "K", [122], 66, False, dt.date(1960, 12, 22)),
    (18, "Soyuz", "Soyuz-FG", "FG", [122, 123], 63, False, dt.date(2001, 5, 21)),
    (19, "Soyuz 2.1a", "Soyuz 2.1a", "2.1a", [122, 123], 63, False, dt.date(2004, 11, 8)),
    (164, "Falcon 9", "Falcon 9 Block 5", "Block 5", [1], 121, True, dt.date(2018, 5, 11)),
    (111, "Long March 2F", "Long March 2F/G", "F/G", [31], 88, False, dt.date(1999, 11, 19)),
    (166, "Long March 7", "Long March 7", "", [31], 88, False, dt.date(2016, 6, 25)),
    (73, "Ariane 5", "Ariane 5 ES", "ES", [14], 115, False, dt.date(2008, 3, 9)),
    (195, "Atlas V", "Atlas V N22", "N22", [33], 80, False, dt.date(2019, 12, 20)),
    (79, "H-IIB", "H-IIB", "B", [45], 37, False, dt.date(2009, 9, 10)),
    (200, "GSLV Mk III", "LVM3", "Mk III", [60], 31, False, dt.date(2017, 6, 5)),
    (26, "Electron", "Electron", "", [100], 147, True, dt.date(2017, 5, 25)),
    (210, "New Shepard", "New Shepard", "", [101], 141, True, dt.date(2015, 4, 29)),
    (60, "Proton-K", "Proton-K", "K", [40], 66, False, dt.date(1967, 3, 10)),
    (50, "Saturn IB", "Saturn IB", "IB", [41], 44, False, dt.date(1966, 2, 26)),
]

# id, name, type, agencies, start, end
PROGRAMS = [
    (
        17,
        "International Space Station",
        3,
        [44, 63, 27, 37],
        dt.datetime(1998, 11, 20, 6, 40),
        None,
    ),
    (9, "Vostok", 2, [66], dt.datetime(1961, 4, 12, 6, 7), dt.datetime(1963, 6, 19, 8, 20)),
    (10, "Apollo", 2, [44], dt.datetime(1961, 5, 25), dt.datetime(1975, 7, 24)),
    (13, "Commercial Crew Program", 2, [44, 121, 80], dt.datetime(2011, 4, 18), None),
    (25, "Commercial Resupply Services", 3, [44, 121, 257], dt.datetime(2008, 12, 23), None),
    (16, "Tiangong", 3, [17, 88], dt.datetime(2021, 4, 29), None),
    (22, "Artemis", 2, [44, 27, 37], dt.datetime(2017, 12, 11), None),
    (30, "Gaganyaan", 2, [31], dt.datetime(2018, 8, 15), None),
    (31, "Programme Hermès", 2, [6, 27], dt.datetime(1985, 1, 1), dt.datetime(1992, 11, 1)),
    (32, "Программа «Мир»", 3, [66, 63], dt.datetime(1986, 2, 19), dt.datetime(2001, 3, 23)),
]

_PAYLOAD_NAMES = ["Bigelow Module", "Cygnus PM", "Node", "Science Module", "Module de recherche"]


@dataclass(frozen=True)
class Launchers:
    configs: list[int]
    programs: list[int]
    payloads: list[int]


def add_launchers(b: Builder, agencies: list[int]) -> Launchers:
    for ident, name, parent, makers in LAUNCHER_FAMILIES:
        launches = b.rng.randint(0, 1900)
        failed = b.rng.randint(0, launches // 12)
        b.add(
            "launcher_family",
            ident,
            name=name,
            parent_id=parent,
            description=f"The {name} family of launch vehicles.",
            active=b.chance(0.7),
            maiden_flight=b.day(1957, 2017),
            total_launch_count=launches,
            consecutive_successful_launches=b.rng.randint(0, max(launches - failed, 0)),
            successful_launches=launches - failed,
            failed_launches=failed,
            pending_launches=b.rng.randint(0, 30),
            attempted_landings=b.rng.randint(0, 400) if name in ("Falcon", "New Shepard") else 0,
            successful_landings=b.rng.randint(0, 390) if name in ("Falcon", "New Shepard") else 0,
            failed_landings=b.rng.randint(0, 10) if name in ("Falcon", "New Shepard") else 0,
            consecutive_successful_landings=b.rng.randint(0, 300) if name == "Falcon" else 0,
        )
        b.link("launcher_family", "manufacturer", ident, makers)
    programs = _programs(b)
    for ident, name, full, variant, families, maker, reusable, maiden in LAUNCHER_CONFIGS:
        launches = b.rng.randint(1, 500)
        failed = b.rng.randint(0, launches // 15 + 1)
        b.add(
            "launcher_configuration",
            ident,
            name=name,
            full_name=full,
            variant=variant,
            active=b.chance(0.6),
            is_placeholder=False,
            reusable=reusable,
            image_id=b.image(full),
            info_url=None,
            wiki_url=f"https://en.wikipedia.org/wiki/{slugify(full)}",
            description=f"{full}, a launch vehicle of the synthetic dataset.",
            alias="" if b.chance(0.7) else name.upper(),
            min_stage=b.rng.randint(1, 2),
            max_stage=b.rng.randint(2, 4),
            length=round(b.rng.uniform(15, 110), 1),
            diameter=round(b.rng.uniform(1.2, 10.1), 2),
            maiden_flight=maiden,
            launch_cost=b.rng.randint(7, 500) * 1_000_000 if b.chance(0.8) else None,
            launch_mass=round(b.rng.uniform(10, 3000), 1),
            leo_capacity=float(b.rng.randint(150, 140000)),
            gto_capacity=float(b.rng.randint(0, 26000)) if b.chance(0.6) else None,
            geo_capacity=None,
            sso_capacity=float(b.rng.randint(100, 20000)) if b.chance(0.5) else None,
            to_thrust=float(b.rng.randint(200, 35000)),
            apogee=100.0 if name == "New Shepard" else None,
            total_launch_count=launches,
            consecutive_successful_launches=b.rng.randint(0, launches - failed),
            successful_launches=launches - failed,
            failed_launches=failed,
            pending_launches=b.rng.randint(0, 20),
            attempted_landings=b.rng.randint(0, 300) if reusable else 0,
            successful_landings=b.rng.randint(0, 290) if reusable else 0,
            failed_landings=b.rng.randint(0, 5) if reusable else 0,
            consecutive_successful_landings=b.rng.randint(0, 200) if reusable else 0,
            fastest_turnaround=b.seconds(9 * 86400, 60 * 86400) if reusable else None,
            manufacturer_id=maker,
        )
        b.link("launcher_configuration", "families", ident, families)
        if b.chance(0.3):
            b.link("launcher_configuration", "program", ident, [b.pick(programs)])
    payloads = _payloads(b, agencies, programs)
    return Launchers([c[0] for c in LAUNCHER_CONFIGS], programs, payloads)


def _programs(b: Builder) -> list[int]:
    for ident, name, kind, agencies, start, end in PROGRAMS:
        patches = []
        for n in range(b.rng.randint(0, 2)):
            patch = b.new_id("mission_patch")
            b.add(
                "mission_patch",
                patch,
                name=f"{name} patch" + (f" {n + 1}" if n else ""),
                priority=b.rng.randint(1, 100),
                image_url=f"{MEDIA}/mission_patch_images/{slugify(name) or 'patch'}_{patch}.png",
                agency_id=agencies[0] if b.chance(0.7) else None,
            )
            patches.append(patch)
        b.add(
            "program",
            ident,
            name=name,
            image_id=b.image(name),
            info_url=None if b.chance(0.6) else "https://www.nasa.gov/",
            wiki_url=f"https://en.wikipedia.org/wiki/{slugify(name)}",
            description=f"{name}: a programme of the synthetic dataset.",
            start_date=start,
            end_date=end,
            type_id=kind,
        )
        b.link("program", "agencies", ident, agencies)
        b.link("program", "mission_patches", ident, patches)
    return [p[0] for p in PROGRAMS]


def _payloads(b: Builder, agencies: list[int], programs: list[int]) -> list[int]:
    payloads = []
    for _ in range(12):
        ident = b.new_id("payload", start=100)
        name = f"{b.pick(_PAYLOAD_NAMES)} {b.rng.randint(1, 9)}"
        b.add(
            "payload",
            ident,
            name=name,
            type_id=b.pick((1, 2, 2, 4)),
            manufacturer_id=b.pick(agencies[:18]),
            operator_id=b.pick(agencies[:18]),
            image_id=b.image(name) if b.chance(0.5) else None,
            wiki_link=None,
            info_link=None,
            cost=b.rng.randint(1, 900) * 1_000_000 if b.chance(0.5) else None,
            mass=round(b.rng.uniform(100, 20000), 1),
            description=f"{name}, a payload that visiting vehicles dock to.",
        )
        b.link("payload", "program", ident, b.sample(programs, b.rng.randint(0, 1)))
        payloads.append(ident)
    return payloads
