"""Where things are: countries, celestial bodies, launch locations and pads."""

from __future__ import annotations

from db.spec.fields import Entity, Many, Ref, boolean, duration, integer, number, text

COUNTRY = Entity(
    name="country",
    type_name="Country",
    doc="A country, as agencies, pads and astronauts' nationalities refer to it.",
    fields=(
        text("name", "Name of the country.", required=True, filter=True, order=True),
        text("alpha_2_code", "ISO 3166-1 alpha-2 code.", required=True, filter=True),
        text("alpha_3_code", "ISO 3166-1 alpha-3 code.", required=True, filter=True),
        text("nationality_name", "Nationality adjective, e.g. French.", required=True),
        text(
            "nationality_name_composed",
            "Combining form of the nationality, e.g. Franco.",
            required=True,
        ),
    ),
)

CELESTIAL_BODY_TYPE = Entity(
    name="celestial_body_type",
    type_name="CelestialBodyType",
    doc="A kind of celestial body (planet, moon, ...).",
    fields=(text("name", "Name of the kind.", required=True),),
)

CELESTIAL_BODY = Entity(
    name="celestial_body",
    type_name="CelestialBody",
    doc="A planet, moon or other body that launches leave from and landings reach.",
    endpoint="celestial_bodies",
    fields=(
        text("name", "Name of the body.", required=True, filter=True, order=True),
        Ref(key="type", target="celestial_body_type", doc="Kind of body."),
        number("diameter", "Diameter in metres."),
        number("mass", "Mass in kilograms."),
        number("gravity", "Surface gravity in m/s^2."),
        text("length_of_day", "Length of a day, in LL2's own text form (`1 00:00:00`)."),
        boolean("atmosphere", "Whether the body has an atmosphere."),
        Ref(key="image", target="image", doc="Image of the body."),
        text("description", "Description of the body."),
        text("wiki_url", "Wikipedia page of the body."),
        integer("total_attempted_launches", "Launches attempted from the body."),
        integer("successful_launches", "Successful launches from the body."),
        integer("failed_launches", "Failed launches from the body."),
        integer("total_attempted_landings", "Landings attempted on the body."),
        integer("successful_landings", "Successful landings on the body."),
        integer("failed_landings", "Failed landings on the body."),
    ),
)

LOCATION = Entity(
    name="location",
    type_name="Location",
    doc="A launch site (a spaceport or range) holding one or more pads.",
    endpoint="locations",
    fields=(
        text("name", "Name of the location.", required=True, filter=True, order=True),
        Ref(key="celestial_body", target="celestial_body", doc="Body the location is on."),
        boolean("active", "Whether the location is in use.", required=True),
        Ref(key="country", target="country", doc="Country of the location.", filter=True),
        text("description", "Description of the location."),
        Ref(key="image", target="image", doc="Image of the location."),
        text("map_image", "URL of a map of the location."),
        number("longitude", "Longitude in degrees."),
        number("latitude", "Latitude in degrees."),
        text("timezone_name", "IANA time zone of the location.", required=True),
        integer("total_launch_count", "Launches from the location."),
        integer("total_landing_count", "Landings at the location."),
    ),
)

PAD = Entity(
    name="pad",
    type_name="Pad",
    doc="A launch pad.",
    endpoint="pads",
    fields=(
        boolean("active", "Whether the pad is in use.", required=True),
        Many(key="agencies", target="agency", doc="Agencies operating the pad."),
        text("name", "Name of the pad.", required=True, filter=True, order=True),
        Ref(key="image", target="image", doc="Image of the pad."),
        text("description", "Description of the pad."),
        text("info_url", "Page with information on the pad."),
        text("wiki_url", "Wikipedia page of the pad."),
        text("map_url", "URL of the pad on a map."),
        number("latitude", "Latitude in degrees."),
        number("longitude", "Longitude in degrees."),
        Ref(key="country", target="country", doc="Country of the pad.", filter=True),
        text("map_image", "URL of a map image of the pad."),
        integer("total_launch_count", "Launches from the pad."),
        integer("orbital_launch_attempt_count", "Orbital launch attempts from the pad."),
        duration("fastest_turnaround", "Shortest time between two launches from the pad."),
        Ref(key="location", target="location", doc="Launch site the pad belongs to.", filter=True),
    ),
)

ENTITIES = (COUNTRY, CELESTIAL_BODY_TYPE, CELESTIAL_BODY, LOCATION, PAD)
