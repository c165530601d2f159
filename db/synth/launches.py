"""Launches, each with its own rocket and mission, and LL2's running launch counters."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from db.ll2.values import format_datetime
from db.synth.builder import NOW, Builder, slugify
from db.synth.lookups import FAILURE, GO, IN_FLIGHT, PARTIAL, SUBORBITAL, SUCCESS, TBC, TBD
from db.synth.places import Places

_UPDATES_FROM = dt.datetime(2019, 1, 1)  # LL2 revisited its old launches since
_LANGUAGE = {"id": 1, "name": "English", "code": "en"}


@dataclass(frozen=True)
class LaunchPlan:
    """What a launch is: when, on which rocket, from where, for what."""

    net: dt.datetime
    launcher: int
    mission_name: str
    mission_type: str
    orbit: int
    in_progress: bool
    agency: int | None
    program: int | None


def add_launch(b: Builder, plan: LaunchPlan, places: Places) -> str:
    ident = b.uuid()
    launcher = b.row("launcher_configuration", plan.launcher)
    maker = launcher["manufacturer_id"]
    if plan.net > NOW:
        status = b.pick((GO, TBD, TBD, TBC))
    elif plan.in_progress:
        status = b.pick((SUCCESS, SUCCESS, IN_FLIGHT))
    else:
        roll = b.rng.random()
        status = SUCCESS if roll < 0.93 else FAILURE if roll < 0.97 else PARTIAL
    name = f"{launcher['full_name']} | {plan.mission_name}"
    countries = b.linked("agency", "country", maker)
    pads = places.pads_by_country.get(countries[0], []) if countries else []
    image_roll = b.rng.random()
    b.add(
        "launch",
        ident,
        name=name,
        slug=slugify(name) or ident[:8],
        launch_designator=None
        if plan.net > NOW or plan.orbit == SUBORBITAL
        else f"{plan.net.year}-{b.rng.randint(1, 250):03d}",
        status_id=status,
        last_updated=b.moment(max(min(plan.net, NOW), _UPDATES_FROM), NOW),
        net=plan.net,
        net_precision_id=None if plan.net < NOW and b.chance(0.7) else b.pick((1, 2, 5, 6, 7)),
        window_end=plan.net + dt.timedelta(minutes=b.pick((0, 0, 10, 120))),
        window_start=plan.net,
        image_id=launcher["image_id"]
        if image_roll < 0.6
        else b.image(plan.mission_name)
        if image_roll < 0.8
        else None,
        infographic=None if b.chance(0.95) else f"https://example.org/{slugify(name)}.png",
        probability=-1 if plan.net < NOW else b.rng.randint(0, 100),
        weather_concerns=None if b.chance(0.9) else "Cumulus clouds; thick cloud layers.",
        failreason="Loss of attitude control." if status in (FAILURE, PARTIAL) else None,
        hashtag=None if b.chance(0.8) else f"#{slugify(plan.mission_name).replace('-', '')}",
        launch_service_provider_id=maker,
        rocket_id=_rocket(b, plan.launcher),
        mission_id=_mission(b, plan),
        pad_id=b.pick(pads or places.pads),
        webcast_live=plan.in_progress and b.chance(0.1),
    )
    if plan.program is not None:
        b.link("launch", "program", ident, [plan.program])
    return ident


def _rocket(b: Builder, launcher: int) -> int:
    ident = b.new_id("rocket", start=100)
    b.add("rocket", ident, configuration_id=launcher)
    return ident


def _mission(b: Builder, plan: LaunchPlan) -> int:
    ident = b.new_id("mission", start=100)
    b.add(
        "mission",
        ident,
        name=plan.mission_name,
        type=plan.mission_type,
        description=f"{plan.mission_name} is a {plan.mission_type.lower()} mission.",
        image_id=b.image(plan.mission_name) if b.chance(0.1) else None,
        orbit_id=plan.orbit,
        info_urls=[_info_url(b, plan)] if b.chance(0.2) else [],
        vid_urls=[_vid_url(b, plan)] if b.chance(0.15) else [],
    )
    if plan.agency is not None and b.chance(0.3):
        b.link("mission", "agencies", ident, [plan.agency])
    return ident


def _info_url(b: Builder, plan: LaunchPlan) -> dict[str, object]:
    slug = slugify(plan.mission_name)
    return {
        "priority": 10,
        "source": "nasa.gov",
        "title": f"{plan.mission_name} press kit",
        "description": f"What to know about {plan.mission_name}.",
        "feature_image": None if b.chance(0.5) else f"https://example.org/{slug}.jpg",
        "url": f"https://www.nasa.gov/missions/{slug}/",
        "type": {"id": 1, "name": "Official Page"},
        "language": _LANGUAGE,
    }


def _vid_url(b: Builder, plan: LaunchPlan) -> dict[str, object]:
    return {
        "priority": 10,
        "source": "youtube.com",
        "publisher": "NASA",
        "title": f"{plan.mission_name} launch coverage",
        "description": f"Live coverage of {plan.mission_name}.",
        "feature_image": f"https://i.ytimg.com/vi/{b.rng.getrandbits(40):010x}/maxresdefault.jpg",
        "url": f"https://www.youtube.com/watch?v={b.rng.getrandbits(40):010x}",
        "type": {"id": 1, "name": "Official Webcast"},
        "language": _LANGUAGE,
        "start_time": format_datetime(plan.net - dt.timedelta(minutes=45)),
        "end_time": format_datetime(plan.net + dt.timedelta(minutes=30)),
        "live": False,
    }


def count_launches(b: Builder) -> None:
    """LL2's counters: attempts (all time and in the launch's year) up to and including each one."""
    counts: Counter[tuple[object, ...]] = Counter()
    launches = b.rows("launch")
    for ident in sorted(launches, key=lambda i: (launches[i]["net"], i)):
        row = launches[ident]
        year = row["net"].year
        location = b.row("pad", row["pad_id"])["location_id"]
        keys = {
            "orbital": ("orbital",),
            "location": ("location", location),
            "pad": ("pad", row["pad_id"]),
            "agency": ("agency", row["launch_service_provider_id"]),
        }
        for name, key in keys.items():
            counts[key] += 1
            counts[(*key, year)] += 1
            row[f"{name}_launch_attempt_count"] = counts[key]
            row[f"{name}_launch_attempt_count_year"] = counts[(*key, year)]
