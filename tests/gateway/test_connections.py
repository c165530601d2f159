"""Connection arguments: page sizes, cursors, and their errors."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.support.graphql import data, errors

PAGE = (
    "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ll2Id } }"
)


async def _page(engine: AsyncEngine, args: str) -> dict[str, Any]:
    arguments = f"({args})" if args else ""
    query = f"{{ allSpacecraft{arguments} {{ {PAGE} }} }}"
    got: dict[str, Any] = (await data(engine, query))["allSpacecraft"]
    return got


async def test_default_page_is_ten_by_id(reader: AsyncEngine) -> None:
    page = await _page(reader, "")
    ids = [e["node"]["ll2Id"] for e in page["edges"]]
    assert ids == [36, 40, 89, 96, 120, 121, 122, 147, 158, 194]
    assert page["pageInfo"]["hasNextPage"] is True and page["pageInfo"]["hasPreviousPage"] is False
    assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
    assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]


@pytest.mark.parametrize(
    "order",
    [
        "",
        "orderBy: [{field: FLIGHTS_COUNT, direction: DESC}, {field: NAME}]",
        "orderBy: [{field: TIME_DOCKED}]",
    ],
)
async def test_walking_forward_and_backward_visits_everything_once(
    reader: AsyncEngine, order: str
) -> None:
    everything = [e["node"]["ll2Id"] for e in (await _page(reader, f"first: 100 {order}"))["edges"]]
    forward: list[int] = []
    cursor = None
    while True:
        after = f', after: "{cursor}"' if cursor else ""
        page = await _page(reader, f"first: 7 {order}{after}")
        forward += [e["node"]["ll2Id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        cursor = page["pageInfo"]["endCursor"]
    backward: list[int] = []
    cursor = None
    while True:
        before = f', before: "{cursor}"' if cursor else ""
        page = await _page(reader, f"last: 6 {order}{before}")
        backward = [e["node"]["ll2Id"] for e in page["edges"]] + backward
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        cursor = page["pageInfo"]["startCursor"]
    assert forward == everything == backward
    assert len(everything) == 31


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            "first: 101",
            "`first` must be between 0 and 100, got 101; page with the cursors in pageInfo instead",
        ),
        (
            "first: -1",
            "`first` must be between 0 and 100, got -1; page with the cursors in pageInfo instead",
        ),
        (
            "last: 1000",
            "`last` must be between 0 and 100, got 1000; page with the cursors in pageInfo instead",
        ),
        ("first: 1, last: 1", "give `first` or `last`, not both"),
        ('after: "garbage"', "`after` is not a cursor this API made: 'garbage'"),
        ('before: "WzEsIngiXQ"', "`before` is not a cursor this API made: 'WzEsIngiXQ'"),
    ],
)
async def test_bad_arguments_are_clear_errors(reader: AsyncEngine, args: str, message: str) -> None:
    assert await errors(reader, f"{{ allSpacecraft({args}) {{ totalCount }} }}") == [
        {"message": message, "code": "BAD_USER_INPUT"}
    ]


async def test_a_cursor_of_another_connection_or_ordering_is_refused(reader: AsyncEngine) -> None:
    configs = await data(
        reader, "{ allSpacecraftConfigurations(first: 1) { pageInfo { endCursor } } }"
    )
    foreign = configs["allSpacecraftConfigurations"]["pageInfo"]["endCursor"]
    assert await errors(reader, f'{{ allSpacecraft(after: "{foreign}") {{ totalCount }} }}') == [
        {
            "message": "`after` is a cursor of a SpacecraftConfiguration connection, not of Spacecraft",
            "code": "BAD_USER_INPUT",
        }
    ]
    by_name = (await _page(reader, "first: 1, orderBy: [{field: NAME}]"))["pageInfo"]["endCursor"]
    assert await errors(reader, f'{{ allSpacecraft(after: "{by_name}") {{ totalCount }} }}') == [
        {
            "message": "`after` was made for the ordering name:asc,id:asc, but this request orders by "
            "id:asc; use the same orderBy to page on",
            "code": "BAD_USER_INPUT",
        }
    ]


async def test_first_zero_gives_an_empty_page_that_knows_more_exist(reader: AsyncEngine) -> None:
    got = await data(
        reader,
        "{ allSpacecraft(first: 0) { totalCount nodes { ll2Id } pageInfo { hasNextPage } } }",
    )
    assert got == {
        "allSpacecraft": {"totalCount": 31, "nodes": [], "pageInfo": {"hasNextPage": True}}
    }


async def test_nested_connections_page_per_parent(reader: AsyncEngine) -> None:
    got = await data(
        reader,
        '{ allSpacecraftConfigurations(filter: {agency: {abbrev: {eq: "RFSA"}}}, '
        "orderBy: [{field: NAME}], first: 3) { nodes { name spacecraft(first: 1, orderBy: "
        "[{field: NAME, direction: DESC}]) { totalCount pageInfo { hasNextPage } nodes { name } } } } }",
    )
    assert got == {
        "allSpacecraftConfigurations": {
            "nodes": [
                {
                    "name": "Progress 7K-TG",
                    "spacecraft": {
                        "totalCount": 2,
                        "pageInfo": {"hasNextPage": True},
                        "nodes": [{"name": "Progress 16"}],
                    },
                },
                {
                    "name": "Progress-M",
                    "spacecraft": {
                        "totalCount": 2,
                        "pageInfo": {"hasNextPage": True},
                        "nodes": [{"name": "Progress M-35"}],
                    },
                },
                {
                    "name": "Progress-MS",
                    "spacecraft": {
                        "totalCount": 3,
                        "pageInfo": {"hasNextPage": True},
                        "nodes": [{"name": "Progress MS-31"}],
                    },
                },
            ]
        }
    }
