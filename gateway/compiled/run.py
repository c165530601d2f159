"""Plans kept per document and variable shape, and each request's values bound into them.

Building a statement costs milliseconds of Python (planning, SQLAlchemy's constructs, its
compiler); a frontend sends the same few documents with new variables on every request. So a
document's plan and SQL are built once per document, operation, backend and the facts about its
variables that change the statement's shape (the Boolean variables of `@skip`/`@include`, and
at each site the structure of its conditions, the page size, direction and ordering; see
`db.read.sites`); never per value. A request with known facts costs reading its
arguments, building its sites' small conditions, and binding their values: every value is a
bind parameter, and the SQL text repeats, so the drivers reuse their prepared statements.
Not a result cache: the database still answers every request.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
)
from graphql.execution.values import VariableValues, get_variable_values

from db.read.errors import BadRead
from db.read.prepared import CompiledOperation, Variant, prepare
from db.read.selection import NotCompilable
from db.read.sites import Binding, ConnectionSite, Site
from gateway.compiled.plan import Planner, arguments, page_of


@dataclass
class Shape:
    """A plan's sites, and its statements by the facts of their sites' values."""

    sites: list[Site]
    variants: OrderedDict[Hashable, Variant] = field(default_factory=OrderedDict)


NOT_COMPILABLE = Shape([])


def _switches(variables: VariableValues) -> tuple[tuple[str, bool], ...]:
    """The Boolean variables: `@skip`/`@include` change what a plan selects."""
    return tuple(sorted((k, v) for k, v in variables.coerced.items() if isinstance(v, bool)))


class PlanCache:
    """Plans by document, operation, backend and variable shape, bounded; values bound anew.

    `plans_built` counts the statements built, for the tests and the benchmarks.
    """

    def __init__(
        self,
        schema: Any,
        *,
        size: int = 1024,
        variants: int = 64,
        root_totals: bool = False,
    ) -> None:
        self.schema = schema
        self.size = size
        self.variants = variants
        self.root_totals = root_totals
        self.plans_built = 0
        self._shapes: OrderedDict[Hashable, Shape] = OrderedDict()

    def get(
        self,
        query: str,
        document: DocumentNode,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        *,
        dialect: str,
    ) -> CompiledOperation | None:
        """The operation's statement with this request's values, or None for the resolvers."""
        operation = get_operation_ast(document, operation_name)
        if operation is None or operation.operation is not OperationType.QUERY:
            return None
        coerced = get_variable_values(
            self.schema._schema, operation.variable_definitions or (), variables or {}
        )
        if isinstance(coerced, list):
            return None
        key = (query, operation_name, dialect, _switches(coerced))
        shape = self._shapes.get(key)
        if shape is NOT_COMPILABLE:
            return None
        try:
            if shape is None:
                # The first request of this document and switches: plan it with its values.
                variant, sites, bindings = self._build(document, operation, coerced, dialect)
                shape = Shape(sites)
                self._keep(key, shape)
                self._add(shape, tuple(b.facts for b in bindings), variant)
                return variant.bound(bindings)
            self._shapes.move_to_end(key)
            bindings = [site.bind(self._value(site, coerced)) for site in shape.sites]
            facts = tuple(b.facts for b in bindings)
            known = shape.variants.get(facts)
            if known is None:
                # Facts this plan has not met (a cursor, another page size): built again.
                variant, sites, _ = self._build(document, operation, coerced, dialect)
                assert len(sites) == len(shape.sites), "a plan's sites follow its document"
                self._add(shape, facts, variant)
            else:
                variant = known
                shape.variants.move_to_end(facts)
        except NotCompilable:
            self._keep(key, NOT_COMPILABLE)
            return None
        except (GraphQLError, BadRead):
            return None  # a value the resolvers report (a bad cursor, a page too large)
        return variant.bound(bindings) if variant.usable else None

    def _value(self, site: Site, variables: VariableValues) -> Any:
        """What the site binds for these variables: its page, or the id looked up."""
        given = arguments(self.schema, site.source, variables)
        if isinstance(site, ConnectionSite):
            return page_of(site.entity, given)
        return given["ll2_id"]

    def _build(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: VariableValues,
        dialect: str,
    ) -> tuple[Variant, list[Site], list[Binding]]:
        """The statement of the document for these values (counted in `plans_built`)."""
        fields = Planner(self.schema, document, operation, variables).root()
        self.plans_built += 1
        return prepare(fields, dialect, root_totals=self.root_totals)

    def _add(self, shape: Shape, facts: Hashable, variant: Variant) -> None:
        shape.variants[facts] = variant
        while len(shape.variants) > self.variants:
            shape.variants.popitem(last=False)

    def _keep(self, key: Hashable, shape: Shape) -> None:
        self._shapes[key] = shape
        while len(self._shapes) > self.size:
            self._shapes.popitem(last=False)

    def forget(self, compiled: CompiledOperation) -> None:
        """Send to the resolvers from now on a statement the database refused (too deep)."""
        if compiled.variant is not None:
            compiled.variant.usable = False


# The name the HTTP pipeline and the benchmarks know it by.
CompiledCache = PlanCache


def compile_operation(
    schema: Any,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    *,
    dialect: str,
    root_totals: bool = False,
) -> CompiledOperation | None:
    """One statement for a valid query document, or None when the resolvers must answer.

    `root_totals`: root connections' totalCounts become parameters (see `CompiledOperation`).
    """
    plans = PlanCache(schema, size=1, root_totals=root_totals)
    return plans.get("", document, operation_name, variables, dialect=dialect)
