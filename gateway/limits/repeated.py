"""A directive repeated at one location, refused with one error before validation.

`{ __typename @aa @aa @aa ... }` would otherwise get one validation error per repetition (and
one more per unknown directive): a response as large as the attacker likes from a small
request, what graphql-cop calls directive overloading. A directive that is unknown, or known
and not `repeatable`, may appear once at a location; the first repeated one is named.
"""

from __future__ import annotations

from typing import Any

from graphql import BREAK, DirectiveNode, DocumentNode, GraphQLSchema, Node, Visitor, visit

from gateway.http.errors import Rejected
from gateway.limits.refusal import refuse


class _FirstRepeated(Visitor):
    def __init__(self, schema: GraphQLSchema) -> None:
        super().__init__()
        self.schema = schema
        self.found: DirectiveNode | None = None

    def enter(self, node: Node, *_: Any) -> Any:
        seen: set[str] = set()
        for directive in getattr(node, "directives", None) or ():
            name = directive.name.value
            known = self.schema.get_directive(name)
            if name in seen and (known is None or not known.is_repeatable):
                self.found = directive
                return BREAK
            seen.add(name)
        return None


def check_repeated_directives(schema: GraphQLSchema, document: DocumentNode) -> Rejected | None:
    finder = _FirstRepeated(schema)
    visit(document, finder)
    if finder.found is None:
        return None
    name = finder.found.name.value
    return refuse(
        "GRAPHQL_VALIDATION_FAILED",
        f'the directive "@{name}" is repeated at one location; a directive that is not '
        "repeatable may appear once at each",
        nodes=[finder.found],
    )
