"""Spacecraft, their configurations (models), families and statuses: LL2's spacecraft core."""

from __future__ import annotations

from db.spec.fields import (
    Backref,
    Entity,
    Many,
    Ref,
    Scalar,
    boolean,
    date,
    duration,
    integer,
    number,
    text,
)


def _stat(key: str, doc: str) -> Scalar:
    return integer(key, doc, filter=True, order=True)


SPACECRAFT_STATUS = Entity(
    name="spacecraft_status",
    type_name="SpacecraftStatus",
    doc="The state of a spacecraft (active, retired, destroyed, single use, ...).",
    fields=(text("name", "Name of the status.", required=True, filter=True, order=True),),
)

SPACECRAFT_CONFIGURATION_TYPE = Entity(
    name="spacecraft_configuration_type",
    type_name="SpacecraftConfigurationType",
    doc="A kind of spacecraft configuration (capsule, cargo, spaceplane, ...).",
    fields=(text("name", "Name of the kind.", required=True, filter=True, order=True),),
)

SPACECRAFT_FAMILY = Entity(
    name="spacecraft_family",
    type_name="SpacecraftFamily",
    doc="A family of spacecraft configurations (Soyuz, Dragon, ...), possibly within a parent.",
    endpoint="spacecraft_configuration_families",
    fields=(
        text("name", "Name of the family.", required=True, filter=True, order=True, search=True),
        text("description", "Description of the family."),
        Ref(key="manufacturer", target="agency", doc="Agency that builds the family.", filter=True),
        Ref(
            key="parent",
            target="spacecraft_family",
            doc="The family this one belongs to.",
            filter=True,
        ),
        date("maiden_flight", "Date of the family's first flight.", filter=True, order=True),
        _stat("spacecraft_flown", "Spacecraft of the family that have flown."),
        _stat("total_launch_count", "Launches of spacecraft of the family."),
        _stat("successful_launches", "Successful launches of the family."),
        _stat("failed_launches", "Failed launches of the family."),
        _stat("attempted_landings", "Landings attempted by the family."),
        _stat("successful_landings", "Successful landings of the family."),
        _stat("failed_landings", "Failed landings of the family."),
        Backref(
            key="spacecraft",
            target="spacecraft_configuration",
            via="family",
            doc="Configurations in the family.",
        ),
    ),
)

SPACECRAFT_CONFIGURATION = Entity(
    name="spacecraft_configuration",
    type_name="SpacecraftConfiguration",
    doc="A model of spacecraft (Soyuz MS, Crew Dragon, ...) that spacecraft are built to.",
    endpoint="spacecraft_configurations",
    fields=(
        text(
            "name",
            "Name of the configuration.",
            required=True,
            filter=True,
            order=True,
            search=True,
        ),
        Ref(
            key="type",
            target="spacecraft_configuration_type",
            doc="Kind of configuration.",
            required=True,
            filter=True,
        ),
        Ref(
            key="agency",
            target="agency",
            doc="Agency responsible for the configuration.",
            required=True,
            filter=True,
        ),
        Many(
            key="family",
            target="spacecraft_family",
            doc="Families of the configuration.",
            filter=True,
        ),
        boolean(
            "in_use",
            "Whether the configuration is still in use.",
            required=True,
            filter=True,
            order=True,
        ),
        Ref(key="image", target="image", doc="Image of the configuration."),
        text("capability", "What the configuration can do."),
        text("history", "History of the configuration."),
        text("details", "Technical details of the configuration."),
        date("maiden_flight", "Date of the configuration's first flight.", filter=True, order=True),
        number("height", "Height in metres.", filter=True, order=True),
        number("diameter", "Diameter in metres.", filter=True, order=True),
        boolean("human_rated", "Whether the configuration may carry people.", filter=True),
        _stat("crew_capacity", "Largest crew the configuration carries."),
        _stat("payload_capacity", "Payload the configuration carries up, in kilograms."),
        _stat("payload_return_capacity", "Payload the configuration brings back, in kilograms."),
        text("flight_life", "How long the configuration can stay in flight, as LL2's text."),
        text("wiki_link", "Wikipedia page of the configuration."),
        text("info_link", "Page with information on the configuration."),
        _stat("spacecraft_flown", "Spacecraft of this configuration that have flown."),
        _stat("total_launch_count", "Launches of spacecraft of this configuration."),
        _stat("successful_launches", "Successful launches of this configuration."),
        _stat("failed_launches", "Failed launches of this configuration."),
        _stat("attempted_landings", "Landings attempted by this configuration."),
        _stat("successful_landings", "Successful landings of this configuration."),
        _stat("failed_landings", "Failed landings of this configuration."),
        duration(
            "fastest_turnaround",
            "Shortest time between two flights of one spacecraft.",
            filter=True,
            order=True,
        ),
    ),
)

SPACECRAFT = Entity(
    name="spacecraft",
    type_name="Spacecraft",
    doc="An individual spacecraft (a serial number of a configuration) and its flight record.",
    endpoint="spacecraft",
    fields=(
        text(
            "name", "Name of the spacecraft.", required=True, filter=True, order=True, search=True
        ),
        text("serial_number", "Serial number of the spacecraft.", filter=True),
        boolean(
            "is_placeholder",
            "Whether LL2 holds this spacecraft as a placeholder.",
            required=True,
            filter=True,
        ),
        Ref(key="image", target="image", doc="Image of the spacecraft."),
        boolean("in_space", "Whether the spacecraft is in space now.", required=True, filter=True),
        duration(
            "time_in_space",
            "Total time the spacecraft has spent in space.",
            filter=True,
            order=True,
        ),
        duration(
            "time_docked", "Total time the spacecraft has spent docked.", filter=True, order=True
        ),
        _stat("flights_count", "Number of flights of the spacecraft."),
        _stat("mission_ends_count", "Number of the spacecraft's flights that have ended."),
        Ref(
            key="status",
            target="spacecraft_status",
            doc="Status of the spacecraft.",
            required=True,
            filter=True,
        ),
        text("description", "Description of the spacecraft.", required=True),
        Ref(
            key="spacecraft_config",
            target="spacecraft_configuration",
            doc="The configuration the spacecraft is built to.",
            required=True,
            filter=True,
        ),
        duration(
            "fastest_turnaround",
            "Shortest time between two flights of the spacecraft.",
            filter=True,
            order=True,
        ),
        Backref(
            key="flights",
            target="spacecraft_flight",
            via="spacecraft",
            doc="Flights of the spacecraft.",
        ),
    ),
)

ENTITIES = (
    SPACECRAFT_STATUS,
    SPACECRAFT_CONFIGURATION_TYPE,
    SPACECRAFT_FAMILY,
    SPACECRAFT_CONFIGURATION,
    SPACECRAFT,
)
