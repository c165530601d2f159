"""Launches and what LL2 nests in them: rockets, launcher families, missions, programs."""

from __future__ import annotations

from db.spec.fields import (
    Entity,
    Kind,
    Many,
    Ref,
    Scalar,
    ValueObject,
    boolean,
    date,
    datetime,
    duration,
    integer,
    number,
    text,
    values,
)


def _count(key: str, doc: str) -> Scalar:
    return integer(key, doc, filter=True, order=True)


def _record(subject: str) -> tuple[Scalar, ...]:
    """LL2's launch and landing record counters, shared by launcher configurations and families."""
    return (
        _count("total_launch_count", f"Launches of the {subject}."),
        _count(
            "consecutive_successful_launches",
            f"Current run of successful launches of the {subject}.",
        ),
        _count("successful_launches", f"Successful launches of the {subject}."),
        _count("failed_launches", f"Failed launches of the {subject}."),
        _count("pending_launches", f"Launches of the {subject} still to come."),
        _count("attempted_landings", f"Landings attempted by the {subject}."),
        _count("successful_landings", f"Successful landings of the {subject}."),
        _count("failed_landings", f"Failed landings of the {subject}."),
        _count(
            "consecutive_successful_landings",
            f"Current run of successful landings of the {subject}.",
        ),
    )


LAUNCH_STATUS = Entity(
    name="launch_status",
    type_name="LaunchStatus",
    doc="The state of a launch (go, success, failure, ...).",
    fields=(
        text("name", "Name of the status.", required=True, filter=True),
        text("abbrev", "Short name of the status.", required=True, filter=True),
        text("description", "What the status means.", required=True),
    ),
)

NET_PRECISION = Entity(
    name="net_precision",
    type_name="NetPrecision",
    doc="How precise a launch's NET (no earlier than) time is.",
    fields=(
        text("name", "Name of the precision.", required=True),
        text("abbrev", "Short name of the precision.", required=True),
        text("description", "What the precision means.", required=True),
    ),
)

LAUNCHER_FAMILY = Entity(
    name="launcher_family",
    type_name="LauncherFamily",
    doc="A family of launch vehicles (R-7, Falcon, ...); distinct from spacecraft families.",
    endpoint="launcher_configuration_families",
    fields=(
        text("name", "Name of the family.", required=True, filter=True, order=True),
        Many(key="manufacturer", target="agency", doc="Agencies that build the family."),
        Ref(key="parent", target="launcher_family", doc="The family this one belongs to."),
        text("description", "Description of the family."),
        boolean("active", "Whether the family is in use."),
        date("maiden_flight", "Date of the family's first flight.", order=True),
        *_record("family"),
    ),
)

LAUNCHER_CONFIGURATION = Entity(
    name="launcher_configuration",
    type_name="LauncherConfiguration",
    doc="A launch vehicle model (Vostok-K, Falcon 9 Block 5, ...).",
    endpoint="launcher_configurations",
    fields=(
        text("name", "Name of the configuration.", required=True, filter=True, order=True),
        Many(key="families", target="launcher_family", doc="Families of the launcher."),
        text("full_name", "Full name of the configuration.", required=True, filter=True),
        text("variant", "Variant of the launcher.", required=True),
        boolean("active", "Whether the launcher is in use.", filter=True),
        boolean("is_placeholder", "Whether LL2 holds it as a placeholder."),
        Many(key="program", target="program", doc="Programs the launcher belongs to."),
        boolean("reusable", "Whether the launcher is reusable.", filter=True),
        Ref(key="image", target="image", doc="Image of the launcher."),
        text("info_url", "Page with information on the launcher."),
        text("wiki_url", "Wikipedia page of the launcher."),
        text("description", "Description of the launcher."),
        text("alias", "Other names of the launcher."),
        integer("min_stage", "Fewest stages."),
        integer("max_stage", "Most stages."),
        number("length", "Length in metres."),
        number("diameter", "Diameter in metres."),
        date("maiden_flight", "Date of the first flight.", order=True),
        integer("launch_cost", "Cost of a launch in US dollars."),
        number("launch_mass", "Mass at lift-off in tonnes."),
        number("leo_capacity", "Payload to low Earth orbit in kilograms."),
        number("gto_capacity", "Payload to geostationary transfer orbit in kilograms."),
        number("geo_capacity", "Payload to geostationary orbit in kilograms."),
        number("sso_capacity", "Payload to Sun-synchronous orbit in kilograms."),
        number("to_thrust", "Thrust at lift-off in kilonewtons."),
        number("apogee", "Apogee of suborbital flights in kilometres."),
        *_record("launcher"),
        duration("fastest_turnaround", "Shortest time between two flights of one booster."),
        Ref(
            key="manufacturer",
            target="agency",
            doc="Agency that builds the launcher.",
            hidden=True,
            filter=True,
        ),
    ),
)

ROCKET = Entity(
    name="rocket",
    type_name="Rocket",
    doc="The launch vehicle that flew a launch.",
    fields=(
        Ref(
            key="configuration",
            target="launcher_configuration",
            doc="Model of the rocket.",
            required=True,
            filter=True,
        ),
    ),
)

ORBIT = Entity(
    name="orbit",
    type_name="Orbit",
    doc="A target orbit (LEO, GTO, ...).",
    fields=(
        text("name", "Name of the orbit.", required=True, filter=True),
        text("abbrev", "Abbreviation of the orbit.", required=True, filter=True),
        Ref(key="celestial_body", target="celestial_body", doc="Body orbited.", required=True),
    ),
)

PROGRAM_TYPE = Entity(
    name="program_type",
    type_name="ProgramType",
    doc="A kind of program (human spaceflight, ...).",
    fields=(text("name", "Name of the kind.", required=True),),
)

MISSION_PATCH = Entity(
    name="mission_patch",
    type_name="MissionPatch",
    doc="A patch designed for a mission or program.",
    fields=(
        text("name", "Name of the patch.", required=True),
        integer("priority", "LL2's preference among patches.", required=True),
        text("image_url", "URL of the patch's image.", required=True),
        Ref(key="agency", target="agency", doc="Agency the patch belongs to."),
    ),
)

PROGRAM = Entity(
    name="program",
    type_name="Program",
    doc="A program that launches belong to (Vostok, Artemis, ...).",
    endpoint="programs",
    fields=(
        text("name", "Name of the program.", required=True, filter=True, order=True),
        Ref(key="image", target="image", doc="Image of the program."),
        text("info_url", "Page with information on the program."),
        text("wiki_url", "Wikipedia page of the program."),
        text("description", "Description of the program."),
        Many(key="agencies", target="agency", doc="Agencies of the program."),
        datetime("start_date", "When the program started.", order=True),
        datetime("end_date", "When the program ended.", order=True),
        Many(key="mission_patches", target="mission_patch", doc="Patches of the program."),
        Ref(key="type", target="program_type", doc="Kind of program."),
    ),
)

LANGUAGE = ValueObject(
    name="language",
    type_name="Language",
    doc="A language of a linked page or video.",
    fields=(
        integer("id", "LL2's id of the language.", required=True),
        text("name", "Name of the language.", required=True),
        text("code", "ISO 639-1 (two-letter) code.", required=True),
    ),
)

INFO_URL_TYPE = ValueObject(
    name="info_url_type",
    type_name="InfoUrlType",
    doc="A kind of linked page.",
    fields=(
        integer("id", "LL2's id of the kind.", required=True),
        text("name", "Name of the kind.", required=True),
    ),
)

VID_URL_TYPE = ValueObject(
    name="vid_url_type",
    type_name="VidUrlType",
    doc="A kind of linked video.",
    fields=(
        integer("id", "LL2's id of the kind.", required=True),
        text("name", "Name of the kind.", required=True),
    ),
)

INFO_URL = ValueObject(
    name="info_url",
    type_name="InfoUrl",
    doc="A page with information on a mission.",
    fields=(
        integer("priority", "LL2's preference among links.", required=True),
        text("source", "Site the page is on."),
        text("title", "Title of the page."),
        text("description", "Description of the page."),
        text("feature_image", "Image of the page."),
        text("url", "URL of the page.", required=True),
    ),
    nested=(
        ("type", "info_url_type", "Kind of page."),
        ("language", "language", "Language of the page."),
    ),
)

VID_URL = ValueObject(
    name="vid_url",
    type_name="VidUrl",
    doc="A video of a mission (a webcast, a recording).",
    fields=(
        integer("priority", "LL2's preference among videos.", required=True),
        text("source", "Site the video is on."),
        text("publisher", "Who published the video."),
        text("title", "Title of the video."),
        text("description", "Description of the video."),
        text("feature_image", "Image of the video."),
        text("url", "URL of the video.", required=True),
        datetime("start_time", "When the video starts."),
        datetime("end_time", "When the video ends."),
        boolean("live", "Whether the video is live.", required=True),
    ),
    nested=(
        ("type", "vid_url_type", "Kind of video."),
        ("language", "language", "Language of the video."),
    ),
)

MISSION = Entity(
    name="mission",
    type_name="Mission",
    doc="What a launch is for.",
    fields=(
        text("name", "Name of the mission.", required=True, filter=True, order=True),
        text("type", "Kind of mission, as LL2's text.", required=True, filter=True),
        text("description", "Description of the mission.", required=True),
        Ref(key="image", target="image", doc="Image of the mission."),
        Ref(key="orbit", target="orbit", doc="Target orbit.", required=True, filter=True),
        Many(key="agencies", target="agency", doc="Agencies of the mission."),
        values("info_urls", "info_url", "Pages with information on the mission."),
        values("vid_urls", "vid_url", "Videos of the mission."),
    ),
)

LAUNCH = Entity(
    name="launch",
    type_name="Launch",
    doc="A launch: when, where, on what rocket, for which mission, and how it went.",
    endpoint="launches",
    id_kind=Kind.UUID,
    fields=(
        text(
            "name",
            "Name of the launch (rocket | mission).",
            required=True,
            filter=True,
            order=True,
            search=True,
        ),
        text("slug", "Slug of the launch's name.", required=True, filter=True),
        text("launch_designator", "International designator (COSPAR) of the launch.", filter=True),
        Ref(key="status", target="launch_status", doc="Status of the launch.", filter=True),
        datetime("last_updated", "When LL2 last updated the launch.", required=True, order=True),
        datetime(
            "net",
            "No earlier than: the launch time as LL2 knows it.",
            required=True,
            filter=True,
            order=True,
        ),
        Ref(key="net_precision", target="net_precision", doc="Precision of the NET."),
        datetime("window_end", "End of the launch window.", required=True, filter=True, order=True),
        datetime(
            "window_start", "Start of the launch window.", required=True, filter=True, order=True
        ),
        Ref(key="image", target="image", doc="Image of the launch."),
        text("infographic", "URL of an infographic of the launch."),
        integer("probability", "Probability of launch in percent (-1 when unknown)."),
        text("weather_concerns", "Weather concerns for the launch."),
        text("failreason", "Why the launch failed."),
        text("hashtag", "Hashtag of the launch."),
        Ref(
            key="launch_service_provider",
            target="agency",
            doc="Agency that provided the launch.",
            filter=True,
        ),
        Ref(key="rocket", target="rocket", doc="Rocket of the launch.", filter=True),
        Ref(key="mission", target="mission", doc="Mission of the launch.", filter=True),
        Ref(key="pad", target="pad", doc="Pad the launch left from.", filter=True),
        boolean("webcast_live", "Whether a webcast is live.", required=True),
        Many(key="program", target="program", doc="Programs of the launch."),
        _count("orbital_launch_attempt_count", "Orbital launch attempts up to this one, all time."),
        _count(
            "location_launch_attempt_count", "Launch attempts from this location up to this one."
        ),
        _count("pad_launch_attempt_count", "Launch attempts from this pad up to this one."),
        _count("agency_launch_attempt_count", "Launch attempts by this provider up to this one."),
        _count(
            "orbital_launch_attempt_count_year", "Orbital launch attempts this year up to this one."
        ),
        _count(
            "location_launch_attempt_count_year", "Launch attempts from this location this year."
        ),
        _count("pad_launch_attempt_count_year", "Launch attempts from this pad this year."),
        _count("agency_launch_attempt_count_year", "Launch attempts by this provider this year."),
    ),
)

ENTITIES = (
    LAUNCH_STATUS,
    NET_PRECISION,
    LAUNCHER_FAMILY,
    LAUNCHER_CONFIGURATION,
    ROCKET,
    ORBIT,
    PROGRAM_TYPE,
    MISSION_PATCH,
    PROGRAM,
    MISSION,
    LAUNCH,
)
VALUE_OBJECTS = (LANGUAGE, INFO_URL_TYPE, VID_URL_TYPE, INFO_URL, VID_URL)
