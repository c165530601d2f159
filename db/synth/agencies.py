"""Agencies: a core of real ones (with LL2's ids) and invented ones in proportion to the fleet.

Invented names are drawn from small pools, so several agencies share a name (ties for searches
and orderings); a few are French or Russian, so non-ASCII text is everywhere a name can be.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.synth.builder import Builder, slugify
from db.synth.lookups import (
    CHINA,
    COMMERCIAL,
    COUNTRIES,
    FRANCE,
    GOVERNMENT,
    MULTINATIONAL,
    RUSSIA,
    SOCIAL_MEDIA,
    USA,
)

# id, name, abbrev, type, countries, founded, administrator
REAL_AGENCIES = [
    (
        44,
        "National Aeronautics and Space Administration",
        "NASA",
        GOVERNMENT,
        [USA],
        1958,
        "Administrator: Bill Nelson",
    ),
    (
        63,
        "Russian Federal Space Agency (ROSCOSMOS)",
        "RFSA",
        GOVERNMENT,
        [RUSSIA],
        1992,
        "Administrator: Yuri Borisov",
    ),
    (66, "Soviet Space Program", "CCCP", GOVERNMENT, [RUSSIA], 1955, None),
    (
        17,
        "China National Space Administration",
        "CNSA",
        GOVERNMENT,
        [CHINA],
        1993,
        "Administrator: Zhang Kejian",
    ),
    (
        27,
        "European Space Agency",
        "ESA",
        MULTINATIONAL,
        [FRANCE, 10, 12, 9],
        1975,
        "Director General: Josef Aschbacher",
    ),
    (
        37,
        "Japan Aerospace Exploration Agency",
        "JAXA",
        GOVERNMENT,
        [14],
        2003,
        "President: Hiroshi Yamakawa",
    ),
    (
        31,
        "Indian Space Research Organization",
        "ISRO",
        GOVERNMENT,
        [18],
        1969,
        "Chairman: S. Somanath",
    ),
    (121, "SpaceX", "SpX", COMMERCIAL, [USA], 2002, "CEO: Elon Musk"),
    (141, "Blue Origin", "BO", COMMERCIAL, [USA], 2000, "CEO: Dave Limp"),
    (80, "Boeing", "BA", COMMERCIAL, [USA], 1916, "CEO: Kelly Ortberg"),
    (
        1029,
        "S.P. Korolev Rocket and Space Corporation Energia",
        "Energia",
        COMMERCIAL,
        [RUSSIA],
        1946,
        None,
    ),
    (257, "Northrop Grumman Space Systems", "NGSS", COMMERCIAL, [USA], 1994, None),
    (115, "Arianespace", "ASA", COMMERCIAL, [FRANCE], 1980, "CEO: David Cavaillolès"),
    (
        88,
        "China Aerospace Science and Technology Corporation",
        "CASC",
        GOVERNMENT,
        [CHINA],
        1999,
        None,
    ),
    (147, "Rocket Lab", "RL", COMMERCIAL, [USA, 60], 2006, "CEO: Peter Beck"),
    (
        6,
        "Centre national d'études spatiales",
        "CNES",
        GOVERNMENT,
        [FRANCE],
        1961,
        "Président : Philippe Baptiste",
    ),
    (1060, "НПО имени С. А. Лавочкина", "НПОЛ", COMMERCIAL, [RUSSIA], 1937, None),  # noqa: RUF001
    (1020, "Sierra Space", "SS", COMMERCIAL, [USA], 2021, None),
]

_PREFIX = ["Orbital", "Stellar", "Northern", "Pacific", "Lunar", "Deep", "Astro", "Polar", "Agence"]
_CORE = ["Dynamics", "Systems", "Spaceworks", "Aerospace", "Launch", "Exploration", "spatiale"]
_SUFFIX = ["Corporation", "Agency", "Industries", "Company", "Consortium", "Ltd"]
_FOREIGN = ["Société Européenne de Propulsion", "Космическая корпорация «Восход»", "Órbita Ibérica"]


@dataclass(frozen=True)
class Agencies:
    ids: list[int]
    real: list[int]


def add_agencies(b: Builder, count: int) -> Agencies:
    real = []
    for ident, name, abbrev, kind, countries, founded, administrator in REAL_AGENCIES:
        _agency(b, ident, name, abbrev, kind, countries, founded, administrator)
        real.append(ident)
    ids = list(real)
    country_ids = [c[0] for c in COUNTRIES]
    for _ in range(max(count - len(real), 0)):
        ident = b.new_id("agency", start=2000)
        if b.chance(0.05):
            name = b.pick(_FOREIGN)
        else:
            name = f"{b.pick(_PREFIX)} {b.pick(_CORE)} {b.pick(_SUFFIX)}"
        abbrev = "".join(w[0] for w in name.split() if w[0].isalpha()).upper()
        kind = b.pick((COMMERCIAL, COMMERCIAL, COMMERCIAL, GOVERNMENT, 4, 5))
        countries = b.sample(country_ids, 1 if b.chance(0.9) else 3)
        _agency(b, ident, name, abbrev, kind, countries, b.rng.randint(1946, 2024), None)
        ids.append(ident)
    for ident in ids[len(real) :]:
        if b.chance(0.2):
            b.row("agency", ident)["parent"] = b.row("agency", b.pick(real))["name"]
    return Agencies(ids=ids, real=real)


def _agency(
    b: Builder,
    ident: int,
    name: str,
    abbrev: str,
    kind: int,
    countries: list[int],
    founded: int,
    administrator: str | None,
) -> None:
    launches = b.rng.randint(0, 1800) if b.chance(0.7) else 0
    failed = b.rng.randint(0, launches // 10 + 1) if launches else 0
    landings = b.rng.randint(0, 400) if b.chance(0.4) else 0
    slug = slugify(name) or f"agency-{ident}"
    b.add(
        "agency",
        ident,
        name=name,
        abbrev=abbrev,
        type_id=kind,
        featured=b.chance(0.2),
        description=f"{name} builds and flies spacecraft for the synthetic dataset."
        if b.chance(0.9)
        else None,
        administrator=administrator,
        founding_year=founded,
        launchers=b.pick(("Soyuz", "Falcon", "Long March", "", "Electron | Neutron")),
        spacecraft=b.pick(("Soyuz", "Dragon", "Shenzhou", "", "Orion | Starliner")),
        parent=None,
        image_id=b.image(name) if b.chance(0.8) else None,
        logo_id=b.image(name, kind="logo") if b.chance(0.8) else None,
        social_logo_id=b.image(name, kind="social_logo") if b.chance(0.6) else None,
        total_launch_count=launches,
        consecutive_successful_launches=b.rng.randint(0, launches - failed) if launches else 0,
        successful_launches=launches - failed,
        failed_launches=failed,
        pending_launches=b.rng.randint(0, 40),
        consecutive_successful_landings=b.rng.randint(0, landings) if landings else 0,
        successful_landings=landings,
        failed_landings=b.rng.randint(0, 20) if landings else 0,
        attempted_landings=landings + (b.rng.randint(0, 20) if landings else 0),
        successful_landings_spacecraft=b.rng.randint(0, 100),
        failed_landings_spacecraft=b.rng.randint(0, 5),
        attempted_landings_spacecraft=b.rng.randint(0, 105),
        successful_landings_payload=b.rng.randint(0, 10),
        failed_landings_payload=0,
        attempted_landings_payload=b.rng.randint(0, 10),
        info_url=f"https://{slug[:20]}.example.org" if b.chance(0.5) else None,
        wiki_url=f"https://en.wikipedia.org/wiki/{slug}" if b.chance(0.7) else "",
    )
    b.link("agency", "country", ident, countries)
    b.link("agency", "social_media_links", ident, social_links(b, slug, 0.5))


def social_links(b: Builder, handle: str, p: float) -> list[int]:
    """With probability p, one to three accounts of `handle` on distinct networks."""
    if not b.chance(p):
        return []
    links = []
    for network, _, url in sorted(b.sample(SOCIAL_MEDIA, b.rng.randint(1, 3))):
        ident = b.new_id("social_media_link")
        b.add("social_media_link", ident, social_media_id=network, url=f"{url}/{handle[:24]}")
        links.append(ident)
    return links
