"""Regenerate db/ll2/shapes.json from LL2's OpenAPI description.

LL2 writes each object in several shapes (`AgencyMini`, `AgencyNormal`, ...): which keys, in which
order, nesting which other shapes. The renderer writes LL2 JSON from these shapes, so they are
taken from LL2's own description rather than typed in by hand.

    python scripts/extract_shapes.py ../shared/ll2/openapi-2.3.0.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

SCHEMA_ENTITY = {
    "SpacecraftNormal": "spacecraft",
    "SpacecraftDetailed": "spacecraft",
    "SpacecraftEndpointDetailed": "spacecraft",
    "SpacecraftStatus": "spacecraft_status",
    "SpacecraftConfigNormal": "spacecraft_configuration",
    "SpacecraftConfigDetailed": "spacecraft_configuration",
    "SpacecraftConfigType": "spacecraft_configuration_type",
    "SpacecraftConfigFamilyMini": "spacecraft_family",
    "SpacecraftConfigFamilyNormal": "spacecraft_family",
    "SpacecraftConfigFamilyDetailed": "spacecraft_family",
    "SpacecraftConfigFamilyEndpointDetailed": "spacecraft_family",
    "AgencyMini": "agency",
    "AgencyNormal": "agency",
    "AgencyDetailed": "agency",
    "AgencyEndpointDetailed": "agency",
    "AgencyType": "agency_type",
    "Country": "country",
    "Image": "image",
    "ImageLicense": "image_license",
    "ImageVariant": "image_variant",
    "ImageVariantType": "image_variant_type",
    "SocialMediaLink": "social_media_link",
    "SocialMedia": "social_media",
    "SpacecraftFlightNormal": "spacecraft_flight",
    "SpacecraftFlightDetailed": "spacecraft_flight",
    "LaunchNormal": "launch",
    "LaunchStatus": "launch_status",
    "NetPrecision": "net_precision",
    "RocketNormal": "rocket",
    "LauncherConfigList": "launcher_configuration",
    "LauncherConfigDetailedSerializerNoManufacturer": "launcher_configuration",
    "LauncherConfigFamilyMini": "launcher_family",
    "LauncherConfigFamilyNormal": "launcher_family",
    "LauncherConfigFamilyDetailed": "launcher_family",
    "Mission": "mission",
    "Orbit": "orbit",
    "CelestialBodyMini": "celestial_body",
    "CelestialBodyNormal": "celestial_body",
    "CelestialBodyDetailed": "celestial_body",
    "CelestialBodyType": "celestial_body_type",
    "Pad": "pad",
    "Location": "location",
    "LocationSerializerNoCelestialBody": "location",
    "ProgramMini": "program",
    "ProgramNormal": "program",
    "ProgramType": "program_type",
    "MissionPatch": "mission_patch",
    "Landing": "landing",
    "LandingLocation": "landing_location",
    "LandingType": "landing_type",
    "AstronautFlight": "astronaut_flight",
    "AstronautRole": "astronaut_role",
    "AstronautDetailed": "astronaut",
    "AstronautStatus": "astronaut_status",
    "AstronautType": "astronaut_type",
    "DockingEventForChaserNormal": "docking_event",
    "DockingLocation": "docking_location",
    "SpaceStationMini": "space_station",
    "SpaceStationNormal": "space_station",
    "SpaceStationStatus": "space_station_status",
    "SpaceStationType": "space_station_type",
    "PayloadFlightNormal": "payload_flight",
    "PayloadMini": "payload",
    "PayloadNormal": "payload",
    "PayloadType": "payload_type",
    "InfoURL": "info_url",
    "VidURL": "vid_url",
    "Language": "language",
    "InfoURLType": "info_url_type",
    "VidURLType": "vid_url_type",
}

ENDPOINT_MODES = {
    "spacecraft": {"normal": "SpacecraftNormal", "detailed": "SpacecraftEndpointDetailed"},
    "spacecraft_configurations": {
        "normal": "SpacecraftConfigNormal",
        "detailed": "SpacecraftConfigDetailed",
    },
    "spacecraft_configuration_families": {
        "list": "SpacecraftConfigFamilyMini",
        "normal": "SpacecraftConfigFamilyNormal",
        "detailed": "SpacecraftConfigFamilyEndpointDetailed",
    },
    "agencies": {
        "list": "AgencyMini",
        "normal": "AgencyNormal",
        "detailed": "AgencyEndpointDetailed",
    },
    "spacecraft_flights": {
        "normal": "SpacecraftFlightNormal",
        "detailed": "SpacecraftFlightDetailed",
    },
}


def _target(prop: dict[str, Any]) -> tuple[str, str | None]:
    if "$ref" in prop:
        return "object", prop["$ref"].rsplit("/", 1)[-1]
    if "allOf" in prop:
        return _target(prop["allOf"][0])
    if prop.get("type") == "array":
        kind, target = _target(prop["items"])
        return ("list", target) if kind == "object" else ("scalar", None)
    return "scalar", None


def extract(openapi: dict[str, Any]) -> dict[str, Any]:
    schemas = openapi["components"]["schemas"]
    shapes: dict[str, Any] = {}
    for name, entity in SCHEMA_ENTITY.items():
        fields = []
        for key, prop in schemas[name]["properties"].items():
            kind, target = _target(prop)
            if target is not None and target not in SCHEMA_ENTITY:
                raise SystemExit(f"{name}.{key} nests {target}, which has no entity")
            fields.append([key, kind, target])
        shapes[name] = {"entity": entity, "fields": fields}
    return {
        "source": f"LL2 OpenAPI {openapi['info']['version']} (Apache License 2.0)",
        "endpoints": ENDPOINT_MODES,
        "shapes": shapes,
    }


def main() -> None:
    openapi = json.loads(Path(sys.argv[1]).read_text())
    out = Path(__file__).resolve().parent.parent / "db" / "ll2" / "shapes.json"
    out.write_text(json.dumps(extract(openapi), indent=1) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
