"""From a GraphQL operation to a plan: for each response key, what the database must produce.

The plan follows the selection set with the schema's types: columns, the global id, relations
(to-one, LL2 lists) and connections with their converted arguments. A field the plan cannot
express raises `NotCompilable`, and the operation goes to the resolvers.

What a plan holds depends on the document and on the variables only through `@skip`/`@include`
(Boolean variables); the arguments of connections and lookups are read again for each request
from where they come (`ArgumentSource`), so one plan serves every value (`gateway.compiled.run`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.execution.values import (
    VariableValues,
    get_argument_values,
    get_directive_values,
)
from graphql.type import GraphQLIncludeDirective, GraphQLSkipDirective

from db.read.edges import Edge
from db.read.pages import PageQuery
from db.read.selection import (
    Column,
    ConnectionPlan,
    Cursor,
    EdgeNode,
    Edges,
    GlobalId,
    Literal,
    Lookup,
    Nodes,
    NotCompilable,
    ObjectPlan,
    PageInfoPlan,
    ToMany,
    ToOne,
    TotalCount,
)
from db.spec import ENTITIES, Kind, Ref, Scalar
from gateway.resolvers.connections import page_query
from gateway.resolvers.inputs import arguments_from_graphql


@dataclass(frozen=True)
class ArgumentSource:
    """Where a field's arguments come from: read again for each request's variables."""

    parent: GraphQLObjectType
    node: FieldNode


ENTITY_OF_TYPE = {e.type_name: e.name for e in ENTITIES.values()}


def page_of(entity: str, arguments: dict[str, Any]) -> PageQuery:
    """The page a connection's arguments ask for (raises BadUserInput as the resolvers do)."""
    return page_query(
        entity,
        ENTITIES[entity].type_name,
        first=arguments.get("first"),
        after=arguments.get("after"),
        last=arguments.get("last"),
        before=arguments.get("before"),
        order_by=arguments.get("order_by"),
        filter_value=arguments.get("filter"),
        search=arguments.get("search"),
    )


def arguments(schema: Any, source: ArgumentSource, variables: VariableValues) -> dict[str, Any]:
    """A field's arguments for these (coerced) variables, as plain data by Python name (what
    the resolvers give the reads, `gateway.resolvers.inputs`).

    Raises GraphQLError when they do not convert; the resolvers then report it.
    """
    definition: GraphQLField = source.parent.fields[source.node.name.value]
    raw = get_argument_values(definition, source.node, variables)
    return arguments_from_graphql(definition, raw)


class Planner:
    def __init__(
        self,
        schema: Any,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: VariableValues,
    ) -> None:
        self.schema = schema
        self.graphql_schema: GraphQLSchema = schema._schema
        self.variables = variables
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.operation = operation

    # selection sets ------------------------------------------------------------------------

    def _included(self, node: Any) -> bool:
        skip = get_directive_values(GraphQLSkipDirective, node, self.variables)
        if skip and skip.get("if") is True:
            return False
        include = get_directive_values(GraphQLIncludeDirective, node, self.variables)
        return not (include and include.get("if") is False)

    def _collect(
        self, type_name: str, selection_set: SelectionSetNode, out: dict[str, list[FieldNode]]
    ) -> dict[str, list[FieldNode]]:
        """Fields by response key, fragments flattened, in the order GraphQL executes them."""
        for selection in selection_set.selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                out.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is not None and condition.name.value != type_name:
                    raise NotCompilable(f"fragment on {condition.name.value}")
                self._collect(type_name, selection.selection_set, out)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                if fragment.type_condition.name.value != type_name:
                    raise NotCompilable(f"fragment on {fragment.type_condition.name.value}")
                self._collect(type_name, fragment.selection_set, out)
        return out

    def _merged(self, nodes: list[FieldNode]) -> SelectionSetNode | None:
        sets = [n.selection_set for n in nodes if n.selection_set is not None]
        if not sets:
            return None
        if len(sets) == 1:
            return sets[0]
        return SelectionSetNode(selections=tuple(s for ss in sets for s in ss.selections))

    # objects -------------------------------------------------------------------------------

    def object_plan(self, entity: str, selection_set: SelectionSetNode | None) -> ObjectPlan:
        spec = ENTITIES[entity]
        if selection_set is None:
            raise NotCompilable("an object without a selection")
        graphql_type = self.graphql_schema.get_type(spec.type_name)
        assert isinstance(graphql_type, GraphQLObjectType)
        plan = ObjectPlan(entity, spec.type_name)
        python_names = self._python_names(graphql_type)
        for key, nodes in self._collect(spec.type_name, selection_set, {}).items():
            name = nodes[0].name.value
            sub = self._merged(nodes)
            if name == "__typename":
                plan.fields.append((key, Literal(spec.type_name)))
                continue
            if name == "id":
                plan.fields.append((key, GlobalId(spec.type_name)))
                continue
            if name == "ll2Id":
                plan.fields.append((key, Column("id", spec.id_kind)))
                continue
            metadata = graphql_type.fields[name].extensions["strawberry-definition"].metadata
            if "connection" in metadata:
                edge = metadata["edge"]
                source = ArgumentSource(graphql_type, nodes[0])
                plan.fields.append((key, self.connection_plan(edge.child, edge, source, sub)))
                continue
            field_spec = spec.by_key[python_names[name]]
            if isinstance(field_spec, Scalar):
                if field_spec.kind is Kind.JSON:
                    raise NotCompilable("value lists are resolved in Python")
                plan.fields.append((key, Column(field_spec.column, field_spec.kind)))
            elif isinstance(field_spec, Ref):
                plan.fields.append(
                    (key, ToOne(field_spec, self.object_plan(field_spec.target, sub)))
                )
            else:
                plan.fields.append(
                    (key, ToMany(entity, field_spec, self.object_plan(field_spec.target, sub)))
                )
        return plan

    def _python_names(self, graphql_type: GraphQLObjectType) -> dict[str, str]:
        names = {}
        for graphql_name, definition in graphql_type.fields.items():
            strawberry_field = definition.extensions.get("strawberry-definition")
            if strawberry_field is not None:
                names[graphql_name] = strawberry_field.python_name
        return names

    # connections ---------------------------------------------------------------------------

    def connection_plan(
        self,
        entity: str,
        edge: Edge | None,
        source: ArgumentSource,
        selection_set: SelectionSetNode | None,
    ) -> ConnectionPlan:
        type_name = ENTITIES[entity].type_name
        query = page_of(entity, arguments(self.schema, source, self.variables))
        plan = ConnectionPlan(entity, type_name, edge, query, source)
        if selection_set is None:
            raise NotCompilable("a connection without a selection")
        for key, nodes in self._collect(f"{type_name}Connection", selection_set, {}).items():
            name = nodes[0].name.value
            sub = self._merged(nodes)
            if name == "__typename":
                plan.fields.append((key, Literal(f"{type_name}Connection")))
            elif name == "nodes":
                plan.fields.append((key, Nodes(self.object_plan(entity, sub))))
            elif name == "edges":
                plan.fields.append((key, self._edges(entity, type_name, sub)))
            elif name == "pageInfo":
                plan.fields.append((key, self._page_info(sub)))
            elif name == "totalCount":
                plan.fields.append((key, TotalCount()))
            else:
                raise NotCompilable(f"connection field {name}")
        return plan

    def _edges(self, entity: str, type_name: str, selection_set: SelectionSetNode | None) -> Edges:
        if selection_set is None:
            raise NotCompilable("edges without a selection")
        fields: list[tuple[str, Any]] = []
        for key, nodes in self._collect(f"{type_name}Edge", selection_set, {}).items():
            name = nodes[0].name.value
            if name == "__typename":
                fields.append((key, Literal(f"{type_name}Edge")))
            elif name == "cursor":
                fields.append((key, Cursor()))
            elif name == "node":
                fields.append((key, EdgeNode(self.object_plan(entity, self._merged(nodes)))))
            else:
                raise NotCompilable(f"edge field {name}")
        return Edges(fields)

    def _page_info(self, selection_set: SelectionSetNode | None) -> PageInfoPlan:
        if selection_set is None:
            raise NotCompilable("pageInfo without a selection")
        return PageInfoPlan(
            [
                (key, nodes[0].name.value)
                for key, nodes in self._collect("PageInfo", selection_set, {}).items()
            ]
        )

    # the root ------------------------------------------------------------------------------

    def root(self) -> list[tuple[str, Any]]:
        query_type = self.graphql_schema.query_type
        assert query_type is not None
        out: list[tuple[str, Any]] = []
        for key, nodes in self._collect("Query", self.operation.selection_set, {}).items():
            name = nodes[0].name.value
            if name == "__typename":
                out.append((key, Literal("Query")))
                continue
            if name.startswith("__"):
                raise NotCompilable(name)
            metadata = query_type.fields[name].extensions["strawberry-definition"].metadata
            source = ArgumentSource(query_type, nodes[0])
            sub = self._merged(nodes)
            if "connection" in metadata:
                entity = metadata["connection"]
                out.append((key, self.connection_plan(entity, None, source, sub)))
            elif "lookup" in metadata:
                entity = metadata["lookup"]
                target = self.object_plan(entity, sub)
                ll2_id = arguments(self.schema, source, self.variables)["ll2_id"]
                out.append((key, Lookup(entity, ll2_id, source, target)))
            else:
                raise NotCompilable(name)
        return out
