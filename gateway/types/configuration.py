"""GraphQL types: spacecraft configurations (models) and their kinds."""

from __future__ import annotations

from gateway.types.objects import object_type

SpacecraftConfigurationType = object_type("spacecraft_configuration_type")
SpacecraftConfiguration = object_type("spacecraft_configuration")
