"""How many directives the operation uses (on the operation, its variables, fields, fragments
and spreads), through fragments."""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from gateway.http.errors import Rejected
from gateway.limits.fragments import Definition, fold
from gateway.limits.refusal import refuse


def _directives(selection_set: SelectionSetNode, fragments: dict[str, int]) -> int:
    total = 0
    for selection in selection_set.selections:
        total += len(selection.directives or ())
        if isinstance(selection, FieldNode | InlineFragmentNode):
            if selection.selection_set is not None:
                total += _directives(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            total += fragments.get(selection.name.value, 0)
    return total


def directives(document: DocumentNode, operation: OperationDefinitionNode) -> int:
    def measure(definition: Definition, fragments: dict[str, int]) -> int:
        own = len(definition.directives or ())
        if not isinstance(definition, FragmentDefinitionNode):
            own += sum(len(v.directives or ()) for v in definition.variable_definitions or ())
        return own + _directives(definition.selection_set, fragments)

    return fold(document, operation, measure)


def check_directives(
    document: DocumentNode, operation: OperationDefinitionNode, limit: int
) -> Rejected | None:
    found = directives(document, operation)
    if found <= limit:
        return None
    return refuse(
        "MAX_DIRECTIVES_EXCEEDED",
        f"the operation uses {found} directives, more than the limit of {limit}",
    )
