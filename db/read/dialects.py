"""What differs between SQLite and PostgreSQL: how the database writes the response's JSON, and
how a keyset range suits its planner.

Each method returns an SQL expression (SQLAlchemy) that writes a stored value the way the
resolvers' scalars do: durations as LL2's ISO 8601 text and global ids as base64url (the
`ll2_duration` and `b64url` functions of `db.sqlfunctions`), date-times with a `Z`, booleans as
JSON booleans, cursors exactly as `gateway.resolvers.cursors.encode` writes them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import aggregate_order_by

from db.spec import Kind

Expr = sa.ColumnElement[Any]
_MAX_PAIRS = 40  # PostgreSQL functions take at most 100 arguments; SQLite 127


def text(value: str) -> Expr:
    """An SQL string literal (GraphQL names and fixed strings only, never user input)."""
    return sa.literal_column("'" + value.replace("'", "''") + "'", sa.Text)


def integer(value: int) -> Expr:
    """An SQL integer literal: constants of the query's shape stay out of the parameters, so
    PostgreSQL plans a repeated statement once."""
    return sa.literal_column(str(int(value)), sa.Integer)


def _str(expr: Expr) -> Expr:
    return sa.cast(expr, sa.Text)


class Dialect:
    name: str
    object_function: str
    # Whether a keyset range by one key and the id is read as two segments: SQLite seeks a
    # row-value range on its first column only (see `db.read.ordering._past`).
    split_ties: bool = False

    def object(self, pairs: list[tuple[str, Expr]]) -> Expr:
        """A JSON object of `(key, value)`, in order, split where functions run out of arguments."""
        build: Any = getattr(sa.func, self.object_function)
        chunks = [
            build(*[x for key, value in pairs[i : i + _MAX_PAIRS] for x in (text(key), value)])
            for i in range(0, len(pairs), _MAX_PAIRS)
        ] or [build()]
        if len(chunks) == 1:
            first: Expr = chunks[0]
            return first
        texts = [_str(c) for c in chunks]
        joined: Expr = sa.func.substr(texts[0], 1, sa.func.length(texts[0]) - 1)
        for chunk in texts[1:]:
            joined = joined + text(",") + sa.func.substr(chunk, 2)
        return self.parse_json(joined)

    def parse_json(self, expr: Expr) -> Expr:
        raise NotImplementedError

    def nested(self, expr: Expr) -> Expr:
        """A JSON value out of a subquery, embedded as JSON rather than as a string."""
        return expr

    def array_agg(self, expr: Expr, order_by: list[Expr], where: Expr | None = None) -> Expr:
        raise NotImplementedError

    def scalar(self, kind: Kind, expr: Expr) -> Expr:
        if kind is Kind.DURATION:
            return sa.func.ll2_duration(expr, type_=sa.Text)
        if kind is Kind.DATETIME:
            return self.datetime_text(expr, zone="Z")
        if kind is Kind.DATE:
            return self.date_text(expr)
        if kind is Kind.BOOL:
            return self.boolean(expr)
        return expr

    def datetime_text(self, expr: Expr, *, zone: str) -> Expr:
        raise NotImplementedError

    def date_text(self, expr: Expr) -> Expr:
        return expr

    def boolean(self, expr: Expr) -> Expr:
        return expr

    def global_id(self, type_name: str, ident: Expr) -> Expr:
        return sa.func.b64url(text(f"{type_name}:") + _str(ident), type_=sa.Text)

    def cursor(self, type_name: str, signature: str, values: list[tuple[Kind, Expr]]) -> Expr:
        raise NotImplementedError

    def edge_cursor(self, cursor: Expr, rank: Expr, where: Expr, first: bool) -> Expr:
        """The cursor of the first (or last) row of a page, aggregated in page order."""
        raise NotImplementedError

    def text_result(self, expr: Expr) -> Expr:
        return expr


class SQLite(Dialect):
    name = "sqlite"
    object_function = "json_object"
    split_ties = True

    def parse_json(self, expr: Expr) -> Expr:
        return sa.func.json(expr)

    def nested(self, expr: Expr) -> Expr:
        return sa.func.json(expr)

    def array_agg(self, expr: Expr, order_by: list[Expr], where: Expr | None = None) -> Expr:
        # SQLite aggregates in the order of the ordered subquery it reads.
        aggregated = sa.func.json_group_array(sa.func.json(expr))
        return aggregated if where is None else aggregated.filter(where)

    def datetime_text(self, expr: Expr, *, zone: str) -> Expr:
        return sa.func.ll2_datetime(expr, text(zone), type_=sa.Text)

    def boolean(self, expr: Expr) -> Expr:
        return sa.case(
            (expr.is_(None), sa.null()),
            (expr, sa.func.json(text("true"))),
            else_=sa.func.json(text("false")),
        )

    def cursor(self, type_name: str, signature: str, values: list[tuple[Kind, Expr]]) -> Expr:
        rendered = []
        for kind, expr in values:
            if kind is Kind.DATETIME:
                rendered.append(self.datetime_text(expr, zone=""))
            elif kind is Kind.BOOL:
                rendered.append(self.boolean(expr))
            else:
                rendered.append(expr)
        array = sa.func.json_array(
            integer(1), text(type_name), text(signature), sa.func.json_array(*rendered)
        )
        return sa.func.b64url(array, type_=sa.Text)

    def edge_cursor(self, cursor: Expr, rank: Expr, where: Expr, first: bool) -> Expr:
        return sa.func.json_extract(
            sa.func.json_group_array(cursor).filter(where), text("$[0]" if first else "$[#-1]")
        )


class PostgreSQL(Dialect):
    name = "postgresql"
    object_function = "json_build_object"

    def parse_json(self, expr: Expr) -> Expr:
        return sa.cast(expr, sa.JSON)

    def array_agg(self, expr: Expr, order_by: list[Expr], where: Expr | None = None) -> Expr:
        aggregated: Expr = sa.func.json_agg(aggregate_order_by(expr, *order_by))
        if where is not None:
            aggregated = aggregated.filter(where)
        return sa.func.coalesce(aggregated, sa.literal_column("'[]'::json"))

    def datetime_text(self, expr: Expr, *, zone: str) -> Expr:
        micros = sa.cast(sa.func.extract("microseconds", expr), sa.BigInteger) % 1_000_000
        return (
            sa.func.to_char(expr, text('YYYY-MM-DD"T"HH24:MI:SS'))
            + sa.case((micros == 0, text("")), else_=text(".") + sa.func.to_char(expr, text("US")))
            + text(zone)
        )

    def date_text(self, expr: Expr) -> Expr:
        return sa.func.to_char(expr, text("YYYY-MM-DD"))

    def _json_text(self, kind: Kind, expr: Expr) -> Expr:
        if kind in (Kind.INT, Kind.DURATION, Kind.FLOAT):
            rendered = _str(expr)
        elif kind is Kind.BOOL:
            rendered = sa.case((expr, text("true")), else_=text("false"))
        elif kind is Kind.DATETIME:
            rendered = text('"') + self.datetime_text(expr, zone="") + text('"')
        elif kind is Kind.DATE:
            rendered = text('"') + self.date_text(expr) + text('"')
        else:
            rendered = _str(sa.func.to_json(_str(expr)))
        return sa.func.coalesce(rendered, text("null"))

    def cursor(self, type_name: str, signature: str, values: list[tuple[Kind, Expr]]) -> Expr:
        # json_build_array would write `, ` between items; cursors are compact JSON.
        body: Expr = text(f'[1,"{type_name}","{signature}",[')
        for i, (kind, expr) in enumerate(values):
            body = body + (text(",") if i else text("")) + self._json_text(kind, expr)
        return sa.func.b64url(body + text("]]"), type_=sa.Text)

    def edge_cursor(self, cursor: Expr, rank: Expr, where: Expr, first: bool) -> Expr:
        ordered = sa.func.array_agg(
            aggregate_order_by(cursor, rank if first else rank.desc())
        ).filter(where)
        return sa.type_coerce(ordered, sa.ARRAY(sa.Text))[1]

    def text_result(self, expr: Expr) -> Expr:
        return _str(expr)


_DIALECTS = {"sqlite": SQLite(), "postgresql": PostgreSQL()}


def dialect_for(name: str) -> Dialect:
    """The dialect of a backend's name (SQLAlchemy's `dialect.name`): the one place it is chosen."""
    return _DIALECTS[name]
