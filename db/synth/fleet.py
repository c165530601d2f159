"""The fleet: spacecraft families (with parents), configurations shared by many spacecraft, and the
spacecraft themselves. Flight records (counts, times, statuses) are filled in by `flights`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from db.synth.builder import Builder, slugify, weighted_index
from db.synth.lookups import CAPSULE, CARGO, SPACEPLANE

# name, manufacturer (agency id); used in order, then invented names
REAL_FAMILIES = [
    ("Soyuz", 1029),
    ("Progress", 1029),
    ("Dragon", 121),
    ("Shenzhou", 88),
    ("Orion", 44),
    ("Starliner", 80),
    ("Cygnus", 257),
    ("HTV", 37),
    ("Tianzhou", 88),
    ("Dream Chaser", 1020),
    ("Vostok", 66),
    ("Gaganyaan", 31),
    ("Hermès", 6),
    ("Буран", 1029),
]
_INVENTED = ["Aurora", "Vega", "Lyra", "Nova", "Kestrel", "Condor", "Éclair", "Mistral", "Стрела"]
_VARIANTS = ["", " 2", " MS", " TMA", " Cargo", " Crew", " Block II", "-M", " Lite"]
_GENERIC = ["Service Module", "Crew Capsule", "Cargo Vehicle", "Spaceplane", "Капсула"]
_LINES = {
    CAPSULE: "Human spaceflight in low Earth orbit.",
    CARGO: "Uncrewed resupply of space stations.",
    SPACEPLANE: "Crew and cargo transport with a runway landing.",
}


@dataclass(frozen=True)
class Model:
    """What flights need to know about a configuration beyond its row."""

    reusable: bool
    crew_capacity: int
    launchers: list[int]
    program: int | None


@dataclass
class Fleet:
    families: list[int] = field(default_factory=list)
    configs: list[int] = field(default_factory=list)
    models: dict[int, Model] = field(default_factory=dict)
    spacecraft: list[int] = field(default_factory=list)
    config_of: dict[int, int] = field(default_factory=dict)


def add_fleet(
    b: Builder,
    *,
    spacecraft: int,
    agencies: list[int],
    launchers: list[int],
    programs: list[int],
) -> Fleet:
    fleet = add_models(
        b, spacecraft=spacecraft, agencies=agencies, launchers=launchers, programs=programs
    )
    add_spacecraft(b, fleet, spacecraft)
    return fleet


def add_models(
    b: Builder,
    *,
    spacecraft: int,
    agencies: list[int],
    launchers: list[int],
    programs: list[int],
) -> Fleet:
    """Families and configurations for a fleet of `spacecraft`, without the spacecraft."""
    fleet = Fleet()
    _families(b, fleet, max(6, spacecraft // 400), agencies)
    _configurations(b, fleet, max(8, spacecraft // 100), agencies, launchers, programs)
    return fleet


def _families(b: Builder, fleet: Fleet, count: int, agencies: list[int]) -> None:
    top_level: list[int] = []
    for i in range(count):
        ident = b.new_id("spacecraft_family")
        if i < len(REAL_FAMILIES):
            name, maker = REAL_FAMILIES[i]
        else:
            name, maker = b.pick(_INVENTED), b.pick(agencies)
        # Every third family sits within an earlier top-level one (Dragon 2 within Dragon).
        parent = b.pick(top_level) if i % 3 == 2 and top_level else None
        if parent is None:
            top_level.append(ident)
        b.add(
            "spacecraft_family",
            ident,
            name=name,
            description=f"The {name} family of spacecraft." if b.chance(0.8) else None,
            manufacturer_id=maker if b.chance(0.9) else None,
            parent_id=parent,
            maiden_flight=b.day(1960, 2024) if b.chance(0.8) else None,
        )
        fleet.families.append(ident)


def _configurations(
    b: Builder,
    fleet: Fleet,
    count: int,
    agencies: list[int],
    launchers: list[int],
    programs: list[int],
) -> None:
    for _ in range(count):
        ident = b.new_id("spacecraft_configuration")
        roll = b.rng.random()
        families = [] if roll < 0.1 else b.sample(fleet.families, 2 if roll > 0.9 else 1)
        if families:
            family = b.row("spacecraft_family", families[0])
            name = family["name"] + b.pick(_VARIANTS)
            agency = family["manufacturer_id"] or b.pick(agencies)
        else:
            name = b.pick(_GENERIC)
            agency = agencies[weighted_index(b.rng, len(agencies))]
        kind = b.pick((CAPSULE, CAPSULE, CAPSULE, CAPSULE, CARGO, CARGO, CARGO, SPACEPLANE))
        human = kind != CARGO and b.chance(0.85)
        crew = b.rng.randint(1, 7) if human else 0
        reusable = kind == SPACEPLANE or b.chance(0.3)
        b.add(
            "spacecraft_configuration",
            ident,
            name=name,
            type_id=kind,
            agency_id=agency,
            in_use=b.chance(0.5),
            image_id=b.image(name) if b.chance(0.9) else None,
            capability=_LINES[kind],
            history=f"The {name} was developed for the synthetic dataset."
            + (" (Russian: «Союз», “Union”)" if b.chance(0.1) else ""),
            details=f"{name}: a pressurised module, a service module and a heat shield.",
            maiden_flight=b.day(1960, 2024) if b.chance(0.9) else None,
            height=round(b.rng.uniform(2.5, 37.2), 2) if b.chance(0.9) else None,
            diameter=round(b.rng.uniform(1.5, 5.2), 2) if b.chance(0.9) else None,
            human_rated=human,
            crew_capacity=crew if human or b.chance(0.5) else None,
            payload_capacity=b.rng.randint(200, 25000) if b.chance(0.8) else None,
            payload_return_capacity=b.rng.randint(0, 3500) if b.chance(0.5) else None,
            flight_life=b.pick(("Up to 210 days", "Longest flight was 4 days.", None, "2 years")),
            wiki_link=f"https://en.wikipedia.org/wiki/{slugify(name)}",
            info_link="" if b.chance(0.6) else f"https://example.org/{slugify(name)}",
        )
        b.link("spacecraft_configuration", "family", ident, families)
        fleet.configs.append(ident)
        fleet.models[ident] = Model(
            reusable=reusable,
            crew_capacity=crew,
            launchers=b.sample(_home_launchers(b, agency, launchers), b.rng.randint(1, 2)),
            program=b.pick(programs) if b.chance(0.6) else None,
        )


def _home_launchers(b: Builder, agency: int, launchers: list[int]) -> list[int]:
    """Launchers built in the agency's countries, or any when none is."""
    countries = set(b.linked("agency", "country", agency))
    home = [
        launcher
        for launcher in launchers
        if countries.intersection(
            b.linked(
                "agency", "country", b.row("launcher_configuration", launcher)["manufacturer_id"]
            )
        )
    ]
    return home or launchers


def add_spacecraft(b: Builder, fleet: Fleet, count: int) -> None:
    """`count` more spacecraft of the fleet's configurations."""
    serials: dict[int, int] = {}
    for _ in range(count):
        ident = b.new_id("spacecraft")
        config = fleet.configs[weighted_index(b.rng, len(fleet.configs))]
        config_row = b.row("spacecraft_configuration", config)
        k = serials[config] = serials.get(config, 0) + 1
        serial = f"{config_row['name'][:1].upper()}{100 + k}"
        roll = b.rng.random()
        if roll < 0.72:
            name = f"{config_row['name']} {serial}"
        elif roll < 0.88:
            name = f"{config_row['name']} No.{k}"
        elif roll < 0.97:
            name = config_row["name"]  # many spacecraft LL2 names after their model alone
        else:
            cyrillic = ("Восток-3КА №{}", "Союз ТМА-{}")  # noqa: RUF001
            name = b.pick((*cyrillic, "Hermès {}", "Sonde Éole {}")).format(k)
        image_roll = b.rng.random()
        if image_roll < 0.65:
            image = config_row["image_id"]
        elif image_roll < 0.9:
            image = b.image(name)
        else:
            image = None
        b.add(
            "spacecraft",
            ident,
            name=name,
            serial_number=serial if b.chance(0.9) else None,
            is_placeholder=b.chance(0.02),
            image_id=image,
            description=f"{name} is a {config_row['name']} spacecraft of the synthetic dataset.",
            spacecraft_config_id=config,
        )
        fleet.spacecraft.append(ident)
        fleet.config_of[ident] = config
