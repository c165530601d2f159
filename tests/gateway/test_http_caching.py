"""HTTP caching of GET answers, on both backends: ETag, Cache-Control, Vary and 304.

The ETag comes from the dataset's version and the request, so a 304 needs no execution and no
result cache (their counters stay still), and an import turns the next revalidation into a 200
with the new data and a new tag.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.gateway.conftest import ServeApp
from tests.support.caching import (
    CRAFT,
    CRAFT_ID,
    CRAFT_NAME,
    craft_body,
    graphql_view,
    result_cache,
)
from tests.support.data import rename_spacecraft
from tests.support.live import LiveServer

PARAMS = {"query": CRAFT, "variables": f'{{"id": {CRAFT_ID}}}'}
JSON = {"Accept": "application/json"}
VARY = "Accept, Accept-Encoding, Origin"  # Origin: the CORS middleware's, on every answer
MANY = "{ allSpacecraft(first: 30) { nodes { ll2Id name description } } }"


def _get(
    server: LiveServer, headers: dict[str, str] | None = None, **params: str
) -> httpx.Response:
    return httpx.get(
        f"{server.url}/graphql", params=params or PARAMS, headers={**JSON, **(headers or {})}
    )


async def test_revalidation_is_304_until_an_import_makes_it_200(
    serve_app: ServeApp, bundled_url: str, bundled_engine: AsyncEngine, tmp_path: Path
) -> None:
    server = serve_app(database_url=bundled_url, schema=None)
    first = _get(server)
    assert first.status_code == 200 and first.json() == craft_body(CRAFT_NAME)
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert first.headers["cache-control"] == "public, max-age=0"
    assert first.headers["vary"] == VARY

    cache = result_cache(server)
    counters = (cache.hits, cache.misses)
    unchanged = _get(server, {"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert {k: unchanged.headers[k] for k in ("etag", "cache-control", "vary")} == {
        "etag": etag,
        "cache-control": "public, max-age=0",
        "vary": VARY,
    }
    assert (cache.hits, cache.misses) == counters  # answered before the result cache

    version = await rename_spacecraft(bundled_engine, CRAFT_ID, "Shenzhou 13 (renamed)", tmp_path)
    changed = _get(server, {"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json() == craft_body("Shenzhou 13 (renamed)")
    new_etag = changed.headers["etag"]
    assert new_etag != etag and new_etag.startswith(f'"{version}-')
    assert _get(server, {"If-None-Match": f'"other", {new_etag}'}).status_code == 304


def test_the_etag_follows_the_request(serve_app: ServeApp, shared_url: str) -> None:
    server = serve_app(database_url=shared_url, schema=None)
    base = _get(server).headers["etag"]
    other_variables = _get(server, query=CRAFT, variables='{"id": 147}').headers["etag"]
    reordered = _get(server, query=CRAFT, variables=f'{{ "id" : {CRAFT_ID} }}').headers["etag"]
    named = _get(server, query=CRAFT, variables=PARAMS["variables"], operationName="Craft")
    other_media = _get(server, {"Accept": "application/graphql-response+json"})
    assert reordered == base  # the same variables, written differently
    assert len({base, other_variables, named.headers["etag"], other_media.headers["etag"]}) == 4
    # A tag for another request is no match.
    assert _get(server, {"If-None-Match": other_variables}).status_code == 200


def test_compressed_answers_have_weak_tags_that_revalidate(
    serve_app: ServeApp, shared_url: str
) -> None:
    server = serve_app(database_url=shared_url, schema=None)
    gzip_headers = {"Accept-Encoding": "gzip"}
    big = httpx.get(
        f"{server.url}/graphql", params={"query": MANY}, headers={**JSON, **gzip_headers}
    )
    assert big.status_code == 200 and big.headers["content-encoding"] == "gzip"
    assert len(big.json()["data"]["allSpacecraft"]["nodes"]) == 30  # httpx decompressed it
    weak = big.headers["etag"]
    assert weak.startswith('W/"')
    assert big.headers["vary"] == VARY
    for sent in (weak, weak[2:]):  # weak comparison: either form matches
        answer = httpx.get(
            f"{server.url}/graphql",
            params={"query": MANY},
            headers={**JSON, **gzip_headers, "If-None-Match": sent},
        )
        assert answer.status_code == 304
        assert (answer.headers["etag"], answer.headers["vary"]) == (sent, VARY)
        assert "content-encoding" not in answer.headers
    plain = httpx.get(
        f"{server.url}/graphql",
        params={"query": MANY},
        headers={**JSON, "Accept-Encoding": "identity"},
    )
    hit = httpx.get(
        f"{server.url}/graphql", params={"query": MANY}, headers={**JSON, **gzip_headers}
    )
    assert (hit.headers["etag"], hit.headers["content-encoding"]) == (weak, "gzip")
    assert hit.content == big.content and result_cache(server).hits == 2  # plain, then this
    # Uncompressed, the same answer keeps the strong tag.
    assert "content-encoding" not in plain.headers and plain.headers["etag"] == weak[2:]
    assert plain.json() == big.json()


def test_post_answers_and_errors_carry_no_caching_headers(
    serve_app: ServeApp, shared_url: str
) -> None:
    server = serve_app(database_url=shared_url, schema=None)
    etag = _get(server).headers["etag"]
    post = httpx.post(
        f"{server.url}/graphql",
        json={"query": CRAFT, "variables": {"id": CRAFT_ID}},
        headers={**JSON, "If-None-Match": etag},
    )
    assert post.status_code == 200 and post.json() == craft_body(CRAFT_NAME)
    invalid = _get(server, query="{ spacecraft(ll2Id: 467) { nope } }")
    assert invalid.status_code == 200 and invalid.json()["errors"]
    for answer in (post, invalid):
        assert "etag" not in answer.headers and "cache-control" not in answer.headers


@pytest.mark.parametrize(
    ("fields", "cache_control"),
    [
        pytest.param({"cache_max_age": 300}, "public, max-age=300", id="max-age"),
        pytest.param({"cache": False}, None, id="off"),
    ],
)
def test_settings_decide_the_headers(
    serve_app: ServeApp, shared_url: str, fields: dict[str, object], cache_control: str | None
) -> None:
    server = serve_app(database_url=shared_url, schema=None, **fields)
    answer = _get(server)
    assert answer.headers.get("cache-control") == cache_control
    if cache_control is None:
        assert "etag" not in answer.headers
        assert _get(server, {"If-None-Match": "*"}).status_code == 200
        assert graphql_view(server).caching.http is None
    else:
        assert _get(server, {"If-None-Match": answer.headers["etag"]}).status_code == 304
