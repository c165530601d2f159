"""LL2 parity: a query selecting every field gives LL2's values, for every sample object."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import TokenKind
from graphql.language import Lexer, Source
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.support.data import sample_flight, sample_spacecraft
from tests.support.graphql import data
from tests.support.ll2_queries import selection, to_ll2, without_meta

# Images the prod and dev samples give with different hosts: the store keeps the later file's.
LATER_FILE_IMAGE_URLS = {
    1926: "https://thespacedevs-dev.nyc3.digitaloceanspaces.com/media/images/",
    1924: "https://thespacedevs-dev.nyc3.digitaloceanspaces.com/media/images/",
}


def _later_file_hosts(value: Any) -> Any:
    """The sample with image URLs as the later (dev) file gave them, for the images both give."""
    if isinstance(value, list):
        return [_later_file_hosts(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: _later_file_hosts(v) for k, v in value.items()}
    if out.get("id") in LATER_FILE_IMAGE_URLS and "thumbnail_url" in out:
        for key in ("image_url", "thumbnail_url"):
            out[key] = out[key].replace(
                "https://thespacedevs-prod.nyc3.digitaloceanspaces.com/media/images/",
                LATER_FILE_IMAGE_URLS[out["id"]],
            )
    return out


def token_count(query: str) -> int:
    lexer = Lexer(Source(query))
    count = 0
    while lexer.advance().kind is not TokenKind.EOF:
        count += 1
    return count


@pytest.mark.parametrize("sample", sample_spacecraft(), ids=lambda s: f"spacecraft-{s['id']}")
async def test_every_field_of_each_sample_spacecraft(
    reader: AsyncEngine, sample: dict[str, Any]
) -> None:
    query = f"{{ spacecraft(ll2Id: {sample['id']}) {{ {selection('SpacecraftNormal')} }} }}"
    got = (await data(reader, query))["spacecraft"]
    expected = without_meta("SpacecraftNormal", _later_file_hosts(sample))
    assert to_ll2("SpacecraftNormal", got) == expected


async def test_every_field_of_the_detailed_sample_flight(reader: AsyncEngine) -> None:
    flight = sample_flight()
    query = f"{{ spacecraftFlight(ll2Id: {flight['id']}) {{ {selection('SpacecraftFlightDetailed')} }} }}"
    got = (await data(reader, query))["spacecraftFlight"]
    assert to_ll2("SpacecraftFlightDetailed", got) == without_meta(
        "SpacecraftFlightDetailed", flight
    )


def test_a_whole_detailed_flight_fits_the_token_limit() -> None:
    query = f"{{ spacecraftFlight(ll2Id: 358) {{ {selection('SpacecraftFlightDetailed')} }} }}"
    assert token_count(query) < 5000
