"""GraphQL types: astronauts and their places in crews."""

from __future__ import annotations

from gateway.types.objects import object_type

AstronautStatus = object_type("astronaut_status")
AstronautType = object_type("astronaut_type")
AstronautRole = object_type("astronaut_role")
Astronaut = object_type("astronaut")
AstronautFlight = object_type("astronaut_flight")
