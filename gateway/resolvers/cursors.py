"""Opaque keyset cursors: the ordering's values and the id of the row a page stopped at.

A cursor names the type and the ordering it was made for, so one made for another connection
or another ordering is refused with a clear error instead of silently paging wrong.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Any

from db.spec import Kind
from gateway.resolvers.errors import BadUserInput

VERSION = 1


def _encode_value(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _decode_value(kind: Kind, value: Any) -> Any:
    if value is None:
        return None
    if kind is Kind.DATETIME:
        return dt.datetime.fromisoformat(value)
    if kind is Kind.DATE:
        return dt.date.fromisoformat(value)
    if kind is Kind.FLOAT:
        return float(value)
    return value


def encode(type_name: str, ordering: str, values: list[Any]) -> str:
    payload = [VERSION, type_name, ordering, [_encode_value(v) for v in values]]
    # Compact and UTF-8, as the compiled path writes cursors in SQL.
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(
    cursor: str, *, argument: str, type_name: str, ordering: str, kinds: list[Kind]
) -> list[Any]:
    """The key values a cursor holds; raises BadUserInput naming the argument and the problem."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        version, cursor_type, cursor_ordering, values = json.loads(raw)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise BadUserInput(f"`{argument}` is not a cursor this API made: {cursor!r}") from None
    if version != VERSION or not isinstance(values, list):
        raise BadUserInput(f"`{argument}` is not a cursor this API made: {cursor!r}")
    if cursor_type != type_name:
        raise BadUserInput(
            f"`{argument}` is a cursor of a {cursor_type} connection, not of {type_name}"
        )
    if cursor_ordering != ordering:
        raise BadUserInput(
            f"`{argument}` was made for the ordering {cursor_ordering}, but this request "
            f"orders by {ordering}; use the same orderBy to page on"
        )
    if len(values) != len(kinds):
        raise BadUserInput(f"`{argument}` is not a cursor this API made: {cursor!r}")
    try:
        return [_decode_value(k, v) for k, v in zip(kinds, values, strict=True)]
    except (ValueError, TypeError):
        raise BadUserInput(f"`{argument}` is not a cursor this API made: {cursor!r}") from None
