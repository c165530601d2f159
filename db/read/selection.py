"""What a whole answer selects, as plain values: the plan the JSON builder turns into SQL.

For each response key, what the database must produce: a column, a literal, a global id, a
relation (to-one, an LL2 list) or a connection with the page it asks for. The gateway makes a
plan from a GraphQL document (`gateway.compiled.plan`); `db.read.answer` builds its statement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from db.read.edges import Edge
from db.read.pages import PageQuery
from db.spec import Backref, Kind, Many, Ref


class NotCompilable(Exception):
    """This operation needs the resolvers."""


@dataclass(frozen=True)
class Column:
    column: str
    kind: Kind


@dataclass(frozen=True)
class Literal:
    value: str


@dataclass(frozen=True)
class GlobalId:
    type_name: str


@dataclass
class ObjectPlan:
    entity: str
    type_name: str
    fields: list[tuple[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ToOne:
    spec: Ref
    target: ObjectPlan


@dataclass(frozen=True)
class ToMany:
    owner: str
    spec: Many | Backref
    target: ObjectPlan


@dataclass
class ConnectionPlan:
    """A connection: the page its arguments ask for (`query`), read again per request from
    `source`, an opaque token of the caller's (where in the document the arguments are)."""

    entity: str
    type_name: str
    edge: Edge | None
    query: PageQuery
    source: Any
    fields: list[tuple[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Nodes:
    node: ObjectPlan


@dataclass(frozen=True)
class Edges:
    fields: list[tuple[str, Any]]


@dataclass(frozen=True)
class Cursor:
    pass


@dataclass(frozen=True)
class EdgeNode:
    node: ObjectPlan


@dataclass(frozen=True)
class PageInfoPlan:
    fields: list[tuple[str, str]]


@dataclass(frozen=True)
class TotalCount:
    pass


@dataclass(frozen=True)
class Lookup:
    """An object by LL2 id (`ll2_id`, read again per request from `source`)."""

    entity: str
    ll2_id: Any
    source: Any
    target: ObjectPlan
