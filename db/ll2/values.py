"""LL2's scalar values: checked and turned into what the database stores, and written back.

Durations are stored as whole microseconds so that SQL compares them by length of time, and are
written back with isodate, which writes them exactly as LL2 does (`P182DT9H32M41S`, `P0D`).
Date-times are stored as naive UTC and written with a `Z`, as LL2 writes them.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from typing import Any

import isodate

from db.spec import Kind

_MICROS = dt.timedelta(microseconds=1)


class InvalidValue(ValueError):
    """A JSON value that does not fit its field; the message says what was expected."""


def _describe(value: Any) -> str:
    kind = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
        type(None): "null",
    }.get(type(value), type(value).__name__)
    text = repr(value)
    return kind if len(text) > 40 or isinstance(value, (list, dict)) else f"{kind} {text}"


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidValue(f"expected a string, got {_describe(value)}")
    return value


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(f"expected an integer, got {_describe(value)}")
    return value


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidValue(f"expected a number, got {_describe(value)}")
    return float(value)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue(f"expected true or false, got {_describe(value)}")
    return value


def _date(value: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(_text(value))
    except ValueError:
        raise InvalidValue(f"expected a date (YYYY-MM-DD), got {_describe(value)}") from None


def _datetime(value: Any) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(_text(value))
    except ValueError:
        raise InvalidValue(f"expected an ISO 8601 date-time, got {_describe(value)}") from None
    if parsed.tzinfo is None:
        raise InvalidValue(f"expected a date-time with a time zone, got {_describe(value)}")
    return parsed.astimezone(dt.UTC).replace(tzinfo=None)


# LL2's everyday form (`P182DT9H32M41S`, `PT11M53S`, `P0D`), read without isodate's general parser
# (the importer meets it hundreds of thousands of times); anything else goes to isodate. The
# limits keep it inside what timedelta (and so isodate) accepts.
_PLAIN_DURATION = re.compile(
    r"P(?:(\d{1,6})D)?(?:T(?:(\d{1,7})H)?(?:(\d{1,9})M)?(?:(\d{1,10})S)?)?"
)


def _plain_duration(text: str) -> int | None:
    match = _PLAIN_DURATION.fullmatch(text)
    if match is None:
        return None
    days, hours, minutes, seconds = match.groups()
    if hours is None and minutes is None and seconds is None:
        return None if days is None or "T" in text else int(days) * 86_400_000_000
    total = int(days or 0) * 86_400 + int(hours or 0) * 3_600 + int(minutes or 0) * 60
    return (total + int(seconds or 0)) * 1_000_000


def parse_duration(text: str) -> int:
    """ISO 8601 duration text -> whole microseconds; raises InvalidValue."""
    plain = _plain_duration(text)
    if plain is not None:
        return plain
    try:
        parsed = isodate.parse_duration(text)
    except (isodate.ISO8601Error, ValueError, TypeError):
        raise InvalidValue(f"expected an ISO 8601 duration, got {_describe(text)}") from None
    if not isinstance(parsed, dt.timedelta):
        raise InvalidValue(f"expected a duration in days and hours, not years or months: {text!r}")
    return parsed // _MICROS


def format_duration(micros: int) -> str:
    """Whole microseconds -> LL2's ISO 8601 text."""
    return str(isodate.duration_isoformat(dt.timedelta(microseconds=micros)))


def _duration(value: Any) -> int:
    return parse_duration(_text(value))


def parse_uuid(value: Any) -> str:
    try:
        return str(uuid.UUID(_text(value)))
    except ValueError:
        raise InvalidValue(f"expected a UUID, got {_describe(value)}") from None


def _json(value: Any) -> Any:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InvalidValue(f"expected a list of objects, got {_describe(value)}")
    return value


PARSERS: dict[Kind, Callable[[Any], Any]] = {
    Kind.TEXT: _text,
    Kind.INT: _int,
    Kind.FLOAT: _float,
    Kind.BOOL: _bool,
    Kind.DATE: _date,
    Kind.DATETIME: _datetime,
    Kind.DURATION: _duration,
    Kind.UUID: parse_uuid,
    Kind.JSON: _json,
}


def parse(kind: Kind, value: Any) -> Any:
    """A non-null JSON value -> the stored value; raises InvalidValue naming what was expected."""
    return PARSERS[kind](value)


def format_datetime(value: dt.datetime) -> str:
    return value.isoformat() + "Z"


def render(kind: Kind, value: Any) -> Any:
    """A stored value -> LL2's JSON value."""
    if value is None:
        return None
    if kind is Kind.DURATION:
        return format_duration(value)
    if kind is Kind.DATETIME:
        return format_datetime(value)
    if kind is Kind.DATE:
        return value.isoformat()
    if kind is Kind.FLOAT:
        return float(value)
    return value


def fold(text: str) -> str:
    """Case-folded text for case-insensitive matching that is the same on every database."""
    return text.casefold()
