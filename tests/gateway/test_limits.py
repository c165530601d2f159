"""The query limits in process, on the real schema: each limit at and past its bound, the order
of precedence, the cost's arithmetic, and documents built to make a naive check explode."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import get_introspection_query

from gateway.http.errors import Rejected
from gateway.http.operation import prepare
from gateway.http.request import GraphQLRequest
from gateway.limits import LimitConfig, Limits, RateLimiter
from gateway.limits.cost import Cost
from gateway.limits.tokens import count_tokens
from gateway.limits.validation import TOO_COMPLEX
from gateway.schema import schema
from tests.support.ll2_queries import selection

DEFAULT = Limits(schema)


def check(
    query: str,
    variables: dict[str, Any] | None = None,
    limits: Limits = DEFAULT,
    *,
    client: str | None = None,
) -> Cost:
    request = GraphQLRequest("POST", query, None, variables)
    limits.check_source(request)
    return limits.check(prepare(request), client=client)


def refusal(query: str, variables: dict[str, Any] | None = None, **config: Any) -> Rejected:
    limits = Limits(schema, LimitConfig(**config)) if config else DEFAULT
    with pytest.raises(Rejected) as raised:
        check(query, variables, limits)
    return raised.value


def code(query: str, variables: dict[str, Any] | None = None, **config: Any) -> str:
    codes = {e["extensions"]["code"] for e in refusal(query, variables, **config).errors}
    assert len(codes) == 1, codes
    return codes.pop()


def nest(levels: int, leaf: str = "name") -> str:
    """`spacecraft { spacecraftConfig { family { ... } } }`: `levels` + 1 fields deep."""
    inner = leaf
    for i in range(levels):
        inner = f"spacecraftConfig {{ {inner} }}" if i % 2 else f"family {{ {inner} }}"
    return inner


# one limit at a time -----------------------------------------------------------------------


def test_a_document_over_the_size_limit_is_refused_before_it_is_read() -> None:
    query = "{ spacecraft(ll2Id: 467) { name } }" + " " * 70_000
    found = refusal(query)
    assert found.errors == [
        {
            "message": f"the GraphQL document is {len(query)} bytes, more than the limit of "
            "65536; ask for less in one operation",
            "extensions": {"code": "QUERY_TOO_LARGE"},
        }
    ]
    assert (found.status, found.graphql) == (400, True)


def test_the_size_is_counted_in_bytes_of_utf8() -> None:
    query = '{ allSpacecraft(search: "' + "é" * 40 + '") { totalCount } }'
    assert len(query) < 100 < len(query.encode())
    assert code(query, max_query_size=100) == "QUERY_TOO_LARGE"
    assert check(query, limits=Limits(schema, LimitConfig(max_query_size=200))).nodes == 10


def test_tokens_at_the_limit_pass_and_one_more_is_refused() -> None:
    query = "{ spacecraft(ll2Id: 467) { name } }"
    assert count_tokens(query, 100) == 11
    assert check(query, limits=Limits(schema, LimitConfig(max_tokens=11))).nodes == 0
    assert refusal(query, max_tokens=10).errors == [
        {
            "message": "the GraphQL document has more than 10 tokens; ask for fewer fields "
            "in one operation",
            "extensions": {"code": "MAX_TOKENS_EXCEEDED"},
        }
    ]


def test_the_token_count_skips_comments_and_stops_past_the_limit() -> None:
    assert count_tokens("# a comment\n{ a # another\n b }", 100) == 4
    assert count_tokens("{ a " * 100_000, 5_000) == 5_001
    assert count_tokens('{ a(b: "unterminated', 100) == 5  # the parser reports the rest


def test_every_field_of_a_detailed_flight_fits_in_the_token_limit() -> None:
    query = "{ spacecraftFlight(ll2Id: 358) { " + selection("SpacecraftFlightDetailed") + " } }"
    assert 3_000 < count_tokens(query, 10_000) <= 5_000
    assert check(query) == Cost(0, 50_000)


def test_depth_counts_the_root_field_as_one() -> None:
    limits = Limits(schema, LimitConfig(max_depth=3))
    assert check("{ spacecraft(ll2Id: 467) { spacecraftConfig { name } } }", limits=limits)
    assert refusal(
        "{ spacecraft(ll2Id: 467) { spacecraftConfig { family { name } } } }", max_depth=3
    ).errors == [
        {
            "message": "the operation nests fields 4 deep, more than the limit of 3 (the root "
            "field counts 1); ask for less deeply nested data",
            "extensions": {"code": "MAX_DEPTH_EXCEEDED"},
        }
    ]


def test_depth_counts_through_fragments_and_inline_fragments() -> None:
    query = """
      { spacecraft(ll2Id: 467) { ...Config } }
      fragment Config on Spacecraft { spacecraftConfig { ... on SpacecraftConfiguration { ...Family } } }
      fragment Family on SpacecraftConfiguration { family { name } }
    """
    assert check(query, limits=Limits(schema, LimitConfig(max_depth=4)))
    assert code(query, max_depth=3) == "MAX_DEPTH_EXCEEDED"


def test_deeper_than_the_parser_takes_is_a_depth_refusal() -> None:
    query = "{ spacecraft(ll2Id: 467) { " + nest(400) + " } }"
    assert (
        refusal(query)
        .errors[0]["message"]
        .startswith(
            "the operation nests fields deeper than the parser accepts, more than the limit of 16"
        )
    )


def test_introspection_is_bounded_by_its_own_rule_not_by_depth() -> None:
    limits = Limits(schema, LimitConfig(max_depth=2))
    assert check(get_introspection_query(descriptions=True), limits=limits).nodes == 0
    deep = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    assert refusal(deep).errors == [
        {
            "message": "Maximum introspection depth exceeded",
            "locations": [{"line": 1, "column": 3}],
            "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
        }
    ]


def test_aliases_count_through_fragments() -> None:
    query = "{ ...Names ...Names2 } fragment Names on Query { a: __typename b: __typename } "
    query += "fragment Names2 on Query { ...Names c: __typename }"
    assert check(query, limits=Limits(schema, LimitConfig(max_aliases=5)))
    assert refusal(query, max_aliases=4).errors == [
        {
            "message": "the operation uses 5 aliases, more than the limit of 4; ask for the "
            "same field fewer times",
            "extensions": {"code": "MAX_ALIASES_EXCEEDED"},
        }
    ]


def test_directives_count_everywhere_in_the_operation() -> None:
    query = """
      query Q($a: Boolean = true @deprecated) @deprecated {
        spacecraft(ll2Id: 467) @include(if: $a) { name @skip(if: false) ...F @include(if: true) }
      }
      fragment F on Spacecraft @deprecated { ... @skip(if: false) { serialNumber } }
    """
    # The directives are counted before validation refuses the misplaced @deprecated.
    assert refusal(query, max_directives=6).errors == [
        {
            "message": "the operation uses 7 directives, more than the limit of 6",
            "extensions": {"code": "MAX_DIRECTIVES_EXCEEDED"},
        }
    ]
    assert code(query, max_directives=7) == "GRAPHQL_VALIDATION_FAILED"


def test_validation_errors_carry_no_suggestions_unless_asked() -> None:
    query = "{ spacecraft(ll2Id: 467) { nme } }"
    expected = {
        "locations": [{"line": 1, "column": 28}],
        "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
    }
    assert refusal(query).errors == [
        {"message": "Cannot query field 'nme' on type 'Spacecraft'.", **expected}
    ]
    assert refusal(query, suggestions=True).errors == [
        {
            "message": "Cannot query field 'nme' on type 'Spacecraft'. Did you mean 'name'?",
            **expected,
        }
    ]


def test_introspection_can_be_turned_off_but_typename_stays() -> None:
    assert refusal("{ __schema { queryType { name } } }", introspection=False).errors == [
        {
            "message": "GraphQL introspection has been disabled, but the requested query "
            f"contained the field '{field}'.",
            "locations": [{"line": 1, "column": column}],
            "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
        }
        for field, column in (("__schema", 3), ("queryType", 14))
    ]
    off = Limits(schema, LimitConfig(introspection=False))
    assert check("{ __typename spacecraft(ll2Id: 467) { __typename } }", limits=off).nodes == 0


def test_variables_that_do_not_fit_are_bad_user_input() -> None:
    found = refusal("query($n: Int!) { allSpacecraft(first: $n) { totalCount } }", {"n": "ten"})
    assert found.errors == [
        {
            "message": "Variable '$n' has invalid value: Int cannot represent non-integer "
            "value: 'ten'",
            "locations": [{"line": 1, "column": 7}],
            "extensions": {"code": "BAD_USER_INPUT"},
        }
    ]


@pytest.mark.parametrize(
    ("query", "variables", "argument", "value", "column"),
    [
        pytest.param(
            "{ allSpacecraft(first: 101) { totalCount } }", None, "first", 101, 17, id="first"
        ),
        pytest.param("{ allSpacecraft(last: -1) { totalCount } }", None, "last", -1, 17, id="last"),
        pytest.param(
            "query($n: Int) { allSpacecraft { nodes { flights(first: $n) { totalCount } } } }",
            {"n": 1_000_000},
            "first",
            1_000_000,
            50,
            id="variable-nested",
        ),
    ],
)
def test_first_and_last_are_between_0_and_100(
    query: str, variables: dict[str, Any] | None, argument: str, value: int, column: int
) -> None:
    assert refusal(query, variables).errors == [
        {
            "message": f"`{argument}` must be between 0 and 100, got {value}; page with the "
            "cursors in pageInfo instead",
            "locations": [{"line": 1, "column": column}],
            "extensions": {"code": "BAD_USER_INPUT"},
        }
    ]


def test_page_sizes_are_checked_in_fragments_too() -> None:
    query = "{ spacecraft(ll2Id: 467) { ...F } } fragment F on Spacecraft { flights(last: 500) { totalCount } }"
    assert code(query) == "BAD_USER_INPUT"
    assert check(query.replace("500", "100")).nodes == 100


# the cost ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "variables", "nodes"),
    [
        pytest.param(
            "{ spacecraft(ll2Id: 467) { name spacecraftConfig { name } } }", None, 0, id="lookup"
        ),
        pytest.param("{ allSpacecraft { totalCount } }", None, 10, id="default-page"),
        pytest.param("{ allSpacecraft(last: 3) { nodes { name } } }", None, 3, id="last"),
        pytest.param(
            "{ allSpacecraft(first: 100) { nodes { flights(first: 10) { nodes { ll2Id } } } } }",
            None,
            100 + 100 * 10,
            id="nested",
        ),
        pytest.param(
            "{ allSpacecraft(first: 5) { edges { node { flights { totalCount } } } nodes { flights(first: 2) { totalCount } } } }",
            None,
            5 + 5 * 10 + 5 * 2,
            id="edges-and-nodes",
        ),
        pytest.param(
            "query($n: Int) { a: allAgencies(first: $n) { nodes { name } } b: allLaunches(first: 1) { totalCount } }",
            {"n": 7},
            7 + 1,
            id="variables-summed",
        ),
        pytest.param(
            "{ spacecraft(ll2Id: 467) { ...F } x: spacecraft(ll2Id: 1) { ...F } } fragment F on Spacecraft { flights(first: 4) { totalCount } }",
            None,
            8,
            id="fragment-twice",
        ),
        pytest.param(
            '{ nodes(ids: ["a", "b", "c"]) { ... on Spacecraft { flights(first: 2) { totalCount } } } }',
            None,
            3 + 3 * 2,
            id="nodes-by-id",
        ),
        pytest.param(
            '{ node(id: "x") { ... on Agency { spacecraftConfigurations(first: 3) { nodes { spacecraft(first: 3) { totalCount } } } } } }',
            None,
            3 + 9,
            id="interface",
        ),
    ],
)
def test_the_cost_is_the_sum_of_page_products(
    query: str, variables: dict[str, Any] | None, nodes: int
) -> None:
    assert check(query, variables) == Cost(nodes, 50_000)


def test_connections_nested_100_deep_three_times_are_refused_with_their_cost() -> None:
    query = (
        "{ allAgencies(first: 100) { nodes { spacecraftConfigurations(first: 100) { nodes { "
        "spacecraft(first: 100) { nodes { name } } } } } } }"
    )
    found = refusal(query)
    assert found.errors == [
        {
            "message": "the operation may ask for 1010100 nodes (the product of `first`/`last`, "
            "10 when omitted, down each path of nested connections, summed), more than the "
            "limit of 50000; ask for smaller pages or fewer nested connections",
            "extensions": {"code": "COST_LIMIT_EXCEEDED"},
        }
    ]
    assert found.extensions == {"cost": {"nodes": 1_010_100, "limit": 50_000}}
    assert check(query.replace("100", "10")).nodes == 10 + 10 * 10 + 10 * 10 * 10


# precedence --------------------------------------------------------------------------------


def test_when_several_limits_apply_the_first_in_order_gives_the_code() -> None:
    """Each document breaks every limit from its own onwards; its own must be the one named."""
    deep = nest(20)
    aliases = " ".join(f"a{i}: __typename" for i in range(40))
    directives = "@skip(if: false) " * 60
    unknown = "nope"
    huge_page = "allSpacecraft(first: 1000) { nodes { name } }"
    costly = (
        "allAgencies(first: 100) { nodes { spacecraftConfigurations(first: 100) { nodes { "
        "spacecraft(first: 100) { nodes { name } } } } } }"
    )
    cases = [
        ("COST_LIMIT_EXCEEDED", f"{{ {costly} }}"),
        ("BAD_USER_INPUT", f"{{ {huge_page} {costly} }}"),
        ("GRAPHQL_VALIDATION_FAILED", f"{{ {unknown} {huge_page} {costly} }}"),
        (
            "MAX_DIRECTIVES_EXCEEDED",
            f"{{ __typename {directives} {unknown} {huge_page} {costly} }}",
        ),
        (
            "MAX_ALIASES_EXCEEDED",
            f"{{ {aliases} __typename {directives} {unknown} {huge_page} {costly} }}",
        ),
        (
            "MAX_DEPTH_EXCEEDED",
            f"{{ spacecraft(ll2Id: 1) {{ {deep} }} {aliases} __typename {directives} {unknown} {huge_page} {costly} }}",
        ),
    ]
    many_tokens = " __typename" * 5_000
    last = cases[-1][1]
    cases.append(("MAX_TOKENS_EXCEEDED", last[:-1] + many_tokens + " }"))
    cases.append(("QUERY_TOO_LARGE", last[:-1] + many_tokens * 2 + " }"))
    for expected, query in cases:
        assert code(query) == expected, query[:120]


# documents built to make a naive check explode ---------------------------------------------


def test_fragments_doubling_sixty_times_are_measured_once_each() -> None:
    fragments = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(60))
    query = (
        "{ ...F0 } "
        + fragments
        + " fragment F60 on Query { allSpacecraft(first: 1) { totalCount } }"
    )
    found = refusal(query)
    assert found.extensions == {"cost": {"nodes": 2**60, "limit": 50_000}}
    aliased = query.replace("allSpacecraft(first: 1) { totalCount }", "a: __typename")
    assert refusal(aliased).errors[0]["message"].startswith(f"the operation uses {2**60} aliases")


def test_circular_fragments_are_a_validation_error() -> None:
    query = "{ ...A } fragment A on Query { ...B } fragment B on Query { __typename ...A }"
    assert refusal(query).errors == [
        {
            "message": "Cannot spread fragment 'A' within itself via 'B'.",
            "locations": [{"line": 1, "column": 32}, {"line": 1, "column": 72}],
            "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
        }
    ]


def test_fields_repeated_to_overload_validation_are_refused() -> None:
    query = "{ " + "allSpacecraft { nodes { spacecraftConfig { family { name } } } } " * 300 + "}"
    assert count_tokens(query, 5_000) < 5_000
    assert refusal(query).errors == [
        {"message": TOO_COMPLEX, "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}
    ]


# the rate ----------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_the_rate_limiter_is_a_bucket_of_nodes_per_minute_per_client() -> None:
    clock = Clock()
    rate = RateLimiter(100, clock=clock)
    assert [rate.wait("a", 40), rate.wait("a", 40)] == [0, 0]
    assert rate.wait("a", 40) == pytest.approx(12.0)  # 20 left; 20 more take 12 s
    assert rate.wait("b", 100) == 0  # another client, another bucket
    clock.now += 12
    assert rate.wait("a", 40) == 0
    assert rate.wait("a", 1) == pytest.approx(0.6)
    clock.now += 600
    assert rate.wait("a", 100) == 0  # refilled, never above the budget
    assert rate.wait("a", 1) == pytest.approx(0.6)


def test_a_refusal_names_the_budget_and_says_when_to_retry() -> None:
    clock = Clock()
    rate = RateLimiter(100, clock=clock)
    assert rate.check("a", Cost(0, 50_000)) is None  # even a free operation costs 1
    assert rate.check("a", Cost(99, 50_000)) is None
    refused = rate.check("a", Cost(30, 50_000))
    assert refused is not None
    assert (refused.status, refused.headers, refused.extensions) == (
        429,
        {"Retry-After": "18"},
        {"cost": {"nodes": 30, "limit": 50_000}},
    )
    assert refused.errors == [
        {
            "message": "rate limit reached: a client may spend 100 nodes a minute, and this "
            "operation costs 30; retry in 18 s",
            "extensions": {"code": "RATE_LIMITED"},
        }
    ]
    too_big = rate.check("b", Cost(101, 50_000))
    assert too_big is not None and too_big.headers == {"Retry-After": "60"}
    assert too_big.errors[0]["message"].startswith("this operation costs 101 nodes, more than")


def test_the_rate_limiter_forgets_the_least_recent_client_first() -> None:
    rate = RateLimiter(10, max_clients=2, clock=Clock())
    rate.wait("a", 10)
    rate.wait("b", 10)
    rate.wait("c", 10)  # "a" is forgotten: its bucket is full again
    assert rate.wait("a", 10) == 0
    assert rate.wait("c", 1) > 0


def test_limits_charge_the_client_the_operations_cost() -> None:
    limits = Limits(schema, LimitConfig(rate_limit=25))
    query = "{ allSpacecraft(first: 20) { totalCount } }"
    assert check(query, limits=limits, client="192.0.2.1").nodes == 20
    assert check(query, limits=limits).nodes == 20  # no client (in process): never charged
    with pytest.raises(Rejected) as raised:
        check(query, limits=limits, client="192.0.2.1")
    assert raised.value.status == 429
    assert check(query, limits=limits, client="192.0.2.2").nodes == 20
