"""A directive repeated at one location gets one error before validation, and no answer carries
more than `MAX_ERRORS` errors, whichever step found them."""

from __future__ import annotations

import pytest

from gateway.http.errors import MAX_ERRORS
from gateway.http.operation import Outcome
from gateway.http.response import body
from tests.gateway.test_limits import refusal

TEN = "{ __typename @aa @aa @aa @aa @aa @aa @aa @aa @aa @aa }"


def test_ten_unknown_directives_at_one_location_get_one_error() -> None:
    assert refusal(TEN).errors == [
        {
            "message": 'the directive "@aa" is repeated at one location; a directive that is '
            "not repeatable may appear once at each",
            "locations": [{"line": 1, "column": 18}],
            "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
        }
    ]


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("{ __typename @skip(if: false) @skip(if: false) }", id="on-a-field"),
        pytest.param("query Q @aa @aa { __typename }", id="on-the-operation"),
        pytest.param(
            "{ ...F } fragment F on Query @include(if: true) @include(if: true) { __typename }",
            id="on-a-fragment",
        ),
        pytest.param("query($v: Int @aa @aa) { __typename }", id="on-a-variable"),
    ],
)
def test_a_known_directive_that_is_not_repeatable_is_refused_anywhere(query: str) -> None:
    (error,) = refusal(query).errors
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}
    assert "is repeated at one location" in error["message"]


def test_the_same_directive_at_different_locations_is_only_validated() -> None:
    (error,) = refusal("{ a: __typename @aa b: __typename @aa }").errors[:1]
    assert error["message"] == "Unknown directive '@aa'."


def test_validation_errors_are_bounded() -> None:
    errors = refusal("{ " + " ".join(f"f{i}" for i in range(100)) + " }").errors
    assert len(errors) == MAX_ERRORS
    assert errors[0]["message"] == "Cannot query field 'f0' on type 'Query'."
    assert errors[-1] == {
        "message": "2 more errors are not shown",
        "extensions": {"code": "TOO_MANY_ERRORS"},
    }


def test_variable_errors_are_bounded() -> None:
    query = "query($v: [Int!]) { allSpacecraft(filter: { ll2Id: { in: $v } }) { totalCount } }"
    errors = refusal(query, {"v": ["not a number"] * 1_000}).errors
    assert len(errors) == MAX_ERRORS
    assert {e["extensions"]["code"] for e in errors[:-1]} == {"BAD_USER_INPUT"}
    assert errors[-1]["extensions"] == {"code": "TOO_MANY_ERRORS"}


def test_field_errors_are_bounded() -> None:
    errors = [{"message": f"e{i}", "path": [f"f{i}"]} for i in range(1000)]
    written = body(Outcome({"f": None}, errors))
    assert written == (
        b'{"errors":['
        + b",".join(f'{{"message":"e{i}","path":["f{i}"]}}'.encode() for i in range(19))
        + b',{"message":"981 more errors are not shown","extensions":{"code":"TOO_MANY_ERRORS"}}'
        + b'],"data":{"f":null}}'
    )
