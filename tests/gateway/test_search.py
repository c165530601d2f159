"""Search: every term must match one of LL2's search fields, ignoring case across Unicode."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.gateway.test_limits import check, refusal
from tests.support.graphql import data


async def _names(engine: AsyncEngine, connection: str, search: str, extra: str = "") -> list[str]:
    query = f"query($s: String) {{ {connection}(first: 100, search: $s{extra}) {{ nodes {{ name }} }} }}"
    return [n["name"] for n in (await data(engine, query, {"s": search}))[connection]["nodes"]]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        pytest.param("союз", ["Союз ТМА-22"], id="cyrillic-lower"),
        pytest.param("СОЮЗ тма", ["Союз ТМА-22"], id="cyrillic-upper-two-terms"),
        pytest.param("élan", ["Ariane Élan", "ÉLAN Straße"], id="accented-lower"),
        pytest.param("ÉLAN", ["Ariane Élan", "ÉLAN Straße"], id="accented-upper"),
        pytest.param("elan", [], id="accents-still-count"),
        pytest.param("STRASSE", ["ÉLAN Straße"], id="sharp-s-folds-to-ss"),
        pytest.param(
            "soyuz tm",
            ["Soyuz TMA-4", "Soyuz TM-34", "Soyuz TM-10", "Soyuz TM-9", "Soyuz TM-8"],
            id="every-term-must-match",
        ),
        pytest.param("automated transfer", ["Albert Einstein ATV"], id="configuration-name"),
        pytest.param("  ", None, id="blank-is-no-search"),
    ],
)
async def test_spacecraft_search(
    unicode_reader: AsyncEngine, search: str, expected: list[str] | None
) -> None:
    got = await _names(unicode_reader, "allSpacecraft", search)
    if expected is None:
        assert len(got) == 34
    else:
        assert got == expected


async def test_search_combines_with_filter_and_ordering(reader: AsyncEngine) -> None:
    got = await _names(
        reader,
        "allSpacecraft",
        "progress",
        ', filter: {spacecraftConfig: {name: {eq: "Progress-MS"}}}, orderBy: [{field: NAME, direction: DESC}]',
    )
    assert got == ["Progress MS-31", "Progress MS-14", "Progress MS-08"]


@pytest.mark.parametrize(
    ("connection", "search", "expected"),
    [
        pytest.param(
            "allSpacecraftConfigurations",
            "spx",
            ["Cargo Dragon 2"],
            id="configuration-agency-abbrev",
        ),
        pytest.param(
            "allSpacecraftConfigurations",
            "arianespace",
            ["Automated Transfer Vehicle (ATV)"],
            id="configuration-agency-name",
        ),
        pytest.param(
            "allSpacecraftFamilies", "okb-1", ["Soyuz", "Progress"], id="family-manufacturer-abbrev"
        ),
        pytest.param("allSpacecraftFamilies", "dragon", ["Dragon", "Dragon 2"], id="family-name"),
        pytest.param(
            "allAgencies",
            "china",
            [
                "China National Space Administration",
                "China Aerospace Science and Technology Corporation",
            ],
            id="agency-name",
        ),
        pytest.param(
            "allAgencies", "rfsa", ["Russian Federal Space Agency (ROSCOSMOS)"], id="agency-abbrev"
        ),
        pytest.param("allAstronauts", "BYKOVSKY", ["Valery Bykovsky"], id="astronaut-name"),
        pytest.param("allLaunches", "vostok 5", ["Vostok-K | Vostok 5"], id="launch-name"),
    ],
)
async def test_search_on_other_connections(
    reader: AsyncEngine, connection: str, search: str, expected: list[str]
) -> None:
    assert await _names(reader, connection, search) == expected


async def test_flight_search_uses_spacecraft_and_launch_names(reader: AsyncEngine) -> None:
    query = "query($s: String) { allSpacecraftFlights(search: $s) { nodes { ll2Id } } }"
    for search, expected in (("vostok-3ka", [358]), ("vostok-k", [358]), ("soyuz", [])):
        got = await data(reader, query, {"s": search})
        assert [n["ll2Id"] for n in got["allSpacecraftFlights"]["nodes"]] == expected


# bounds ------------------------------------------------------------------------------------

SEARCH = "query($s: String) { allSpacecraft(search: $s) { totalCount } }"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            " ".join(f"w{i}" for i in range(10_000)),
            "`search` holds more than 16 words, the most a search takes; search for fewer",
            id="10000-words",
        ),
        pytest.param(
            " ".join(["\U0001f680"] * 200_000),
            "`search` holds more than 16 words, the most a search takes; search for fewer",
            id="200000-emoji-words",
        ),
        pytest.param(
            "\U0001f680" * 250_000,
            "a word of `search` is 250000 characters long; a search takes words of 100 "
            "characters at most",
            id="one-word-of-1-mb-of-emoji",
        ),
    ],
)
def test_a_search_too_large_is_refused_before_it_runs(text: str, message: str) -> None:
    assert refusal(SEARCH, {"s": text}).errors == [
        {
            "message": message,
            "locations": [{"line": 1, "column": 35}],
            "extensions": {"code": "BAD_USER_INPUT"},
        }
    ]


def test_a_search_at_its_bounds_passes_the_limits() -> None:
    check(SEARCH, {"s": " ".join(["x" * 100] * 16)})
