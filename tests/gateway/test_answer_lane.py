"""The answer lane (`gateway.http.lane`): a request asked again with the same bytes is answered
from the caches before routing, never with old data, shaped and charged as the view's answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.caching.known import Known, KnownRequests
from gateway.http import view as view_module
from gateway.http.request import RawRequest
from gateway.limits.cost import Cost
from tests.gateway.conftest import ServeApp
from tests.support.caching import CRAFT, CRAFT_ID, CRAFT_NAME, craft_body, graphql_view
from tests.support.data import rename_spacecraft
from tests.support.live import LiveServer

BODY = {"query": CRAFT, "variables": {"id": CRAFT_ID}}
# Headers every answer has its own value of.
OWN = {"date", "x-request-id"}
JSON = "application/json"


def _post(server: LiveServer, body: dict[str, Any] = BODY, **headers: str) -> httpx.Response:
    return httpx.post(f"{server.url}/graphql", json=body, headers=headers)


def _shared_headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k not in OWN}


def _known(server: LiveServer) -> KnownRequests:
    replay = graphql_view(server).replay
    assert replay is not None, "the lane is off"
    return replay.known


def test_a_known_request_is_answered_without_being_parsed_again(
    serve_app: ServeApp, shared_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = serve_app(schema=None, database_url=shared_url)
    first = _post(server)
    assert len(_known(server)) == 1

    def no_parsing(*_: object) -> None:
        raise AssertionError("the request was parsed again")

    monkeypatch.setattr(view_module, "prepare", no_parsing)
    again = _post(server)
    other = _post(server, {"query": CRAFT, "variables": {"id": 1}})  # not known: the view runs
    assert (first.status_code, again.status_code, other.status_code) == (200, 200, 500)
    assert again.content == first.content
    assert again.json() == craft_body(CRAFT_NAME)


async def test_a_known_request_after_an_import_gets_the_new_data(
    serve_app: ServeApp, bundled_url: str, bundled_engine: AsyncEngine, tmp_path: Path
) -> None:
    server = serve_app(database_url=bundled_url, schema=None)
    async with httpx.AsyncClient() as client:
        url = f"{server.url}/graphql"
        before = [(await client.post(url, json=BODY)).json() for _ in range(2)]
        await rename_spacecraft(bundled_engine, CRAFT_ID, "Shenzhou 13 (renamed)", tmp_path)
        after = [(await client.post(url, json=BODY)).json() for _ in range(2)]
    assert before == [craft_body(CRAFT_NAME)] * 2
    assert after == [craft_body("Shenzhou 13 (renamed)")] * 2
    assert len(_known(server)) == 1  # the same request, known across the change


def test_its_answers_have_the_headers_the_view_gives(serve_app: ServeApp, shared_url: str) -> None:
    server = serve_app(schema=None, database_url=shared_url)
    headers = {"Origin": "https://app.example", "Accept-Encoding": "gzip"}
    by_view, by_lane = _post(server, **headers), _post(server, **headers)
    assert _shared_headers(by_lane) == _shared_headers(by_view)
    assert by_lane.content == by_view.content
    assert by_lane.headers["x-request-id"] != by_view.headers["x-request-id"]

    url = f"{server.url}/graphql"
    params = {"query": CRAFT, "variables": f'{{"id": {CRAFT_ID}}}'}
    get_view, get_lane = (httpx.get(url, params=params, headers=headers) for _ in range(2))
    assert _shared_headers(get_lane) == _shared_headers(get_view)
    assert get_lane.headers["etag"].startswith('"')
    revalidated = httpx.get(
        url, params=params, headers={**headers, "If-None-Match": get_lane.headers["etag"]}
    )
    assert revalidated.status_code == 304
    assert revalidated.headers["etag"] == get_lane.headers["etag"]
    assert revalidated.headers["access-control-allow-origin"] == "*"
    assert len(_known(server)) == 2  # the POST and the GET


def test_it_charges_the_rate_limit_as_the_view_does(serve_app: ServeApp, shared_url: str) -> None:
    server = serve_app(schema=None, database_url=shared_url, rate_limit=3)
    # One node each: the view answers the first, the lane the next two, then the budget is spent.
    codes = [_post(server).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = _post(server)
    assert refused.json()["errors"][0]["extensions"] == {"code": "RATE_LIMITED"}


def test_failed_answers_are_not_remembered(serve_app: ServeApp, shared_url: str) -> None:
    server = serve_app(schema=None, database_url=shared_url)
    bad_cursor = {"query": '{ allSpacecraft(first: 1, after: "nonsense") { totalCount } }'}
    answers = [_post(server, bad_cursor) for _ in range(2)]
    assert all("errors" in a.json() for a in answers)
    assert len(_known(server)) == 0


def test_a_body_the_lane_cannot_read_fails_as_the_view_says(http_server: LiveServer) -> None:
    response = httpx.post(
        f"{http_server.url}/graphql", content=b"{not json", headers={"Content-Type": JSON}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("the request body is not valid JSON")


@pytest.mark.parametrize(
    "settings", [{"debug": True}, {"cache": False}], ids=["debug", "caches off"]
)
def test_there_is_no_lane_without_caches_or_in_debug(
    serve_app: ServeApp, shared_url: str, settings: dict[str, Any]
) -> None:
    server = serve_app(schema=None, database_url=shared_url, **settings)
    assert graphql_view(server).replay is None
    assert [_post(server).status_code for _ in range(2)] == [200, 200]


def test_known_requests_keep_the_most_recently_used() -> None:
    known = KnownRequests(max_entries=2)
    entry = Known(b"digest", Cost(1, 10), None)
    a, b, c = (RawRequest("POST", data).fingerprint for data in (b"a", b"b", b"c"))
    known.put(a, entry)
    known.put(b, entry)
    assert known.get(a) == entry  # now b is the oldest
    known.put(c, entry)
    assert (known.get(a), known.get(b), known.get(c), len(known)) == (entry, None, entry, 2)


def test_a_fingerprint_is_of_the_method_and_the_bytes() -> None:
    prints = {
        RawRequest(method, data).fingerprint
        for method in ("GET", "POST")
        for data in (b"query=x", b"query=y")
    }
    assert len(prints) == 4
    assert RawRequest("GET", b"q").fingerprint == RawRequest("GET", b"q").fingerprint
