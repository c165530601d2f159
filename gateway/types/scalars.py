"""Custom scalars: LL2's durations, and date-times written as LL2 writes them (UTC, with `Z`).

The Python names are NewTypes used in annotations; `SCALAR_MAP` tells the schema how each is
written and read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NewType

import strawberry

from db.ll2 import values
from db.ll2.values import InvalidValue

Duration = NewType("Duration", int)
DateTime = NewType("DateTime", dt.datetime)
Date = NewType("Date", dt.date)
UUID = NewType("UUID", str)


def _parse(parser: Callable[[str], Any], text: Any, what: str) -> Any:
    if not isinstance(text, str):
        raise ValueError(f"not {what} (expected a string)")
    try:
        return parser(text)
    except (InvalidValue, ValueError):
        raise ValueError(f"not {what}") from None


def _serialize_datetime(value: dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return values.format_datetime(value)


def _parse_datetime(text: Any) -> dt.datetime:
    parsed: dt.datetime = _parse(dt.datetime.fromisoformat, text, "an ISO 8601 date-time")
    if parsed.tzinfo is None:
        raise ValueError("not a date-time with a time zone (like 2024-01-31T12:00:00Z)")
    return parsed.astimezone(dt.UTC).replace(tzinfo=None)


SCALAR_MAP: dict[object, Any] = {
    Duration: strawberry.scalar(
        name="Duration",
        description="A length of time as ISO 8601 text, written exactly as LL2 writes it "
        "(`P182DT9H32M41S`, `PT11M53S`, `P0D`). Compared and ordered by length of time.",
        serialize=values.format_duration,
        parse_value=lambda text: _parse(values.parse_duration, text, "an ISO 8601 duration"),
    ),
    DateTime: strawberry.scalar(
        name="DateTime",
        description="A moment in UTC, as ISO 8601 text with a `Z` (`1963-06-14T11:58:58Z`), "
        "as LL2 writes it.",
        serialize=_serialize_datetime,
        parse_value=_parse_datetime,
    ),
    Date: strawberry.scalar(
        name="Date",
        description="A calendar date as ISO 8601 text (`1960-05-15`).",
        serialize=lambda value: value.isoformat(),
        parse_value=lambda text: _parse(dt.date.fromisoformat, text, "a date (YYYY-MM-DD)"),
    ),
    UUID: strawberry.scalar(
        name="UUID",
        description="A UUID in its canonical text form (LL2 identifies launches by UUID).",
        serialize=str,
        parse_value=lambda text: _parse(values.parse_uuid, text, "a UUID"),
    ),
}
