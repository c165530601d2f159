"""The spec: every kind of object the dataset stores, as data.

`ENTITIES` maps a table name to its `Entity`; `VALUE_OBJECTS` the id-less objects kept as JSON.
`ENDPOINTS` names the LL2 list endpoints the importer and the sync read, with the entity each
returns. Everything that needs to know LL2's objects (tables, ingest, rendering, GraphQL) reads
them from here.
"""

from __future__ import annotations

from db.spec import agencies, astronauts, flights, images, launches, places, spacecraft
from db.spec.fields import (
    Backref,
    Entity,
    Field,
    Kind,
    Many,
    Ref,
    Scalar,
    ValueObject,
)

__all__ = [
    "ENDPOINTS",
    "ENTITIES",
    "VALUE_OBJECTS",
    "Backref",
    "Entity",
    "Field",
    "Kind",
    "Many",
    "Ref",
    "Scalar",
    "ValueObject",
    "link_table_name",
]

ENTITIES: dict[str, Entity] = {
    e.name: e
    for module in (images, places, agencies, spacecraft, launches, astronauts, flights)
    for e in module.ENTITIES
}

VALUE_OBJECTS: dict[str, ValueObject] = {v.name: v for v in launches.VALUE_OBJECTS}

ENDPOINTS: dict[str, str] = {
    "spacecraft": "spacecraft",
    "spacecraft_configurations": "spacecraft_configuration",
    "spacecraft_configuration_families": "spacecraft_family",
    "agencies": "agency",
    "spacecraft_flights": "spacecraft_flight",
}


def link_table_name(owner: Entity, many: Many) -> str:
    return f"{owner.name}__{many.key}"


def _check() -> None:
    """Fail at import when the spec contradicts itself, so no layer trips over it later."""
    for entity in ENTITIES.values():
        for f in entity.fields:
            if isinstance(f, (Ref, Many, Backref)) and f.target not in ENTITIES:
                raise ValueError(f"{entity.name}.{f.key} points to unknown entity {f.target!r}")
            if isinstance(f, Backref):
                via = ENTITIES[f.target].by_key.get(f.via)
                if not isinstance(via, (Ref, Many)) or via.target != entity.name:
                    raise ValueError(f"{entity.name}.{f.key}: {f.target}.{f.via} is no edge here")
            if isinstance(f, Scalar) and f.kind is Kind.JSON and f.values not in VALUE_OBJECTS:
                raise ValueError(f"{entity.name}.{f.key}: unknown value object {f.values!r}")
    for value in VALUE_OBJECTS.values():
        for _, target, _ in value.nested:
            if target not in VALUE_OBJECTS:
                raise ValueError(f"{value.name} nests unknown value object {target!r}")


_check()
