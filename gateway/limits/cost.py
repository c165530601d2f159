"""What an operation costs, counted like GitHub's node limit, before anything runs.

Each connection asks for up to `first` or `last` nodes (10 when neither is given) for each of
its parent's nodes, so a connection's nodes are the product of the page sizes down its path;
the operation's cost is the sum over its connections. `nodes(ids:)` counts one node per id.
Other fields cost nothing of their own. A fragment spread twice is counted twice.

    allSpacecraft(first: 100) { nodes { flights(first: 10) { nodes { name } } } }
    -> 100 + 100 * 10 = 1,100 nodes
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
)
from graphql.execution.values import VariableValues

from gateway.http.errors import Rejected
from gateway.limits.connections import definition_type, fan_out, field_of
from gateway.limits.fragments import Definition, fold
from gateway.limits.refusal import refuse


@dataclass(frozen=True)
class Cost:
    nodes: int
    limit: int

    def extension(self) -> dict[str, Any]:
        return {"cost": {"nodes": self.nodes, "limit": self.limit}}


class _Counter:
    def __init__(self, schema: GraphQLSchema, variables: VariableValues) -> None:
        self.schema = schema
        self.variables = variables

    def nodes(
        self,
        parent: GraphQLNamedType | None,
        selection_set: SelectionSetNode,
        fragments: dict[str, int],
    ) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                field = field_of(parent, selection.name.value)
                if field is None:
                    continue
                inner = 0
                if selection.selection_set is not None:
                    child = get_named_type(field.type)
                    inner = self.nodes(child, selection.selection_set, fragments)
                each = fan_out(field, selection, self.variables)
                total += inner if each is None else each + each * inner
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner_type = self.schema.get_type(condition.name.value) if condition else parent
                total += self.nodes(inner_type, selection.selection_set, fragments)
            elif isinstance(selection, FragmentSpreadNode):
                total += fragments.get(selection.name.value, 0)
        return total


def cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: VariableValues,
) -> int:
    counter = _Counter(schema, variables)

    def measure(definition: Definition, fragments: dict[str, int]) -> int:
        parent = definition_type(schema, definition)
        return counter.nodes(parent, definition.selection_set, fragments)

    return fold(document, operation, measure)


def check_cost(found: Cost) -> Rejected | None:
    if found.nodes <= found.limit:
        return None
    return refuse(
        "COST_LIMIT_EXCEEDED",
        f"the operation may ask for {found.nodes} nodes (the product of `first`/`last`, 10 "
        "when omitted, down each path of nested connections, summed), more than the limit "
        f"of {found.limit}; ask for smaller pages or fewer nested connections",
        extensions=found.extension(),
    )
