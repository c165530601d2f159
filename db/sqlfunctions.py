"""SQL functions that write LL2 values as text, available on both backends under one name.

`ll2_duration(micros)` writes a stored duration as LL2's ISO 8601 text and `b64url(text)` encodes
ids and cursors; the compiled query path calls them inside SQL. SQLite gets the Python functions
below at connect time (its parser cannot take the deeply nested expressions these would be in
SQL); PostgreSQL gets SQL functions from a migration (`POSTGRES_DDL`), which its planner inlines.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from db.ll2.values import format_duration


def b64url(text: str | None) -> str | None:
    """Base64url without padding: what global ids and cursors are made of."""
    if text is None:
        return None
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def ll2_duration(micros: int | None) -> str | None:
    return None if micros is None else format_duration(micros)


def ll2_datetime(stored: str | None, zone: str) -> str | None:
    """SQLAlchemy's SQLite text for a date-time -> ISO 8601 as Python writes it, plus `zone`."""
    if stored is None:
        return None
    return dt.datetime.fromisoformat(stored).isoformat() + zone


def register_sqlite(dbapi_connection: Any) -> None:
    dbapi_connection.create_function("b64url", 1, b64url, deterministic=True)
    dbapi_connection.create_function("ll2_duration", 1, ll2_duration, deterministic=True)
    dbapi_connection.create_function("ll2_datetime", 2, ll2_datetime, deterministic=True)


_MICROS_OF = {"D": 86_400_000_000, "H": 3_600_000_000, "M": 60_000_000, "S": 1_000_000}

POSTGRES_DDL = [
    """
CREATE OR REPLACE FUNCTION b64url(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT translate(rtrim(replace(encode(convert_to(t, 'UTF8'), 'base64'), E'\\n', ''), '='),
                   '+/', '-_')
$$""",
    """
CREATE OR REPLACE FUNCTION ll2_duration(micros bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN micros IS NULL THEN NULL WHEN micros = 0 THEN 'P0D' ELSE
    (CASE WHEN micros < 0 THEN '-P' ELSE 'P' END)
    || (CASE WHEN abs(micros) / 86400000000 > 0
             THEN (abs(micros) / 86400000000)::text || 'D' ELSE '' END)
    || (CASE WHEN abs(micros) % 86400000000 > 0 THEN 'T'
        || (CASE WHEN abs(micros) % 86400000000 / 3600000000 > 0
                 THEN (abs(micros) % 86400000000 / 3600000000)::text || 'H' ELSE '' END)
        || (CASE WHEN abs(micros) % 3600000000 / 60000000 > 0
                 THEN (abs(micros) % 3600000000 / 60000000)::text || 'M' ELSE '' END)
        || (CASE WHEN abs(micros) % 1000000 > 0
                 THEN (abs(micros) % 60000000 / 1000000)::text || '.'
                      || rtrim(substr((abs(micros) % 1000000 + 1000000)::text, 2), '0') || 'S'
                 WHEN abs(micros) % 60000000 / 1000000 > 0
                 THEN (abs(micros) % 60000000 / 1000000)::text || 'S' ELSE '' END)
      ELSE '' END)
  END
$$""",
]

POSTGRES_DROP = [
    "DROP FUNCTION IF EXISTS ll2_duration(bigint)",
    "DROP FUNCTION IF EXISTS b64url(text)",
]
