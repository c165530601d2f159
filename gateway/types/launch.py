"""GraphQL types: launches and what LL2 nests in them (rockets, missions, programs, pads)."""

from __future__ import annotations

from gateway.types.objects import object_type, value_type

Language = value_type("language")
InfoUrlType = value_type("info_url_type")
VidUrlType = value_type("vid_url_type")
InfoUrl = value_type("info_url")
VidUrl = value_type("vid_url")

LaunchStatus = object_type("launch_status")
NetPrecision = object_type("net_precision")
LauncherFamily = object_type("launcher_family")
LauncherConfiguration = object_type("launcher_configuration")
Rocket = object_type("rocket")
Orbit = object_type("orbit")
ProgramType = object_type("program_type")
MissionPatch = object_type("mission_patch")
Program = object_type("program")
Mission = object_type("mission")
Launch = object_type("launch")
