"""LL2's small lookup objects, with LL2's own ids and names, numbered per kind as LL2 numbers them.

Spacecraft status 3 is "Destroyed" while launch status 3 is "Launch Successful", as in LL2.
"""

from __future__ import annotations

from db.synth.builder import Builder

SPACECRAFT_STATUS = {1: "Active", 2: "Retired", 3: "Destroyed", 4: "Single Use", 5: "Unknown"}
ACTIVE, RETIRED, DESTROYED, SINGLE_USE, UNKNOWN = 1, 2, 3, 4, 5

CONFIGURATION_TYPE = {1: "Unknown", 2: "Capsule", 3: "Spaceplane", 4: "Cargo Resupply"}
CAPSULE, SPACEPLANE, CARGO = 2, 3, 4

AGENCY_TYPE = {1: "Government", 2: "Multinational", 3: "Commercial", 4: "Educational", 5: "Private"}
GOVERNMENT, MULTINATIONAL, COMMERCIAL = 1, 2, 3

# id, name, priority, link
IMAGE_LICENSE = [
    (1, "Unknown", 9, None),
    (2, "CC BY 2.0", 3, "https://creativecommons.org/licenses/by/2.0/"),
    (3, "CC BY-SA 4.0", 3, "https://creativecommons.org/licenses/by-sa/4.0/"),
    (
        4,
        "NASA Image and Media Guidelines",
        0,
        "https://www.nasa.gov/nasa-brand-center/images-and-media/",
    ),
    (5, "Public Domain", 1, None),
]
IMAGE_VARIANT_TYPE = {1: "Small", 2: "Medium", 3: "Large", 4: "WebP"}

# id, name, alpha-2, alpha-3, nationality, composed nationality
COUNTRIES = [
    (1, "United States of America", "US", "USA", "American", "Americano"),
    (5, "Russia", "RU", "RUS", "Russian", "Russo"),
    (44, "Kazakhstan", "KZ", "KAZ", "Kazakh", "Kazakhstani"),
    (21, "China", "CN", "CHN", "Chinese", "Sino"),
    (8, "France", "FR", "FRA", "French", "Franco"),
    (63, "French Guiana", "GF", "GUF", "French Guianese", "Guianese"),
    (14, "Japan", "JP", "JPN", "Japanese", "Japano"),
    (18, "India", "IN", "IND", "Indian", "Indo"),
    (10, "Germany", "DE", "DEU", "German", "Germano"),
    (12, "Italy", "IT", "ITA", "Italian", "Italo"),
    (9, "United Kingdom", "GB", "GBR", "British", "Anglo"),
    (3, "Canada", "CA", "CAN", "Canadian", "Canado"),
    (60, "New Zealand", "NZ", "NZL", "New Zealander", "Kiwi"),
    (35, "Türkiye", "TR", "TUR", "Turkish", "Turko"),
    (72, "Côte d'Ivoire", "CI", "CIV", "Ivorian", "Ivoro"),
    (28, "Brazil", "BR", "BRA", "Brazilian", "Brazo"),
    (30, "Israel", "IL", "ISR", "Israeli", "Israelo"),
    (37, "South Korea", "KR", "KOR", "South Korean", "Korean"),
    (40, "Ukraine", "UA", "UKR", "Ukrainian", "Ukraino"),
    (55, "United Arab Emirates", "AE", "ARE", "Emirati", "Emirati"),
    (25, "México", "MX", "MEX", "Mexican", "Mexicano"),
]
USA, RUSSIA, KAZAKHSTAN, CHINA, FRANCE = 1, 5, 44, 21, 8

# id, name, url
SOCIAL_MEDIA = [
    (1, "X", "https://x.com"),
    (2, "YouTube", "https://www.youtube.com"),
    (3, "Instagram", "https://www.instagram.com"),
    (4, "Facebook", "https://www.facebook.com"),
    (5, "LinkedIn", "https://www.linkedin.com"),
]

CELESTIAL_BODY_TYPE = {1: "Planet", 2: "Moon"}
# id, name, type, diameter, mass, gravity, length of day, atmosphere
CELESTIAL_BODIES = [
    (1, "Earth", 1, 12742000.0, 5.972168e24, 9.80655, "1 00:00:00", True),
    (2, "Moon", 2, 3474800.0, 7.342e22, 1.62, "29 12:44:03", False),
    (3, "Mars", 1, 6779000.0, 6.4171e23, 3.72076, "1 00:39:35", True),
]
EARTH, MOON, MARS = 1, 2, 3

# id, name, abbrev, body
ORBITS = [
    (8, "Low Earth Orbit", "LEO", EARTH),
    (17, "Sun-Synchronous Orbit", "SSO", EARTH),
    (15, "Sub-Orbital", "Sub", EARTH),
    (2, "Geostationary Transfer Orbit", "GTO", EARTH),
    (29, "Lunar Orbit", "LO", MOON),
    (13, "Heliocentric N/A", "Helio-N/A", EARTH),
]
LEO, SSO, SUBORBITAL, GTO, LUNAR, HELIO = 8, 17, 15, 2, 29, 13

# id, name, abbrev, description
LAUNCH_STATUS = [
    (1, "Go for Launch", "Go", "Current T-0 confirmed by official or reliable sources."),
    (2, "To Be Determined", "TBD", "Current date is a 'No Earlier Than' estimation."),
    (
        3,
        "Launch Successful",
        "Success",
        "The launch vehicle successfully inserted its payload(s) into the target orbit(s).",
    ),
    (
        4,
        "Launch Failure",
        "Failure",
        "Either the launch vehicle did not reach orbit, or the payload(s) failed to separate.",
    ),
    (6, "Launch in Flight", "In Flight", "The launch vehicle has lifted off from the launch pad."),
    (
        7,
        "Launch was a Partial Failure",
        "Partial Failure",
        "The payload(s) reached an orbit other than the target.",
    ),
    (8, "To Be Confirmed", "TBC", "Awaiting official confirmation."),
]
GO, TBD, SUCCESS, FAILURE, IN_FLIGHT, PARTIAL, TBC = 1, 2, 3, 4, 6, 7, 8

NET_PRECISION = [
    (1, "Minute", "MIN", "The T-0 is accurate to the minute."),
    (2, "Hour", "HR", "The T-0 is accurate to the hour."),
    (5, "Day", "DAY", "The T-0 is accurate to the day."),
    (6, "Week", "WEEK", "The T-0 is accurate to the week."),
    (7, "Month", "MON", "The T-0 is accurate to the month."),
]

PROGRAM_TYPE = {1: "Robotic Exploration", 2: "Human Spaceflight", 3: "Space Station"}

LANDING_TYPE = [
    (4, "Parachute Landing", "PCL", "Unpowered landing using parachute(s)."),
    (5, "Runway Landing", "RL", "Horizontal landing on a runway."),
    (6, "Ocean Splashdown", "Ocean", "Splashdown in the ocean under parachutes."),
    (7, "Destructive Reentry", "DR", "Planned burn-up in the atmosphere."),
    (2, "Propulsive Landing", "PL", "Landing on rocket engines."),
]
PARACHUTE, RUNWAY, SPLASHDOWN, REENTRY, PROPULSIVE = 4, 5, 6, 7, 2

SPACE_STATION_STATUS = {1: "Active", 2: "De-Orbited"}
SPACE_STATION_TYPE = {1: "Government", 2: "Commercial"}
PAYLOAD_TYPE = {1: "Satellite", 2: "Space Station Module", 3: "Probe", 4: "Cargo"}

ASTRONAUT_STATUS = {
    1: "Active",
    2: "Retired",
    3: "In-Training",
    6: "Lost In Flight",
    11: "Deceased",
}
ASTRONAUT_TYPE = {1: "Unknown", 2: "Government", 3: "Private", 4: "Commercial"}
# id, role, priority
ASTRONAUT_ROLE = [
    (1, "Commander", 1),
    (2, "Pilot", 2),
    (3, "Flight Engineer", 3),
    (4, "Mission Specialist", 4),
    (5, "Payload Specialist", 5),
    (6, "Spaceflight Participant", 6),
]
COMMANDER, PILOT, ENGINEER, SPECIALIST, PAYLOAD_SPECIALIST, PARTICIPANT = 1, 2, 3, 4, 5, 6


def add_lookups(b: Builder) -> None:
    for ident, name in SPACECRAFT_STATUS.items():
        b.add("spacecraft_status", ident, name=name)
    for ident, name in CONFIGURATION_TYPE.items():
        b.add("spacecraft_configuration_type", ident, name=name)
    for ident, name in AGENCY_TYPE.items():
        b.add("agency_type", ident, name=name)
    for ident, name, priority, link in IMAGE_LICENSE:
        b.add("image_license", ident, name=name, priority=priority, link=link)
    for ident, name in IMAGE_VARIANT_TYPE.items():
        b.add("image_variant_type", ident, name=name)
    for ident, name, a2, a3, nationality, composed in COUNTRIES:
        b.add(
            "country",
            ident,
            name=name,
            alpha_2_code=a2,
            alpha_3_code=a3,
            nationality_name=nationality,
            nationality_name_composed=composed,
        )
    for ident, name, url in SOCIAL_MEDIA:
        logo = b.image(f"{name} logo", kind="logo", single_use=False)
        b.add("social_media", ident, name=name, url=url, logo_id=logo)
    for ident, name in CELESTIAL_BODY_TYPE.items():
        b.add("celestial_body_type", ident, name=name)
    for ident, name, kind, diameter, mass, gravity, day, atmosphere in CELESTIAL_BODIES:
        b.add(
            "celestial_body",
            ident,
            name=name,
            type_id=kind,
            diameter=diameter,
            mass=mass,
            gravity=gravity,
            length_of_day=day,
            atmosphere=atmosphere,
            image_id=b.image(name, credit="NASA", license_id=4),
            description=f"{name}, as seen from the launch sites of the synthetic dataset.",
            wiki_url=f"https://en.wikipedia.org/wiki/{name}",
            total_attempted_launches=b.rng.randint(0, 7200) if ident == EARTH else 0,
            successful_launches=b.rng.randint(0, 6600) if ident == EARTH else 0,
            failed_launches=b.rng.randint(0, 550) if ident == EARTH else 0,
            total_attempted_landings=b.rng.randint(0, 1100),
            successful_landings=b.rng.randint(0, 1050),
            failed_landings=b.rng.randint(0, 50),
        )
    for ident, name, abbrev, body in ORBITS:
        b.add("orbit", ident, name=name, abbrev=abbrev, celestial_body_id=body)
    for ident, name, abbrev, description in LAUNCH_STATUS:
        b.add("launch_status", ident, name=name, abbrev=abbrev, description=description)
    for ident, name, abbrev, description in NET_PRECISION:
        b.add("net_precision", ident, name=name, abbrev=abbrev, description=description)
    for ident, name in PROGRAM_TYPE.items():
        b.add("program_type", ident, name=name)
    for ident, name, abbrev, description in LANDING_TYPE:
        b.add("landing_type", ident, name=name, abbrev=abbrev, description=description)
    for ident, name in SPACE_STATION_STATUS.items():
        b.add("space_station_status", ident, name=name)
    for ident, name in SPACE_STATION_TYPE.items():
        b.add("space_station_type", ident, name=name)
    for ident, name in PAYLOAD_TYPE.items():
        b.add("payload_type", ident, name=name)
    for ident, name in ASTRONAUT_STATUS.items():
        b.add("astronaut_status", ident, name=name)
    for ident, name in ASTRONAUT_TYPE.items():
        b.add("astronaut_type", ident, name=name)
    for ident, role, priority in ASTRONAUT_ROLE:
        b.add("astronaut_role", ident, role=role, priority=priority)
