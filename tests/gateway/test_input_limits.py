"""The size of arguments and variables, refused before they are coerced or turned into SQL."""

from __future__ import annotations

from gateway.limits.inputs import MAX_INPUT_VALUES
from tests.gateway.test_limits import check, refusal

FILTERED = "query($f: SpacecraftFilter) { allSpacecraft(filter: $f) { totalCount } }"


def test_variables_of_150000_values_are_refused_before_they_are_coerced() -> None:
    query = "query($v: [Int!]) { allSpacecraft(filter: { ll2Id: { in: $v } }) { totalCount } }"
    assert refusal(query, {"v": list(range(150_000))}).errors == [
        {
            "message": "the variables hold more than 2000 values, the most a request takes; "
            "ask in several requests",
            "extensions": {"code": "BAD_USER_INPUT"},
        }
    ]


def test_an_argument_of_more_than_500_values_is_refused() -> None:
    branches = [{"name": {"contains": "x"}}] * 200  # 3 values each, and the list
    assert refusal(FILTERED, {"f": {"OR": branches}}).errors == [
        {
            "message": "`filter` of `allSpacecraft` holds more than 500 values, the most an "
            "argument takes; ask in several requests",
            "locations": [{"line": 1, "column": 45}],
            "extensions": {"code": "BAD_USER_INPUT"},
        }
    ]


def test_an_argument_at_500_values_passes() -> None:
    ids = list(range(MAX_INPUT_VALUES - 3))  # the filter, ll2Id's input, the list: 3 more
    check(FILTERED, {"f": {"ll2Id": {"in": ids}}})


def test_a_text_of_a_million_characters_is_refused() -> None:
    assert refusal(FILTERED, {"f": {"name": {"contains": "\U0001f680" * 250_000}}}).errors == [
        {
            "message": "`filter` of `allSpacecraft` holds a text of 250000 characters; an "
            "argument takes texts of 1000 characters at most",
            "locations": [{"line": 1, "column": 45}],
            "extensions": {"code": "BAD_USER_INPUT"},
        }
    ]


def test_literal_arguments_count_too() -> None:
    ids = ", ".join(str(i) for i in range(600))
    query = f"{{ allSpacecraft(filter: {{ ll2Id: {{ in: [{ids}] }} }}) {{ totalCount }} }}"
    (error,) = refusal(query).errors
    assert error["message"].startswith("`filter` of `allSpacecraft` holds more than 500 values")
