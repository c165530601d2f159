"""How many aliases the operation uses, through fragments (a fragment spread twice counts its
aliases twice: each becomes a key of the response)."""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from gateway.http.errors import Rejected
from gateway.limits.fragments import Definition, fold
from gateway.limits.refusal import refuse


def _aliases(selection_set: SelectionSetNode, fragments: dict[str, int]) -> int:
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            total += selection.alias is not None
            if selection.selection_set is not None:
                total += _aliases(selection.selection_set, fragments)
        elif isinstance(selection, InlineFragmentNode):
            total += _aliases(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            total += fragments.get(selection.name.value, 0)
    return total


def aliases(document: DocumentNode, operation: OperationDefinitionNode) -> int:
    def measure(definition: Definition, fragments: dict[str, int]) -> int:
        return _aliases(definition.selection_set, fragments)

    return fold(document, operation, measure)


def check_aliases(
    document: DocumentNode, operation: OperationDefinitionNode, limit: int
) -> Rejected | None:
    found = aliases(document, operation)
    if found <= limit:
        return None
    return refuse(
        "MAX_ALIASES_EXCEEDED",
        f"the operation uses {found} aliases, more than the limit of {limit}; "
        "ask for the same field fewer times",
    )
