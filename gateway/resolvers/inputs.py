"""GraphQL input values -> the plain data the reads take: dicts by Python name, lists, scalars.

Filters and orderings reach the reads as plain data, whichever path asked. The resolvers get
strawberry's input objects (`from_strawberry`); the compiled path reads graphql-core's coerced
values, keyed by GraphQL names, again for every request (`from_graphql`), without strawberry's
conversion, which resolves lazy types on every call and cost more than binding the values.
Unset parts are left out and null stays None, so both give the same data for the same input.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
)
from strawberry import UNSET


def from_strawberry(value: Any) -> Any:
    """A strawberry input object (or a list of them) as plain data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: from_strawberry(v)
            for f in dataclasses.fields(value)
            if (v := getattr(value, f.name)) is not UNSET
        }
    if isinstance(value, list):
        return [from_strawberry(v) for v in value]
    return value


@functools.cache
def _input_names(input_type: GraphQLInputObjectType) -> dict[str, str]:
    return {
        name: field.extensions["strawberry-definition"].python_name
        for name, field in input_type.fields.items()
    }


def from_graphql(value: Any, type_: GraphQLInputType) -> Any:
    """A coerced GraphQL input value of `type_` as plain data (what `from_strawberry` gives)."""
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if value is None:
        return None
    if isinstance(type_, GraphQLList):
        return [from_graphql(v, type_.of_type) for v in value]
    if isinstance(type_, GraphQLInputObjectType):
        names = _input_names(type_)
        return {names[k]: from_graphql(v, type_.fields[k].type) for k, v in value.items()}
    return value


_ARGUMENT_NAMES: dict[int, tuple[GraphQLField, dict[str, tuple[str, GraphQLArgument]]]] = {}


def _argument_names(field: GraphQLField) -> dict[str, tuple[str, GraphQLArgument]]:
    """GraphQL argument name -> (Python name, argument), in the order strawberry declared them."""
    known = _ARGUMENT_NAMES.get(id(field))
    if known is None or known[0] is not field:
        definition = field.extensions["strawberry-definition"]
        assert len(definition.arguments) == len(field.args)
        names = {
            name: (argument.python_name, field.args[name])
            for name, argument in zip(field.args, definition.arguments, strict=True)
        }
        known = _ARGUMENT_NAMES[id(field)] = (field, names)
    return known[1]


def arguments_from_graphql(field: GraphQLField, raw: dict[str, Any]) -> dict[str, Any]:
    """A field's coerced arguments (`get_argument_values`) as plain data by Python name."""
    names = _argument_names(field)
    out: dict[str, Any] = {}
    for name, value in raw.items():
        python_name, argument = names[name]
        out[python_name] = from_graphql(value, argument.type)
    return out
