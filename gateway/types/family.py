"""GraphQL types: spacecraft families."""

from __future__ import annotations

from gateway.types.objects import object_type

SpacecraftFamily = object_type("spacecraft_family")
