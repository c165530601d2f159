"""One pure translator from a filter input to an SQL condition.

A filter input has one operator input per filterable field (`{inSpace: {eq: true}}`), one nested
filter per relation (`{spacecraftConfig: {agency: {abbrev: {eq: "NASA"}}}}`, true when the related
object matches; for a list, when some element does), `ll2Id`, and `AND` / `OR` / `NOT`. It
arrives as plain data (`gateway.resolvers.inputs`): dicts by Python name (`in_space`, `and_`).
Unset and null parts are skipped; given parts must all hold. Text `contains` / `startsWith`
match the case-folded column, so case is ignored the same way on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from db.ll2.values import fold
from db.read.errors import BadRead
from db.spec import ENTITIES, Kind, Many, Ref, Scalar
from db.tables import ENTITY_TABLES, LINK_TABLES, folded_column

Condition = sa.ColumnElement[bool]


def given(value: Any) -> bool:
    return value is not None


def _part(value: Any, name: str) -> Any:
    part = value.get(name)
    return part


def check_text(value: Any, argument: str) -> None:
    """Refuse text the databases cannot hold (PostgreSQL rejects NUL characters), anywhere in
    a plain value."""
    if isinstance(value, str):
        if "\x00" in value:
            raise BadRead(f"`{argument}` cannot contain NUL characters")
    elif isinstance(value, dict):
        for item in value.values():
            check_text(item, argument)
    elif isinstance(value, (list, tuple)):
        for item in value:
            check_text(item, argument)


def like_pattern(text: str, *, prefix_only: bool) -> str:
    escaped = fold(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%" if prefix_only else f"%{escaped}%"


def _one_of(column: sa.ColumnElement[Any], values: Any) -> Condition:
    """`column IN (:a, :b, ...)`: a parameter per value, so the list's length is the statement's
    shape and its values are parameters (an expanding parameter is rendered per request)."""
    if not values:
        return sa.false()
    return column.in_([sa.literal(v, column.type) for v in values])


def operators(
    column: sa.ColumnElement[Any], ops: Any, folded: sa.ColumnElement[Any] | None = None
) -> list[Condition]:
    """The conditions of one operator input (`{eq, in, gt, gte, lt, lte, contains, ...}`)."""
    out: list[Condition] = []
    simple: dict[str, Callable[[Any], Condition]] = {
        "eq": lambda v: column == v,
        "in_": lambda v: _one_of(column, v),
        "gt": lambda v: column > v,
        "gte": lambda v: column >= v,
        "lt": lambda v: column < v,
        "lte": lambda v: column <= v,
        "is_null": lambda v: column.is_(None) if v else column.is_not(None),
    }
    for name, build in simple.items():
        value = _part(ops, name)
        if value is not None:
            out.append(build(value))
    if folded is not None:
        for name, prefix_only in (("contains", False), ("starts_with", True)):
            value = _part(ops, name)
            if value is not None:
                out.append(folded.like(like_pattern(value, prefix_only=prefix_only), escape="\\"))
    return out


@dataclass(frozen=True)
class VirtualFilter:
    """A filter LL2 offers that is no single stored field (an agency's `country_code`)."""

    key: str
    kind: Kind
    doc: str
    build: Callable[[sa.FromClause, Any], list[Condition]]


def _agency_country_code(agency: sa.FromClause, ops: Any) -> list[Condition]:
    link = LINK_TABLES[("agency", "country")].alias()
    country = ENTITY_TABLES["country"].alias()
    matches = [
        sa.and_(*conds)
        for code in ("alpha_2_code", "alpha_3_code")
        if (conds := operators(country.c[code], ops, country.c[code]))
    ]
    if not matches:
        return []
    owners = (
        sa.select(link.c.owner_id)
        .join(country, country.c.id == link.c.target_id)
        .where(sa.or_(*matches))
    )
    return [agency.c.id.in_(owners)]


VIRTUAL_FILTERS: dict[str, tuple[VirtualFilter, ...]] = {
    "agency": (
        VirtualFilter(
            key="country_code",
            kind=Kind.TEXT,
            doc="A country of the agency, by ISO 3166-1 alpha-2 or alpha-3 code (LL2's "
            "`country_code`); `contains` and `startsWith` ignore case.",
            build=_agency_country_code,
        ),
    ),
}


def _only_ll2_id_eq(value: Any) -> Any:
    """X when a related object's filter is exactly `{ll2Id: {eq: X}}`, else None."""
    ll2_id = _part(value, "ll2_id")
    if ll2_id is None or any(given(v) for k, v in value.items() if k != "ll2_id"):
        return None
    ops = [name for name, v in ll2_id.items() if given(v)]
    if ops != ["eq"]:
        return None
    return ll2_id["eq"]


def condition(entity: str, value: Any, table: sa.FromClause | None = None) -> Condition | None:
    """The SQL condition of filter input `value` over `entity`'s table (or an alias of it)."""
    if not given(value):
        return None
    table = ENTITY_TABLES[entity] if table is None else table
    spec = ENTITIES[entity]
    parts: list[Condition] = []
    ll2_id = _part(value, "ll2_id")
    if ll2_id is not None:
        parts += operators(table.c.id, ll2_id)
    for field in spec.fields:
        sub = _part(value, field.key) if getattr(field, "filter", False) else None
        if sub is None:
            continue
        if isinstance(field, Scalar):
            folded = table.c[folded_column(field.key)] if field.kind is Kind.TEXT else None
            parts += operators(table.c[field.column], sub, folded)
        elif isinstance(field, Ref):
            by_id = _only_ll2_id_eq(sub)
            if by_id is not None:
                # The edge's own column, not `IN (SELECT id ... WHERE id = ?)`: a database
                # cannot know that subquery gives one value, so SQLite sorted every match for
                # an ordering its (edge, name, id) index answers in order.
                parts.append(table.c[field.column] == by_id)
                continue
            target = ENTITY_TABLES[field.target].alias()
            inner = condition(field.target, sub, target)
            if inner is not None:
                parts.append(table.c[field.column].in_(sa.select(target.c.id).where(inner)))
        elif isinstance(field, Many):
            link = LINK_TABLES[(entity, field.key)].alias()
            target = ENTITY_TABLES[field.target].alias()
            inner = condition(field.target, sub, target)
            if inner is not None:
                owners = (
                    sa.select(link.c.owner_id)
                    .join(target, target.c.id == link.c.target_id)
                    .where(inner)
                )
                parts.append(table.c.id.in_(owners))
    for virtual in VIRTUAL_FILTERS.get(entity, ()):
        sub = _part(value, virtual.key)
        if sub is not None:
            parts += virtual.build(table, sub)
    for item in _part(value, "and_") or []:
        if (inner := condition(entity, item, table)) is not None:
            parts.append(inner)
    alternatives = _part(value, "or_")
    if alternatives is not None:
        conds = [condition(entity, item, table) for item in alternatives]
        # OR of nothing holds for nothing, as in logic
        parts.append(sa.or_(sa.false(), *(c if c is not None else sa.true() for c in conds)))
    negated = _part(value, "not_")
    if negated is not None and (inner := condition(entity, negated, table)) is not None:
        parts.append(sa.not_(inner))
    return sa.and_(*parts) if parts else None
