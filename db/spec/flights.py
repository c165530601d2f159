"""Spacecraft flights and what happens on them: landings, docking events, payloads docked to."""

from __future__ import annotations

from db.spec.fields import (
    Backref,
    Entity,
    Many,
    Ref,
    boolean,
    date,
    datetime,
    duration,
    integer,
    number,
    text,
)

LANDING_TYPE = Entity(
    name="landing_type",
    type_name="LandingType",
    doc="A way of landing (parachute, propulsive, runway, ...).",
    fields=(
        text("name", "Name of the way of landing.", required=True, filter=True),
        text("abbrev", "Abbreviation.", required=True, filter=True),
        text("description", "What the way of landing is."),
    ),
)

LANDING_LOCATION = Entity(
    name="landing_location",
    type_name="LandingLocation",
    doc="A place where spacecraft or boosters land.",
    fields=(
        text("name", "Name of the place.", required=True, filter=True, order=True),
        boolean("active", "Whether the place is in use.", required=True),
        text("abbrev", "Abbreviation.", required=True, filter=True),
        text("description", "Description of the place."),
        Ref(key="location", target="location", doc="Launch site the place belongs to."),
        number("longitude", "Longitude in degrees."),
        number("latitude", "Latitude in degrees."),
        Ref(key="image", target="image", doc="Image of the place."),
        integer("successful_landings", "Successful landings at the place."),
        integer("attempted_landings", "Landings attempted at the place."),
        integer("failed_landings", "Failed landings at the place."),
        Ref(
            key="celestial_body",
            target="celestial_body",
            doc="Body the place is on.",
            required=True,
        ),
    ),
)

LANDING = Entity(
    name="landing",
    type_name="Landing",
    doc="The landing of a flight: where, how, and whether it worked.",
    endpoint="landings",
    fields=(
        boolean("attempt", "Whether a landing was attempted.", required=True, filter=True),
        boolean("success", "Whether the landing succeeded (null when not yet known).", filter=True),
        text("description", "Description of the landing.", required=True),
        number("downrange_distance", "Distance from the launch site in kilometres."),
        Ref(
            key="landing_location",
            target="landing_location",
            doc="Where it landed.",
            required=True,
            filter=True,
        ),
        Ref(key="type", target="landing_type", doc="How it landed.", required=True, filter=True),
    ),
)

SPACE_STATION_STATUS = Entity(
    name="space_station_status",
    type_name="SpaceStationStatus",
    doc="The state of a space station (active, de-orbited, ...).",
    fields=(text("name", "Name of the status.", required=True),),
)

SPACE_STATION_TYPE = Entity(
    name="space_station_type",
    type_name="SpaceStationType",
    doc="A kind of space station (government, commercial, ...).",
    fields=(text("name", "Name of the kind.", required=True),),
)

SPACE_STATION = Entity(
    name="space_station",
    type_name="SpaceStation",
    doc="A space station that spacecraft dock to.",
    endpoint="space_stations",
    fields=(
        text("name", "Name of the station.", required=True, filter=True, order=True),
        Ref(key="image", target="image", doc="Image of the station."),
        Ref(key="status", target="space_station_status", doc="Status of the station."),
        date("founded", "When the station was founded.", order=True),
        date("deorbited", "When the station was de-orbited."),
        text("description", "Description of the station."),
        text("orbit", "Orbit of the station, as LL2's text."),
        Ref(key="type", target="space_station_type", doc="Kind of station."),
    ),
)

PAYLOAD_TYPE = Entity(
    name="payload_type",
    type_name="PayloadType",
    doc="A kind of payload.",
    fields=(text("name", "Name of the kind.", required=True),),
)

PAYLOAD = Entity(
    name="payload",
    type_name="Payload",
    doc="A payload carried by a launch (a satellite, a probe, ...).",
    endpoint="payloads",
    fields=(
        text("name", "Name of the payload.", required=True, filter=True, order=True),
        Ref(key="type", target="payload_type", doc="Kind of payload.", required=True),
        Ref(
            key="manufacturer", target="agency", doc="Agency that built the payload.", required=True
        ),
        Ref(
            key="operator", target="agency", doc="Agency that operates the payload.", required=True
        ),
        Ref(key="image", target="image", doc="Image of the payload."),
        text("wiki_link", "Wikipedia page of the payload."),
        text("info_link", "Page with information on the payload."),
        Many(key="program", target="program", doc="Programs of the payload."),
        integer("cost", "Cost in US dollars."),
        number("mass", "Mass in kilograms."),
        text("description", "Description of the payload."),
    ),
)

PAYLOAD_FLIGHT = Entity(
    name="payload_flight",
    type_name="PayloadFlight",
    doc="The flight of a payload on a launch.",
    endpoint="payload_flights",
    fields=(
        text("destination", "Where the payload went."),
        integer("amount", "How many of the payload flew.", required=True),
        Ref(key="payload", target="payload", doc="The payload.", required=True),
        Ref(key="launch", target="launch", doc="Launch that carried it.", required=True),
        Ref(key="landing", target="landing", doc="Landing of the payload."),
    ),
)

DOCKING_LOCATION = Entity(
    name="docking_location",
    type_name="DockingLocation",
    doc="A port that spacecraft dock at, on a station, a spacecraft or a payload.",
    fields=(
        text("name", "Name of the port.", required=True, filter=True),
        Ref(key="spacestation", target="space_station", doc="Station the port is on."),
        Ref(
            key="spacecraft",
            target="spacecraft_configuration",
            doc="Spacecraft configuration the port is on.",
        ),
        Ref(key="payload", target="payload", doc="Payload the port is on."),
    ),
)

DOCKING_EVENT = Entity(
    name="docking_event",
    type_name="DockingEvent",
    doc="A flight docking to a station, another flight or a payload, and its departure.",
    endpoint="docking_events",
    fields=(
        datetime("docking", "When the docking happened.", required=True, filter=True, order=True),
        datetime("departure", "When the chaser left again.", filter=True, order=True),
        Ref(
            key="docking_location",
            target="docking_location",
            doc="Port docked at.",
            required=True,
            filter=True,
        ),
        Ref(
            key="space_station_target",
            target="space_station",
            doc="Station docked to.",
            filter=True,
        ),
        Ref(key="flight_vehicle_target", target="spacecraft_flight", doc="Flight docked to."),
        Ref(key="payload_flight_target", target="payload_flight", doc="Payload docked to."),
        Ref(
            key="flight_vehicle_chaser",
            target="spacecraft_flight",
            doc="The flight that docked.",
            hidden=True,
            filter=True,
        ),
    ),
)

SPACECRAFT_FLIGHT = Entity(
    name="spacecraft_flight",
    type_name="SpacecraftFlight",
    doc="One flight of a spacecraft: its launch, crews, docking events and landing.",
    endpoint="spacecraft_flights",
    fields=(
        text("destination", "Where the flight went.", filter=True),
        datetime("mission_end", "When the flight ended.", filter=True, order=True),
        Ref(
            key="spacecraft",
            target="spacecraft",
            doc="The spacecraft that flew.",
            required=True,
            filter=True,
        ),
        Ref(key="launch", target="launch", doc="Launch of the flight.", required=True, filter=True),
        Ref(key="landing", target="landing", doc="Landing of the flight.", filter=True),
        duration("duration", "How long the flight lasted.", filter=True, order=True),
        duration(
            "turn_around_time",
            "Time since the spacecraft's previous flight.",
            filter=True,
            order=True,
        ),
        Many(
            key="launch_crew",
            target="astronaut_flight",
            doc="Crew on board at launch.",
            filter=True,
        ),
        Many(
            key="onboard_crew",
            target="astronaut_flight",
            doc="Crew that joined or left during the flight.",
            filter=True,
        ),
        Many(
            key="landing_crew",
            target="astronaut_flight",
            doc="Crew on board at landing.",
            filter=True,
        ),
        Backref(
            key="docking_events",
            target="docking_event",
            via="flight_vehicle_chaser",
            doc="Docking events of the flight.",
            ordered=True,
        ),
    ),
)

ENTITIES = (
    LANDING_TYPE,
    LANDING_LOCATION,
    LANDING,
    SPACE_STATION_STATUS,
    SPACE_STATION_TYPE,
    SPACE_STATION,
    PAYLOAD_TYPE,
    PAYLOAD,
    PAYLOAD_FLIGHT,
    DOCKING_LOCATION,
    DOCKING_EVENT,
    SPACECRAFT_FLIGHT,
)
