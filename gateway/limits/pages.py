"""`first` and `last` of every connection the operation reaches, within 0 to the page limit,
its `search` within the bounds of a search (`db.read.search`), and every field's
arguments within the bounds of their size (`gateway.limits.inputs`).

The resolvers check the same, but only when they run; checked here, a request asking for a
million items or searching for 10,000 words is refused before either path executes, with the
argument's location.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLField,
    GraphQLSchema,
    OperationDefinitionNode,
)
from graphql.execution.values import VariableValues

from db.read.search import search_problem
from gateway.http.errors import Rejected
from gateway.limits.connections import (
    PAGE_ARGUMENTS,
    arguments,
    definition_type,
    is_connection,
    typed_fields,
)
from gateway.limits.fragments import Definition, fragment_definitions, spread_names
from gateway.limits.inputs import input_errors


def reachable(document: DocumentNode, operation: OperationDefinitionNode) -> list[Definition]:
    """The operation and every fragment it spreads, directly or not, each once."""
    fragments = fragment_definitions(document)
    found: list[Definition] = [operation]
    seen: set[str] = set()
    stack = list(spread_names(operation.selection_set))
    while stack:
        name = stack.pop()
        if name in seen or name not in fragments:
            continue
        seen.add(name)
        found.append(fragments[name])
        stack.extend(spread_names(fragments[name].selection_set))
    return found


def _page_errors(
    field: GraphQLField, node: FieldNode, variables: VariableValues, limit: int
) -> Iterator[GraphQLError]:
    values = arguments(field, node, variables)

    def error(name: str, message: str) -> GraphQLError:
        at = next((a for a in node.arguments or () if a.name.value == name), node)
        return GraphQLError(message, nodes=[at], extensions={"code": "BAD_USER_INPUT"})

    for name in PAGE_ARGUMENTS:
        value = values.get(name)
        if isinstance(value, int) and not 0 <= value <= limit:
            yield error(
                name,
                f"`{name}` must be between 0 and {limit}, got {value}; page with the cursors "
                "in pageInfo instead",
            )
    search = values.get("search")
    problem = search_problem(search) if isinstance(search, str) else None
    if problem is not None:
        yield error("search", problem)


def check_pages(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: VariableValues,
    limit: int,
) -> Rejected | None:
    errors: list[GraphQLError] = []
    for definition in reachable(document, operation):
        parent = definition_type(schema, definition)
        for field, node in typed_fields(schema, parent, definition.selection_set):
            if is_connection(field):
                errors += _page_errors(field, node, variables, limit)
            errors += input_errors(field, node, variables, node.name.value)
    if not errors:
        return None
    errors.sort(key=lambda e: (e.locations or [])[:1])
    return Rejected(errors=[dict(e.formatted) for e in errors], graphql=True)
