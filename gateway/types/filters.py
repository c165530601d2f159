"""Filter inputs: one operator input per kind of value, one filter input per entity.

`filter_input(entity)` builds `<Type>Filter` from the spec: `ll2Id`, an operator input for every
filterable field, a nested filter for every filterable relation, LL2's extra filters, and
`AND`/`OR`/`NOT`. `db.read.conditions.condition` translates it to SQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry import UNSET

from db.read.conditions import VIRTUAL_FILTERS
from db.spec import ENTITIES, Kind, Many, Ref, Scalar
from gateway.types.registry import TYPES, lazy, register
from gateway.types.scalars import UUID, Date, DateTime, Duration

_IN = "Equal to one of these."
_NULL = "true: has no value; false: has a value."


@strawberry.input(description="Conditions on a text; all given conditions must hold.")
class StringFilter:
    eq: str | None = strawberry.field(default=UNSET, description="Equal to, exactly.")
    in_: list[str] | None = strawberry.field(default=UNSET, name="in", description=_IN)
    contains: str | None = strawberry.field(
        default=UNSET, description="Contains this text, ignoring case (all of Unicode)."
    )
    starts_with: str | None = strawberry.field(
        default=UNSET, description="Starts with this text, ignoring case (all of Unicode)."
    )
    is_null: bool | None = strawberry.field(default=UNSET, description=_NULL)


@strawberry.input(description="Conditions on a true/false value.")
class BooleanFilter:
    eq: bool | None = strawberry.field(default=UNSET, description="Equal to.")
    is_null: bool | None = strawberry.field(default=UNSET, description=_NULL)


def _ordered_filter(name: str, python_type: Any, what: str) -> Any:
    ns: dict[str, Any] = {"__annotations__": {}}
    for attr, graphql_name, annotation, doc in (
        ("eq", None, python_type, "Equal to."),
        ("in_", "in", list[python_type], _IN),
        ("gt", None, python_type, "Greater than."),
        ("gte", None, python_type, "Greater than or equal to."),
        ("lt", None, python_type, "Less than."),
        ("lte", None, python_type, "Less than or equal to."),
        ("is_null", None, bool, _NULL),
    ):
        ns["__annotations__"][attr] = annotation | None
        ns[attr] = strawberry.field(default=UNSET, name=graphql_name, description=doc)
    cls = strawberry.input(type(name, (), ns), description=f"Conditions on {what}; all must hold.")
    return register(cls)


IntFilter = _ordered_filter("IntFilter", int, "a whole number")
FloatFilter = _ordered_filter("FloatFilter", float, "a number")
DateFilter = _ordered_filter("DateFilter", Date, "a date")
DateTimeFilter = _ordered_filter("DateTimeFilter", DateTime, "a moment in time")
DurationFilter = _ordered_filter("DurationFilter", Duration, "a duration (by length of time)")


@strawberry.input(description="Conditions on a UUID.")
class UuidFilter:
    eq: UUID | None = strawberry.field(default=UNSET, description="Equal to.")
    in_: list[UUID] | None = strawberry.field(default=UNSET, name="in", description=_IN)


OPERATOR_INPUTS: dict[Kind, Any] = {
    Kind.TEXT: StringFilter,
    Kind.INT: IntFilter,
    Kind.FLOAT: FloatFilter,
    Kind.BOOL: BooleanFilter,
    Kind.DATE: DateFilter,
    Kind.DATETIME: DateTimeFilter,
    Kind.DURATION: DurationFilter,
    Kind.UUID: UuidFilter,
}

_ = dt  # date types come through the scalars above


def filter_name(entity: str) -> str:
    return f"{ENTITIES[entity].type_name}Filter"


def filter_input(entity: str) -> Any:
    """`<Type>Filter` for `entity`, and (first) those of the entities its relations reach."""
    name = filter_name(entity)
    if name in TYPES:
        return TYPES[name]
    spec = ENTITIES[entity]
    ns: dict[str, Any] = {"__annotations__": {}}

    def add(attr: str, annotation: Any, doc: str, graphql_name: str | None = None) -> None:
        ns["__annotations__"][attr] = annotation
        ns[attr] = strawberry.field(default=UNSET, name=graphql_name, description=doc)

    add("ll2_id", OPERATOR_INPUTS[spec.id_kind] | None, "LL2's id of the object.")
    related: list[str] = []
    for field in spec.fields:
        if isinstance(field, Scalar) and field.filter:
            add(field.key, OPERATOR_INPUTS[field.kind] | None, field.doc)
        elif isinstance(field, (Ref, Many)) and field.filter:
            matches = "the related object" if isinstance(field, Ref) else "some element"
            add(
                field.key,
                lazy(filter_name(field.target)) | None,
                f"{field.doc} True when {matches} matches this filter.",
            )
            related.append(field.target)
    for virtual in VIRTUAL_FILTERS.get(entity, ()):
        add(virtual.key, OPERATOR_INPUTS[virtual.kind] | None, virtual.doc)
    add("and_", list[lazy(name)] | None, "All of these filters hold.", "AND")  # type: ignore[misc]
    add("or_", list[lazy(name)] | None, "At least one of these filters holds.", "OR")  # type: ignore[misc]
    add("not_", lazy(name) | None, "This filter does not hold.", "NOT")
    cls = register(
        strawberry.input(
            type(name, (), ns),
            description=f"Conditions on {spec.type_name} objects; all given conditions must hold.",
        )
    )
    for target in related:
        filter_input(target)
    return cls
