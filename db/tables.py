"""The SQL tables, built from the spec on SQLModel's metadata.

Each entity gets a table named after it, keyed by LL2's id, with a column per scalar (named as
LL2's key), `<key>_id` per to-one edge, `<key>_folded` beside every searchable or filterable text
(case-folded at import, so matching ignores case the same way on SQLite and PostgreSQL), and
`extra` for keys LL2 adds after this spec was written. Each ordered to-many edge gets a link table
`<entity>__<key>` (owner_id, position, target_id).

Foreign keys are deferred to commit, so an import may write tables in any order.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlmodel import SQLModel

from db.spec import ENTITIES, Backref, Entity, Kind, Many, Ref, Scalar, link_table_name

metadata = SQLModel.metadata
metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}

# Byte order on PostgreSQL, whatever the cluster's locale: what SQLite does, so both order alike.
TEXT = sa.Text().with_variant(postgresql.TEXT(collation="C"), "postgresql")

# SQLite's integers are 64-bit already; only INTEGER PRIMARY KEY makes the id the row's key.
BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

_TYPES: dict[Kind, sa.types.TypeEngine[Any]] = {
    Kind.TEXT: TEXT,
    Kind.INT: BIGINT,
    Kind.FLOAT: sa.Double(),
    Kind.BOOL: sa.Boolean(),
    Kind.DATE: sa.Date(),
    Kind.DATETIME: sa.DateTime(),
    Kind.DURATION: BIGINT,
    Kind.UUID: sa.String(36).with_variant(postgresql.VARCHAR(36, collation="C"), "postgresql"),
    Kind.JSON: sa.JSON(),
}

POSITION = "position"
EXTRA = "extra"


def folded_column(key: str) -> str:
    return f"{key}_folded"


def has_folded(f: Scalar) -> bool:
    return f.kind is Kind.TEXT and (f.filter or f.search)


def _foreign_key(target: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.id", deferrable=True, initially="DEFERRED")


def _ordered_targets() -> set[str]:
    return {
        f.target
        for entity in ENTITIES.values()
        for f in entity.fields
        if isinstance(f, Backref) and f.ordered
    }


def _entity_table(entity: Entity, positioned: bool) -> sa.Table:
    columns: list[sa.Column[object]] = [
        sa.Column("id", _TYPES[entity.id_kind], primary_key=True, autoincrement=False)
    ]
    indexes: list[sa.Index] = []
    for f in entity.fields:
        if isinstance(f, Scalar):
            columns.append(
                sa.Column(f.column, _TYPES[f.kind], nullable=not f.required, comment=f.doc)
            )
            if f.filter or f.order:
                indexes.append(sa.Index(None, f.column, "id"))
            if has_folded(f):
                columns.append(sa.Column(folded_column(f.key), TEXT, nullable=not f.required))
                if f.filter:
                    indexes.append(sa.Index(None, folded_column(f.key)))
        elif isinstance(f, Ref):
            target_kind = ENTITIES[f.target].id_kind
            columns.append(
                sa.Column(
                    f.column,
                    _TYPES[target_kind],
                    _foreign_key(f.target),
                    nullable=not f.required,
                    comment=f.doc,
                )
            )
            indexes.append(sa.Index(None, f.column, "id"))
    indexes += _by_name_within(entity)
    if positioned:
        columns.append(sa.Column(POSITION, sa.Integer(), nullable=True))
    columns.append(sa.Column(EXTRA, sa.JSON(), nullable=True))
    return sa.Table(entity.name, metadata, *columns, *indexes, comment=entity.doc)


# To-one edges that only one row points at (a launch's rocket and mission): filtering by one
# finds one row, which needs no order.
_ONE_TO_ONE = frozenset({("launch", "rocket_id"), ("launch", "mission_id")})
# Edges to a handful of values (statuses, types, orbits): every few rows of the name index match
# one, so reading it in order and skipping the others is as quick, and PostgreSQL was tempted by
# an (edge, name, id) index into sorting every Active spacecraft past a deep page's cursor.
_FEW_VALUES = frozenset(
    {"spacecraft_status", "launch_status", "astronaut_status"}
    | {"agency_type", "spacecraft_configuration_type", "astronaut_type", "orbit"}
)


def _by_name_within(entity: Entity) -> list[sa.Index]:
    """(edge, name, id) for the filterable to-one edges of an entity ordered by name.

    A filter on one configuration ordered by name otherwise walks the name index until enough
    rows match, or sorts every match: PostgreSQL read 210,000 of a million spacecraft, 471 ms,
    for a page of configuration 1's by name; 0.03 ms with this.
    """
    if not any(f.key == "name" and f.order for f in entity.scalars):
        return []
    return [
        sa.Index(f"ix_{entity.name}_{f.column}_name", f.column, "name", "id")
        for f in entity.fields
        if isinstance(f, Ref)
        and f.filter
        and (entity.name, f.column) not in _ONE_TO_ONE
        and f.target not in _FEW_VALUES
    ]


def _link_table(owner: Entity, many: Many) -> sa.Table:
    return sa.Table(
        link_table_name(owner, many),
        metadata,
        sa.Column("owner_id", _TYPES[owner.id_kind], _foreign_key(owner.name), primary_key=True),
        sa.Column(POSITION, sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column(
            "target_id",
            _TYPES[ENTITIES[many.target].id_kind],
            _foreign_key(many.target),
            nullable=False,
        ),
        sa.Index(None, "target_id", "owner_id"),
        comment=many.doc,
    )


_positioned = _ordered_targets()
ENTITY_TABLES: dict[str, sa.Table] = {
    name: _entity_table(entity, name in _positioned) for name, entity in ENTITIES.items()
}
LINK_TABLES: dict[tuple[str, str], sa.Table] = {
    (entity.name, f.key): _link_table(entity, f)
    for entity in ENTITIES.values()
    for f in entity.fields
    if isinstance(f, Many)
}
