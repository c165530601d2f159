"""Agencies (space agencies, companies, programmes' operators) and their social media."""

from __future__ import annotations

from db.spec.fields import Backref, Entity, Many, Ref, Scalar, boolean, integer, text

AGENCY_TYPE = Entity(
    name="agency_type",
    type_name="AgencyType",
    doc="A kind of agency (government, commercial, ...).",
    fields=(text("name", "Name of the kind.", required=True, filter=True),),
)

SOCIAL_MEDIA = Entity(
    name="social_media",
    type_name="SocialMedia",
    doc="A social network (X, YouTube, Instagram, ...).",
    fields=(
        text("name", "Name of the network.", required=True),
        text("url", "Home page of the network."),
        Ref(key="logo", target="image", doc="Logo of the network."),
    ),
)

SOCIAL_MEDIA_LINK = Entity(
    name="social_media_link",
    type_name="SocialMediaLink",
    doc="An account of an agency or astronaut on a social network.",
    fields=(
        Ref(key="social_media", target="social_media", doc="The network.", required=True),
        text("url", "URL of the account."),
    ),
)


def _counter(key: str, doc: str) -> Scalar:
    return integer(key, doc, filter=True, order=True)


AGENCY = Entity(
    name="agency",
    type_name="Agency",
    doc="An organisation that builds, operates or launches spacecraft and rockets.",
    endpoint="agencies",
    fields=(
        text("name", "Name of the agency.", required=True, filter=True, order=True, search=True),
        text(
            "abbrev",
            "Abbreviation of the agency's name.",
            required=True,
            filter=True,
            order=True,
            search=True,
        ),
        Ref(key="type", target="agency_type", doc="Kind of agency.", required=True, filter=True),
        boolean("featured", "Whether LL2 features the agency.", filter=True, order=True),
        Many(key="country", target="country", doc="Countries the agency belongs to.", filter=True),
        text("description", "Description of the agency."),
        text("administrator", "Who leads the agency."),
        integer("founding_year", "Year the agency was founded.", filter=True, order=True),
        text("launchers", "Launchers the agency builds or uses, as LL2's text."),
        text("spacecraft", "Spacecraft the agency builds or uses, as LL2's text."),
        text("parent", "Parent organisation, as LL2's text.", filter=True),
        Ref(key="image", target="image", doc="Image of the agency."),
        Ref(key="logo", target="image", doc="Logo of the agency."),
        Ref(key="social_logo", target="image", doc="Logo of the agency for social media."),
        _counter("total_launch_count", "Launches by the agency."),
        _counter("consecutive_successful_launches", "Current run of successful launches."),
        _counter("successful_launches", "Successful launches by the agency."),
        _counter("failed_launches", "Failed launches by the agency."),
        _counter("pending_launches", "Launches by the agency still to come."),
        _counter("consecutive_successful_landings", "Current run of successful landings."),
        _counter("successful_landings", "Successful landings by the agency."),
        _counter("failed_landings", "Failed landings by the agency."),
        _counter("attempted_landings", "Landings attempted by the agency."),
        integer("successful_landings_spacecraft", "Successful landings of its spacecraft."),
        integer("failed_landings_spacecraft", "Failed landings of its spacecraft."),
        integer("attempted_landings_spacecraft", "Attempted landings of its spacecraft."),
        integer("successful_landings_payload", "Successful landings of its payloads."),
        integer("failed_landings_payload", "Failed landings of its payloads."),
        integer("attempted_landings_payload", "Attempted landings of its payloads."),
        text("info_url", "Page with information on the agency."),
        text("wiki_url", "Wikipedia page of the agency."),
        Many(
            key="social_media_links",
            target="social_media_link",
            doc="The agency's social media accounts.",
        ),
        Backref(
            key="launcher_list",
            target="launcher_configuration",
            via="manufacturer",
            doc="Launcher configurations the agency manufactures.",
        ),
        Backref(
            key="spacecraft_list",
            target="spacecraft_configuration",
            via="agency",
            doc="Spacecraft configurations of the agency.",
        ),
    ),
)

ENTITIES = (AGENCY_TYPE, SOCIAL_MEDIA, SOCIAL_MEDIA_LINK, AGENCY)
