"""GraphQL types: spacecraft and their statuses."""

from __future__ import annotations

from gateway.types.objects import object_type

SpacecraftStatus = object_type("spacecraft_status")
Spacecraft = object_type("spacecraft")
