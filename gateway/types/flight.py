"""GraphQL types: spacecraft flights, their landings and docking events, and what they dock to."""

from __future__ import annotations

from gateway.types.objects import object_type

LandingType = object_type("landing_type")
LandingLocation = object_type("landing_location")
Landing = object_type("landing")
SpaceStationStatus = object_type("space_station_status")
SpaceStationType = object_type("space_station_type")
SpaceStation = object_type("space_station")
PayloadType = object_type("payload_type")
Payload = object_type("payload")
PayloadFlight = object_type("payload_flight")
DockingLocation = object_type("docking_location")
DockingEvent = object_type("docking_event")
SpacecraftFlight = object_type("spacecraft_flight")
