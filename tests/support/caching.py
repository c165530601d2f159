"""Looking at a live gateway's caches from its test, and asking it the usual questions."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.routing import Route

from gateway.caching.results import ResultCache
from gateway.http.view import GraphQLView
from tests.support.bodies import answer
from tests.support.live import LiveServer

CRAFT = "query Craft($id: Int!) { spacecraft(ll2Id: $id) { name } }"
CRAFT_ID = 467  # Shenzhou 13 in the bundled dataset
CRAFT_NAME = "Shenzhou 13"


def graphql_view(server: LiveServer) -> GraphQLView:
    routes = getattr(server.app, "routes", [])
    (view,) = [r.endpoint for r in routes if isinstance(r, Route) and r.path == "/graphql"]
    assert isinstance(view, GraphQLView)
    return view


def result_cache(server: LiveServer) -> ResultCache:
    results = graphql_view(server).caching.results
    assert results is not None, "the result cache is off"
    return results


def statements(response: httpx.Response) -> int:
    """The SQL statements a debug server says the request ran."""
    count: int = response.json()["extensions"]["sql"]["statements"]
    return count


def craft_body(name: str) -> dict[str, Any]:
    return answer({"spacecraft": {"name": name}})


def without_sql(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload without the debug report, whose timing changes from request to request."""
    rest = {k: v for k, v in payload.get("extensions", {}).items() if k != "sql"}
    out = {k: v for k, v in payload.items() if k != "extensions"}
    return out | ({"extensions": rest} if rest else {})
