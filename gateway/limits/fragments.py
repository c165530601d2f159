"""Measuring an operation through its fragments, each fragment measured once.

A fragment spread many times, or fragments spreading each other in a chain, would make a naive
walk exponential in the document's size. `fold` measures the fragments in dependency order (a
fragment after those it spreads) and hands each measure the results so far, so a spread costs a
lookup. Fragments in a cycle (which validation refuses) are left out and count as nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

T = TypeVar("T")
Definition = OperationDefinitionNode | FragmentDefinitionNode
Measure = Callable[[Definition, dict[str, T]], T]


def fragment_definitions(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def spread_names(selection_set: SelectionSetNode) -> Iterator[str]:
    """The fragments a selection set spreads, at any depth (without entering them)."""
    stack = [selection_set]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                yield selection.name.value
            elif (
                isinstance(selection, FieldNode | InlineFragmentNode)
                and selection.selection_set is not None
            ):
                stack.append(selection.selection_set)


def dependency_order(document: DocumentNode) -> list[FragmentDefinitionNode]:
    """Fragments, each after the fragments it spreads; those in or behind a cycle left out."""
    fragments = fragment_definitions(document)
    needs = {
        name: {s for s in spread_names(f.selection_set) if s in fragments}
        for name, f in fragments.items()
    }
    needed_by: dict[str, list[str]] = {name: [] for name in fragments}
    for name, spreads in needs.items():
        for spread in spreads:
            needed_by[spread].append(name)
    ready = [name for name, spreads in needs.items() if not spreads]
    order = []
    while ready:
        name = ready.pop()
        order.append(fragments[name])
        for user in needed_by[name]:
            needs[user].discard(name)
            if not needs[user]:
                ready.append(user)
    return order


def fold(document: DocumentNode, operation: OperationDefinitionNode, measure: Measure[T]) -> T:
    """`measure` of the operation, given the measures of the fragments it may spread."""
    measured: dict[str, T] = {}
    for fragment in dependency_order(document):
        measured[fragment.name.value] = measure(fragment, measured)
    return measure(operation, measured)
