"""Where flights go from and to: launch sites and pads, landing places, space stations and ports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db.synth.builder import MEDIA, Builder
from db.synth.lookups import (
    CHINA,
    EARTH,
    KAZAKHSTAN,
    MOON,
    PARACHUTE,
    PROPULSIVE,
    REENTRY,
    RUNWAY,
    RUSSIA,
    SPLASHDOWN,
    USA,
)

# id, name, country, longitude, latitude, time zone, pad names
LOCATIONS = [
    (
        15,
        "Baikonur Cosmodrome, Republic of Kazakhstan",
        KAZAKHSTAN,
        63.305,
        45.965,
        "Asia/Qyzylorda",
        ["1/5", "31/6", "81/24", "200/39"],
    ),
    (
        27,
        "Kennedy Space Center, FL, USA",
        USA,
        -80.6077,
        28.5729,
        "America/New_York",
        ["Launch Complex 39A", "Launch Complex 39B"],
    ),
    (
        12,
        "Cape Canaveral SFS, FL, USA",
        USA,
        -80.5772,
        28.4889,
        "America/New_York",
        ["Space Launch Complex 40", "Space Launch Complex 41", "Launch Complex 14"],
    ),
    (
        17,
        "Jiuquan Satellite Launch Center, People's Republic of China",
        CHINA,
        100.291,
        40.958,
        "Asia/Shanghai",
        ["Launch Area 4 (SLS-1)"],
    ),
    (
        8,
        "Wenchang Space Launch Site, People's Republic of China",
        CHINA,
        110.951,
        19.614,
        "Asia/Shanghai",
        ["LC-101", "LC-201"],
    ),
    (
        13,
        "Guiana Space Centre, French Guiana",
        63,
        -52.7685,
        5.2396,
        "America/Cayenne",
        ["ELA-3", "ELS"],
    ),
    (
        6,
        "Plesetsk Cosmodrome, Russian Federation",
        RUSSIA,
        40.577,
        62.925,
        "Europe/Moscow",
        ["43/4", "133/3"],
    ),
    (
        10,
        "Mahia Peninsula, New Zealand",
        60,
        177.865,
        -39.262,
        "Pacific/Auckland",
        ["Rocket Lab LC-1A"],
    ),
    (
        143,
        "Corn Ranch, Van Horn, TX, USA",
        USA,
        -104.757,
        31.422,
        "America/Chicago",
        ["West Texas Suborbital Launch Site/ Corn Ranch"],
    ),
    (
        25,
        "Satish Dhawan Space Centre, India",
        18,
        80.2304,
        13.7199,
        "Asia/Kolkata",
        ["Second Launch Pad"],
    ),
]

# name, abbrev, landing type, body, site (location id) or None
LANDING_PLACES = [
    ("Kazakhstan", "KAZ", PARACHUTE, EARTH, None),
    ("Atlantic Ocean", "ATL", SPLASHDOWN, EARTH, None),
    ("Pacific Ocean", "PAC", SPLASHDOWN, EARTH, None),
    ("Gulf of Mexico", "GOM", SPLASHDOWN, EARTH, None),
    ("Shuttle Landing Facility", "SLF", RUNWAY, EARTH, 27),
    ("Dongfeng Landing Site", "DFL", PARACHUTE, EARTH, 17),
    ("Earth's atmosphere", "ATM", REENTRY, EARTH, None),
    ("West Texas Landing Zone", "WTX", PROPULSIVE, EARTH, 143),
    ("Mare Tranquillitatis", "MTQ", PROPULSIVE, MOON, None),
    ("Plaine de Guyane", "PDG", PARACHUTE, EARTH, 13),
]

# id, name, founded, deorbited, orbit, commercial, ports
STATIONS = [
    (4, "International Space Station", dt.date(1998, 11, 20), None, "Low Earth Orbit", False,
     ["Harmony Forward", "Harmony Zenith", "Zvezda Aft", "Poisk Zenith", "Rassvet Nadir",
      "Prichal Nadir", "Unity Nadir"]),
    (18, "Tiangong space station", dt.date(2021, 4, 29), None, "Low Earth Orbit", False,
     ["Tianhe Forward", "Tianhe Aft", "Tianhe Radial"]),
    (2, "Mir", dt.date(1986, 2, 19), dt.date(2001, 3, 23), "Low Earth Orbit", False,
     ["Kvant-1 Aft", "Mir Forward", "Kristall Axial"]),
    (3, "Salyut 7", dt.date(1982, 4, 19), dt.date(1991, 2, 7), "Low Earth Orbit", False,
     ["Salyut 7 Forward", "Salyut 7 Aft"]),
    (21, "Станция «Заря»", dt.date(2027, 1, 1), None, "Low Earth Orbit", True,
     ["Передний порт"]),
]  # fmt: skip


@dataclass(frozen=True)
class Places:
    pads: list[int]
    pads_by_country: dict[int, list[int]]
    landing_places: dict[int, list[int]]
    stations: list[int]
    station_ports: dict[int, list[int]]


def add_places(b: Builder, agencies: list[int]) -> Places:
    pads: list[int] = []
    pads_by_country: dict[int, list[int]] = {}
    for ident, name, country, lon, lat, tz, pad_names in LOCATIONS:
        b.add(
            "location",
            ident,
            name=name,
            celestial_body_id=EARTH,
            active=b.chance(0.9),
            country_id=country,
            description=f"{name.split(',')[0]} is a launch site of the synthetic dataset.",
            image_id=b.image(name, credit="NASA/Bill Ingalls") if b.chance(0.7) else None,
            map_image=f"{MEDIA}/map_images/location_{ident}_20200803142517.jpg",
            longitude=lon,
            latitude=lat,
            timezone_name=tz,
            total_launch_count=b.rng.randint(10, 1600),
            total_landing_count=b.rng.randint(0, 60),
        )
        for pad_name in pad_names:
            pad = b.new_id("pad", start=30)
            pad_lat = round(lat + b.rng.uniform(-0.05, 0.05), 4)
            pad_lon = round(lon + b.rng.uniform(-0.05, 0.05), 4)
            b.add(
                "pad",
                pad,
                active=b.chance(0.8),
                name=pad_name,
                image_id=b.image(pad_name) if b.chance(0.3) else None,
                description=None if b.chance(0.6) else f"{pad_name} at {name}.",
                info_url=None,
                wiki_url="" if b.chance(0.5) else "https://en.wikipedia.org/wiki/Launch_pad",
                map_url=f"https://www.google.com/maps?q={pad_lat},{pad_lon}",
                latitude=pad_lat,
                longitude=pad_lon,
                country_id=country,
                map_image=f"{MEDIA}/map_images/pad_{pad}_20200803143513.jpg",
                total_launch_count=b.rng.randint(0, 500),
                orbital_launch_attempt_count=b.rng.randint(0, 500),
                fastest_turnaround=b.seconds(20 * 3600, 40 * 86400) if b.chance(0.7) else None,
                location_id=ident,
            )
            b.link("pad", "agencies", pad, sorted(b.sample(agencies[:18], b.rng.randint(0, 2))))
            pads.append(pad)
            pads_by_country.setdefault(country, []).append(pad)
    landing_places: dict[int, list[int]] = {}
    for name, abbrev, kind, body, site in LANDING_PLACES:
        ident = b.new_id("landing_location", start=10)
        successes = b.rng.randint(0, 200)
        failures = b.rng.randint(0, 8)
        b.add(
            "landing_location",
            ident,
            name=name,
            active=b.chance(0.85),
            abbrev=abbrev,
            description=f"Landings at {name}.",
            location_id=site,
            longitude=None if site is None else round(b.rng.uniform(-120, 120), 3),
            latitude=None if site is None else round(b.rng.uniform(-40, 60), 3),
            image_id=b.image(f"{name} landing", credit="NASA/Bill Ingalls", single_use=False)
            if b.chance(0.6)
            else None,
            successful_landings=successes,
            attempted_landings=successes + failures,
            failed_landings=failures,
            celestial_body_id=body,
        )
        landing_places.setdefault(kind, []).append(ident)
    stations: list[int] = []
    station_ports: dict[int, list[int]] = {}
    for ident, name, founded, deorbited, orbit, commercial, ports in STATIONS:
        b.add(
            "space_station",
            ident,
            name=name,
            image_id=b.image(name),
            status_id=2 if deorbited else 1,
            founded=founded,
            deorbited=deorbited,
            description=f"{name}, a crewed outpost in orbit.",
            orbit=orbit,
            type_id=2 if commercial else 1,
        )
        stations.append(ident)
        for port in ports:
            port_id = b.new_id("docking_location")
            b.add("docking_location", port_id, name=port, spacestation_id=ident)
            station_ports.setdefault(ident, []).append(port_id)
    return Places(pads, pads_by_country, landing_places, stations, station_ports)
