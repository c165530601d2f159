"""Differential fuzzing: generated queries give the same data through the compiled path and
through the resolvers."""

from __future__ import annotations

import asyncio
import datetime as dt
import os

import isodate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.schema import schema
from tests.support.differential import both_paths

EXAMPLES = int(os.environ.get("GATEWAY_FUZZ_EXAMPLES", "1000"))

CUSTOM_SCALARS = {
    "Duration": st.timedeltas(
        min_value=dt.timedelta(days=-3), max_value=dt.timedelta(days=900)
    ).map(lambda d: nodes.String(isodate.duration_isoformat(d))),
    "DateTime": st.datetimes(
        min_value=dt.datetime(1950, 1, 1), max_value=dt.datetime(2040, 1, 1)
    ).map(lambda d: nodes.String(d.isoformat() + "Z")),
    "Date": st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2040, 1, 1)).map(
        lambda d: nodes.String(d.isoformat())
    ),
    "UUID": st.uuids().map(lambda u: nodes.String(str(u))),
}

ROOT_FIELDS = [
    "allSpacecraft",
    "allSpacecraftConfigurations",
    "allSpacecraftFamilies",
    "allAgencies",
    "allSpacecraftFlights",
    "allAstronauts",
    "allLaunches",
    "spacecraft",
    "spacecraftConfiguration",
    "spacecraftFamily",
    "agency",
    "spacecraftFlight",
    "astronaut",
    "launch",
]

GENERATED = queries(
    schema.as_str(), fields=ROOT_FIELDS, custom_scalars=CUSTOM_SCALARS, allow_x00=False
)


async def test_generated_queries_agree(unicode_reader: AsyncEngine) -> None:
    loop = asyncio.get_running_loop()
    compared = {"n": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(query=GENERATED)
    def check(query: str) -> None:
        # Hypothesis drives from a worker thread; the queries run on the test's event loop.
        both = asyncio.run_coroutine_threadsafe(_both(unicode_reader, query), loop).result()
        if both is not None:
            compiled, resolved = both
            assert compiled == resolved, query
            compared["n"] += 1

    await asyncio.to_thread(check)
    assert compared["n"] > EXAMPLES // 4, (
        f"only {compared['n']} of {EXAMPLES} generated queries compiled"
    )


async def _both(engine: AsyncEngine, query: str) -> tuple[object, object] | None:
    from graphql import parse, validate

    document = parse(query)
    if validate(schema._schema, document):
        return None
    try:
        return await both_paths(engine, query)
    except AssertionError as e:
        if "BAD_USER_INPUT" in str(e) or "must be between" in str(e):
            return None
        raise
