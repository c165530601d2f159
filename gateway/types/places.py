"""GraphQL types: places: countries, celestial bodies, launch sites and pads."""

from __future__ import annotations

from gateway.types.objects import object_type

Country = object_type("country")
CelestialBodyType = object_type("celestial_body_type")
CelestialBody = object_type("celestial_body")
Location = object_type("location")
Pad = object_type("pad")
