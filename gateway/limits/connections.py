"""Which fields fan out, and how far: connections (by `first`/`last`) and `nodes(ids:)`.

A connection is a field whose strawberry definition says so (`metadata["connection"]`, see
`gateway.types.connection_fields`) or, in any other schema, whose type is named `...Connection`.
A field whose metadata names a list argument (`metadata["fan_out"]`, as `Query.nodes` does with
`ids`) answers one object per item of that list.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
)
from graphql.execution.values import VariableValues, get_argument_values

from gateway.resolvers.connections import DEFAULT_PAGE

PAGE_ARGUMENTS = ("first", "last")


def _metadata(field: GraphQLField) -> dict[str, Any]:
    definition = field.extensions.get("strawberry-definition")
    return dict(getattr(definition, "metadata", None) or {})


_connections: dict[int, tuple[GraphQLField, bool]] = {}  # by id: schema fields are not hashable


def is_connection(field: GraphQLField) -> bool:
    known = _connections.get(id(field))
    if known is None:
        found = "connection" in _metadata(field) or get_named_type(field.type).name.endswith(
            "Connection"
        )
        known = _connections[id(field)] = (field, found)
    return known[1]


def field_of(parent: GraphQLNamedType | None, name: str) -> GraphQLField | None:
    """The schema's field `name` of `parent` (None for `__typename` and unknown names)."""
    fields = getattr(parent, "fields", None)
    return fields.get(name) if fields else None


def definition_type(
    schema: GraphQLSchema, definition: OperationDefinitionNode | FragmentDefinitionNode
) -> GraphQLNamedType | None:
    if isinstance(definition, OperationDefinitionNode):
        return schema.get_root_type(definition.operation)
    return schema.get_type(definition.type_condition.name.value)


def typed_fields(
    schema: GraphQLSchema, parent: GraphQLNamedType | None, selection_set: SelectionSetNode
) -> Iterator[tuple[GraphQLField, FieldNode]]:
    """Every field of a selection set, at any depth, with its schema field (fragment spreads
    are not entered: their definitions are walked on their own)."""
    stack = [(parent, selection_set)]
    while stack:
        parent, selections = stack.pop()
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                field = field_of(parent, selection.name.value)
                if field is None:
                    continue
                yield field, selection
                if selection.selection_set is not None:
                    stack.append((get_named_type(field.type), selection.selection_set))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = schema.get_type(condition.name.value) if condition else parent
                stack.append((inner, selection.selection_set))


def arguments(field: GraphQLField, node: FieldNode, variables: VariableValues) -> dict[str, Any]:
    """The field's argument values; none when they do not coerce (validation said so first)."""
    try:
        return get_argument_values(field, node, variables)
    except GraphQLError:
        return {}


def fan_out(field: GraphQLField, node: FieldNode, variables: VariableValues) -> int | None:
    """How many objects the field answers per parent, or None when it does not fan out."""
    if is_connection(field):
        values = arguments(field, node, variables)
        for name in PAGE_ARGUMENTS:
            value = values.get(name)
            if isinstance(value, int):
                return max(value, 0)
        return DEFAULT_PAGE
    list_argument = _metadata(field).get("fan_out")
    if list_argument is not None:
        value = arguments(field, node, variables).get(list_argument)
        return len(value) if isinstance(value, list) else 0
    return None
