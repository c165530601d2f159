"""The small parsers of the sync: LL2's APIThrottle answer, Retry-After, typed durations."""

from __future__ import annotations

import datetime as dt

import pytest

from db.sync import SyncError, format_seconds, parse_duration
from db.sync.throttle import Allowance, parse_allowance, retry_after

THROTTLE = {
    "your_request_limit": 15,
    "limit_frequency_secs": 3600,
    "current_use": 4,
    "next_use_secs": 0,
    "ident": "203.0.113.9",
}


@pytest.mark.parametrize(
    "payload",
    [pytest.param([THROTTLE], id="2.3.0-list"), pytest.param(THROTTLE, id="2.2.0-object")],
)
def test_the_throttle_answer_is_read_in_either_form(payload: object) -> None:
    allowance = parse_allowance("u", payload, read_at=10.0)
    assert allowance == Allowance(15, 3600, 4, 0.0, "203.0.113.9", 10.0)
    assert (allowance.left, allowance.spend().spend().left) == (11, 9)
    assert allowance.describe() == "15 requests per 1h"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        pytest.param([], "GET u: expected LL2's APIThrottle object, got []", id="empty-list"),
        pytest.param(
            [THROTTLE | {"current_use": "4"}],
            "GET u: current_use should be a number of at least 0, got '4'",
            id="text-number",
        ),
        pytest.param(
            [THROTTLE | {"next_use_secs": -1}],
            "GET u: next_use_secs should be a number of at least 0, got -1",
            id="negative",
        ),
    ],
)
def test_a_strange_throttle_answer_is_an_error_that_says_what(
    payload: object, message: str
) -> None:
    with pytest.raises(SyncError) as raised:
        parse_allowance("u", payload, read_at=0.0)
    assert str(raised.value) == message


def test_the_wait_counts_down_from_the_reading() -> None:
    allowance = Allowance(15, 3600, 15, 600.0, "x", read_at=100.0)
    assert [allowance.wait(t) for t in (100.0, 400.0, 700.0, 900.0)] == [600.0, 300.0, 0.0, 0.0]


NOW = dt.datetime(2025, 1, 1, 12, 0, 0)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        pytest.param("120", 120.0, id="seconds"),
        pytest.param(" 7 ", 7.0, id="spaces"),
        pytest.param("Wed, 01 Jan 2025 12:30:00 GMT", 1800.0, id="http-date"),
        pytest.param("Wed, 01 Jan 2025 11:00:00 GMT", 0.0, id="date-past"),
        pytest.param(None, None, id="absent"),
        pytest.param("soon", None, id="nonsense"),
    ],
)
def test_retry_after(header: str | None, seconds: float | None) -> None:
    assert retry_after(header, NOW) == seconds


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1h", 3600.0), ("30m", 1800.0), ("90s", 90.0), ("1h30m", 5400.0), ("3600", 3600.0)],
)
def test_durations_as_typed(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("soon", "'soon' is not a duration: write it like 1h, 30m, 90s, 1h30m or 3600"),
        ("1h 30m", "'1h 30m' is not a duration: write it like 1h, 30m, 90s, 1h30m or 3600"),
        ("-5", "'-5' is negative; a duration is at least 0"),
    ],
)
def test_a_bad_duration_says_how_to_write_one(text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_duration(text)
    assert str(raised.value) == message


def test_seconds_read_as_people_write_them() -> None:
    assert [format_seconds(s) for s in (0.25, 3, 59, 3600, 3725, 7200)] == [
        "0.25s",
        "3s",
        "59s",
        "1h",
        "1h2m5s",
        "2h",
    ]
