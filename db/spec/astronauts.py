"""Astronauts and their places in flight crews."""

from __future__ import annotations

from db.spec.fields import Entity, Many, Ref, boolean, date, datetime, duration, integer, text

ASTRONAUT_STATUS = Entity(
    name="astronaut_status",
    type_name="AstronautStatus",
    doc="The state of an astronaut (active, retired, deceased, ...).",
    fields=(text("name", "Name of the status.", required=True, filter=True),),
)

ASTRONAUT_TYPE = Entity(
    name="astronaut_type",
    type_name="AstronautType",
    doc="A kind of astronaut (government, private, ...).",
    fields=(text("name", "Name of the kind.", required=True, filter=True),),
)

ASTRONAUT_ROLE = Entity(
    name="astronaut_role",
    type_name="AstronautRole",
    doc="A role in a crew (commander, pilot, ...).",
    fields=(
        text("role", "Name of the role.", required=True, filter=True),
        integer("priority", "Rank of the role within a crew.", required=True),
    ),
)

ASTRONAUT = Entity(
    name="astronaut",
    type_name="Astronaut",
    doc="A person who has flown, or trains to fly, to space.",
    endpoint="astronauts",
    fields=(
        text("name", "Name of the astronaut.", required=True, filter=True, order=True, search=True),
        Ref(
            key="status",
            target="astronaut_status",
            doc="Status of the astronaut.",
            required=True,
            filter=True,
        ),
        Ref(key="agency", target="agency", doc="Agency of the astronaut.", filter=True),
        Ref(key="image", target="image", doc="Image of the astronaut."),
        Ref(
            key="type",
            target="astronaut_type",
            doc="Kind of astronaut.",
            required=True,
            filter=True,
        ),
        boolean("in_space", "Whether the astronaut is in space now.", required=True, filter=True),
        duration(
            "time_in_space", "Total time the astronaut has spent in space.", filter=True, order=True
        ),
        duration(
            "eva_time",
            "Total time the astronaut has spent on spacewalks.",
            required=True,
            filter=True,
            order=True,
        ),
        integer("age", "Age of the astronaut in years.", filter=True, order=True),
        date("date_of_birth", "Date of birth.", filter=True, order=True),
        date("date_of_death", "Date of death.", filter=True, order=True),
        Many(
            key="nationality", target="country", doc="Nationalities of the astronaut.", filter=True
        ),
        text("bio", "Biography of the astronaut.", required=True),
        text("wiki", "Wikipedia page of the astronaut."),
        datetime(
            "last_flight", "Launch time of the astronaut's latest flight.", filter=True, order=True
        ),
        datetime(
            "first_flight", "Launch time of the astronaut's first flight.", filter=True, order=True
        ),
        Many(
            key="social_media_links",
            target="social_media_link",
            doc="The astronaut's social media accounts.",
        ),
    ),
)

ASTRONAUT_FLIGHT = Entity(
    name="astronaut_flight",
    type_name="AstronautFlight",
    doc="An astronaut's place in a flight's crew, with their role.",
    fields=(
        Ref(
            key="role", target="astronaut_role", doc="Role in the crew.", required=True, filter=True
        ),
        Ref(key="astronaut", target="astronaut", doc="The astronaut.", required=True, filter=True),
    ),
)

ENTITIES = (ASTRONAUT_STATUS, ASTRONAUT_TYPE, ASTRONAUT_ROLE, ASTRONAUT, ASTRONAUT_FLIGHT)
