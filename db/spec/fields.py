"""The vocabulary in which the spec describes LL2's objects.

One description of every stored object serves the tables, the importer, the LL2 renderer, the
GraphQL types, their filters and orderings, and the SQL compiler; each reads these dataclasses
instead of repeating a column list of its own.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TypedDict, Unpack


class Kind(enum.Enum):
    """How a scalar LL2 value is validated, stored and written back."""

    TEXT = "text"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"
    DURATION = "duration"
    UUID = "uuid"
    JSON = "json"


@dataclass(frozen=True, kw_only=True)
class Scalar:
    """A value stored in a column of the object's own table, named as LL2's JSON key."""

    key: str
    kind: Kind
    doc: str
    required: bool = False
    filter: bool = False
    order: bool = False
    search: bool = False
    values: str | None = None

    @property
    def column(self) -> str:
        return self.key


@dataclass(frozen=True, kw_only=True)
class Ref:
    """A to-one edge: LL2 nests the target object; the table keeps its id in `<key>_id`.

    `hidden` edges are not part of the object's own LL2 JSON: the importer sets them from the
    list the object came in (a variant's image, a docking event's chaser flight).
    """

    key: str
    target: str
    doc: str
    required: bool = False
    filter: bool = False
    hidden: bool = False

    @property
    def column(self) -> str:
        return f"{self.key}_id"


@dataclass(frozen=True, kw_only=True)
class Many:
    """An ordered to-many edge kept in a link table `<entity>__<key>` (owner, position, target)."""

    key: str
    target: str
    doc: str
    filter: bool = False


@dataclass(frozen=True, kw_only=True)
class Backref:
    """A list LL2 shows that is the other side of an edge held by the target.

    `via` names the target's `Ref` (or `Many`) that points back here. When `ordered`, the target
    keeps its place in this list in a `position` column; otherwise LL2's list is read back by id.
    """

    key: str
    target: str
    via: str
    doc: str
    ordered: bool = False


Field = Scalar | Ref | Many | Backref


@dataclass(frozen=True, kw_only=True)
class Entity:
    """One kind of LL2 object with an id of its own, stored in one table keyed by LL2's id."""

    name: str
    type_name: str
    doc: str
    fields: tuple[Field, ...]
    endpoint: str | None = None
    id_kind: Kind = Kind.INT
    by_key: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {f.key: f for f in self.fields})

    @property
    def scalars(self) -> tuple[Scalar, ...]:
        return tuple(f for f in self.fields if isinstance(f, Scalar))

    @property
    def refs(self) -> tuple[Ref, ...]:
        return tuple(f for f in self.fields if isinstance(f, Ref))

    @property
    def manys(self) -> tuple[Many, ...]:
        return tuple(f for f in self.fields if isinstance(f, Many))

    @property
    def backrefs(self) -> tuple[Backref, ...]:
        return tuple(f for f in self.fields if isinstance(f, Backref))


@dataclass(frozen=True, kw_only=True)
class ValueObject:
    """An object LL2 nests without an id of its own (a mission's info URLs); stored as JSON."""

    name: str
    type_name: str
    doc: str
    fields: tuple[Scalar, ...]
    nested: tuple[tuple[str, str, str], ...] = ()


class Flags(TypedDict, total=False):
    required: bool
    filter: bool
    order: bool
    search: bool


def text(key: str, doc: str, **flags: Unpack[Flags]) -> Scalar:
    return Scalar(key=key, kind=Kind.TEXT, doc=doc, **flags)


def integer(key: str, doc: str, **flags: Unpack[Flags]) -> Scalar:
    return Scalar(key=key, kind=Kind.INT, doc=doc, **flags)


def number(key: str, doc: str, **flags: Unpack[Flags]) -> Scalar:
    return Scalar(key=key, kind=Kind.FLOAT, doc=doc, **flags)


def boolean(key: str, doc: str, **flags: Unpack[Flags]) -> Scalar:
    return Scalar(key=key, kind=Kind.BOOL, doc=doc, **flags)


def date(key: str, doc: str, **flags: Unpack[Flags]) -> Scalar:
    return Scalar(key=key, kind=Kind.DATE, doc=doc, **flags)


def datetime(key: str, doc: str, **flags: Unpack[Flags]) -> Scalar:
    return Scalar(key=key, kind=Kind.DATETIME, doc=doc, **flags)


def duration(key: str, doc: str, **flags: Unpack[Flags]) -> Scalar:
    return Scalar(key=key, kind=Kind.DURATION, doc=doc, **flags)


def values(key: str, of: str, doc: str) -> Scalar:
    """A list of id-less objects (see `ValueObject`), kept as LL2 wrote them."""
    return Scalar(key=key, kind=Kind.JSON, doc=doc, required=False, values=of)
