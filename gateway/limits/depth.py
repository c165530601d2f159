"""How deep the operation's fields nest, the root field counting 1, through fragments.

Introspection (`__schema`, `__type`) counts 1: graphql-core's `MaxIntrospectionDepthRule`
bounds what lies under it (see `validation`), so the explorer's schema query is never refused.
"""

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

INTROSPECTION = frozenset({"__schema", "__type"})


def _depth(selection_set: SelectionSetNode, fragments: dict[str, int]) -> int:
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            depth = 1
            if selection.selection_set is not None and selection.name.value not in INTROSPECTION:
                depth += _depth(selection.selection_set, fragments)
        elif isinstance(selection, InlineFragmentNode):
            depth = _depth(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            depth = fragments.get(selection.name.value, 0)
        else:
            continue
        deepest = max(deepest, depth)
    return deepest


def depth(document: DocumentNode, operation: OperationDefinitionNode) -> int:
    def measure(definition: Definition, fragments: dict[str, int]) -> int:
        return _depth(definition.selection_set, fragments)

    return fold(document, operation, measure)


def too_deep(limit: int, found: int | None = None) -> Rejected:
    how_deep = "deeper than the parser accepts" if found is None else f"{found} deep"
    return refuse(
        "MAX_DEPTH_EXCEEDED",
        f"the operation nests fields {how_deep}, more than the limit of {limit} (the root field "
        "counts 1); ask for less deeply nested data",
    )


def check_depth(
    document: DocumentNode, operation: OperationDefinitionNode, limit: int
) -> Rejected | None:
    found = depth(document, operation)
    return too_deep(limit, found) if found > limit else None
