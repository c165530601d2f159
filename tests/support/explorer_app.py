"""A minimal gateway for the explorer's tests, until `gateway.app.create_app` is merged.

It wires the explorer the way the real app does (the page at /graphql for a browser, the files
at /explorer/static) in front of a real GraphQL endpoint: a small strawberry schema, with
descriptions, over the spacecraft read from the test's database through `db/`. It answers the
fields the example query asks for, and nothing else.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL

from db.engine import create_engine
from db.graph import load_graph
from db.render import Renderer
from gateway.explorer import explorer_response, static_app

GRAPHQL_PATH = "/graphql"
STATIC_PATH = "/explorer/static"


@strawberry.type(description="The state of a spacecraft (active, retired, destroyed, ...).")
class SpacecraftStatus:
    name: str = strawberry.field(description="Name of the status.")


@strawberry.type(description="A space agency, company or organisation.")
class Agency:
    name: str = strawberry.field(description="Name of the agency.")
    abbrev: str | None = strawberry.field(description="Abbreviation of the agency's name.")


@strawberry.type(description="A model of spacecraft that spacecraft are built to.")
class SpacecraftConfiguration:
    name: str = strawberry.field(description="Name of the configuration.")
    agency: Agency = strawberry.field(description="Agency responsible for the configuration.")


@strawberry.type(description="An individual spacecraft and its flight record.")
class Spacecraft:
    name: str = strawberry.field(description="Name of the spacecraft.")
    serial_number: str | None = strawberry.field(description="Serial number of the spacecraft.")
    status: SpacecraftStatus = strawberry.field(description="Status of the spacecraft.")
    spacecraft_config: SpacecraftConfiguration = strawberry.field(
        description="The configuration the spacecraft is built to."
    )
    time_in_space: str | None = strawberry.field(
        description="Total time the spacecraft has spent in space, ISO 8601."
    )


@strawberry.type(description="A page of spacecraft.")
class SpacecraftConnection:
    total_count: int = strawberry.field(description="Spacecraft matching, on all pages.")
    nodes: list[Spacecraft] = strawberry.field(description="The spacecraft on this page.")


def _spacecraft(ll2: dict[str, Any]) -> Spacecraft:
    config = ll2["spacecraft_config"]
    return Spacecraft(
        name=ll2["name"],
        serial_number=ll2["serial_number"],
        status=SpacecraftStatus(name=ll2["status"]["name"]),
        spacecraft_config=SpacecraftConfiguration(
            name=config["name"],
            agency=Agency(name=config["agency"]["name"], abbrev=config["agency"]["abbrev"]),
        ),
        time_in_space=ll2["time_in_space"],
    )


def _all(info: strawberry.Info) -> dict[int, Spacecraft]:
    request: Request = info.context["request"]
    spacecraft: dict[int, Spacecraft] = request.app.state.spacecraft
    return spacecraft


@strawberry.type(description="Spacecraft of The Space Devs' Launch Library 2.")
class Query:
    @strawberry.field(description="Spacecraft, in order of their LL2 id.")
    def all_spacecraft(self, info: strawberry.Info, first: int = 10) -> SpacecraftConnection:
        spacecraft = _all(info)
        ordered = [spacecraft[k] for k in sorted(spacecraft)]
        return SpacecraftConnection(total_count=len(ordered), nodes=ordered[:first])

    @strawberry.field(description="One spacecraft by its LL2 id, or null.")
    def spacecraft(self, info: strawberry.Info, ll2_id: int) -> Spacecraft | None:
        return _all(info).get(ll2_id)


SCHEMA = strawberry.Schema(query=Query)


async def _read_spacecraft(database_url: str) -> dict[int, Spacecraft]:
    engine = create_engine(database_url, read_only=True)
    try:
        async with engine.connect() as conn:
            graph = await load_graph(conn)
    finally:
        await engine.dispose()
    renderer = Renderer(graph)
    return {
        ident: _spacecraft(renderer.render("spacecraft", ident, "SpacecraftNormal"))
        for ident in graph.rows["spacecraft"]
    }


class _GraphQLOrExplorer:
    """The explorer page for a browser's GET, the GraphQL endpoint for everything else."""

    def __init__(self) -> None:
        self.graphql: ASGIApp = GraphQL(SCHEMA, graphql_ide=None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
            page = explorer_response(graphql_path=GRAPHQL_PATH, static_path=STATIC_PATH)
            await page(scope, receive, send)
            return
        await self.graphql(scope, receive, send)


def create_explorer_app(database_url: str) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.spacecraft = await _read_spacecraft(database_url)
        yield

    return Starlette(
        routes=[
            Route(GRAPHQL_PATH, _GraphQLOrExplorer(), methods=["GET", "POST"]),
            Mount(STATIC_PATH, app=static_app()),
        ],
        lifespan=lifespan,
    )
