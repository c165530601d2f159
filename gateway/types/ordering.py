"""Orderings as data: `[<Type>Order!]`, each a field of `<Type>OrderField` and a direction."""

from __future__ import annotations

import enum
from typing import Any

import strawberry

from db.spec import ENTITIES, Scalar
from gateway.types.registry import TYPES, register


@strawberry.enum(description="Which way an ordering runs.")
class OrderDirection(enum.Enum):
    ASC = strawberry.enum_value("asc", description="Smallest first; nulls last.")
    DESC = strawberry.enum_value("desc", description="Largest first; nulls first.")


def order_fields(entity: str) -> list[tuple[str, str]]:
    """`(column, doc)` of every field `entity` can be ordered by, the id first."""
    spec = ENTITIES[entity]
    fields = [("id", "LL2's id.")]
    fields += [(f.key, f.doc) for f in spec.fields if isinstance(f, Scalar) and f.order]
    return fields


def order_input(entity: str) -> Any:
    type_name = ENTITIES[entity].type_name
    name = f"{type_name}Order"
    if name in TYPES:
        return TYPES[name]
    members = {
        column.upper(): strawberry.enum_value(column, description=doc)
        for column, doc in order_fields(entity)
    }
    field_enum: Any = strawberry.enum(  # type: ignore[call-overload]
        enum.Enum(f"{type_name}OrderField", members),
        description=f"Fields {type_name} objects can be ordered by. Durations order by length "
        "of time, never as text.",
    )
    register(field_enum, f"{type_name}OrderField")
    ns: dict[str, Any] = {
        "__annotations__": {"field": field_enum, "direction": OrderDirection},
        "field": strawberry.field(description="The field to order by."),
        "direction": strawberry.field(default=OrderDirection.ASC, description="Which way."),
    }
    return register(
        strawberry.input(
            type(name, (), ns),
            description=f"One key of an ordering of {type_name} objects; ties are "
            "broken by the next key, and finally by the id.",
        ),
    )
