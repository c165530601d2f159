"""`/metrics` on a live server: every way of answering counted, names bounded, the database,
caches and dataset reported, and the settings that hide or guard it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import httpx

from db.engine import create_engine
from db.sync import Outcome, SimulatedClock
from gateway.metrics.operations import ANONYMOUS, OTHER, UNKNOWN, OperationNames
from tests.gateway.conftest import ServeApp
from tests.support.fake_ll2 import FakeLL2, synthetic_graph
from tests.support.live import LiveServer
from tests.support.metrics import requests_by_answer, scrape, value
from tests.support.sync import run

JSON = {"Accept": "application/json"}
SHIPS = "query Ships { allSpacecraft(first: 2) { nodes { name } } }"
DATASET = "query Facts { datasetInfo { version counts { typeName count } } }"


def _post(server: LiveServer, query: str, **variables: object) -> httpx.Response:
    return httpx.post(
        f"{server.url}/graphql", json={"query": query, "variables": variables}, headers=JSON
    )


def test_each_answer_is_counted_by_operation_path_code_and_status(
    serve_app: ServeApp, shared_url: str
) -> None:
    server = serve_app(database_url=shared_url, schema=None)
    assert _post(server, SHIPS).status_code == 200  # compiled
    assert _post(server, SHIPS).status_code == 200  # the result cache
    assert _post(server, DATASET).status_code == 200  # resolvers: datasetInfo is not compiled
    get = httpx.get(f"{server.url}/graphql", params={"query": SHIPS}, headers=JSON)
    etag = get.headers["etag"]
    again = httpx.get(
        f"{server.url}/graphql", params={"query": SHIPS}, headers={**JSON, "If-None-Match": etag}
    )
    assert again.status_code == 304
    assert _post(server, "query Bad { nope }").status_code == 200  # application/json: 200
    assert (
        _post(server, "query Big { allSpacecraft(first: 500) { totalCount } }").json()["errors"][0][
            "extensions"
        ]["code"]
        == "BAD_USER_INPUT"
    )
    assert httpx.put(f"{server.url}/graphql", headers=JSON).status_code == 405

    assert requests_by_answer(scrape(server.url)) == {
        ("Ships", "compiled", "", "200"): 1,
        ("Ships", "cached", "", "200"): 2,  # the POST again, and the GET (a new ETag key)
        ("Ships", "not_modified", "", "304"): 1,
        ("Facts", "resolvers", "", "200"): 1,
        (UNKNOWN, "refused", "GRAPHQL_VALIDATION_FAILED", "200"): 1,  # "Bad": never valid
        (UNKNOWN, "refused", "BAD_USER_INPUT", "200"): 1,  # "Big"
        (ANONYMOUS, "refused", "METHOD_NOT_ALLOWED", "405"): 1,
    }


def test_latency_database_caches_and_dataset_are_reported(
    serve_app: ServeApp, shared_url: str
) -> None:
    server = serve_app(database_url=shared_url, schema=None, debug=True)
    first, second = scrape(server.url), scrape(server.url)
    per_scrape = value(second, "gateway_db_statements_total") - value(
        first, "gateway_db_statements_total"
    )
    facts = _post(server, DATASET).json()
    after = scrape(server.url)
    statements = facts["extensions"]["sql"]["statements"]
    assert statements >= 1
    assert (
        value(after, "gateway_db_statements_total") - value(second, "gateway_db_statements_total")
        == statements + 1 + per_scrape  # and the BEGIN of its snapshot, which sql leaves out
    )
    assert value(after, "gateway_db_statement_duration_seconds_count") == value(
        after, "gateway_db_statements_total"
    )
    assert value(after, "gateway_db_pool_checked_out") == 0  # every connection given back
    assert value(after, "gateway_db_pool_open") >= 1
    assert (
        value(after, "gateway_request_duration_seconds_count", route="/graphql", answer="resolvers")
        == 1
    )
    assert (
        value(after, "gateway_request_duration_seconds_count", route="/metrics", answer="other")
        == 2
    )

    info = facts["data"]["datasetInfo"]
    assert value(after, "gateway_database_up") == 1
    assert value(after, "gateway_dataset_version") == info["version"]
    counts = {c["typeName"]: c["count"] for c in info["counts"]}
    assert value(after, "gateway_dataset_objects", kind="spacecraft") == counts["Spacecraft"]
    assert value(after, "gateway_dataset_age_seconds") > 0
    assert "gateway_last_sync_success" not in after  # no sync has run on this database


def test_the_result_cache_reports_its_entries_bytes_and_hit_ratio(
    serve_app: ServeApp, shared_url: str
) -> None:
    server = serve_app(database_url=shared_url, schema=None)
    for _ in range(3):
        assert _post(server, SHIPS).status_code == 200
    body = len(_post(server, SHIPS).content)
    samples = scrape(server.url)
    assert value(samples, "gateway_cache_entries", cache="results") == 1
    assert value(samples, "gateway_cache_bytes", cache="results") > body
    assert value(samples, "gateway_cache_lookups_total", cache="results", result="hit") == 3
    assert value(samples, "gateway_cache_lookups_total", cache="results", result="miss") == 1
    assert value(samples, "gateway_cache_entries", cache="known_requests") == 1


def test_operation_names_are_bounded() -> None:
    names = OperationNames(limit=2)
    labels = [
        names.label(name) for name in ("A", "B", "C", "A", None, "", "x" * 65, "not-a-name", 7, "B")
    ]
    assert labels == ["A", "B", OTHER, "A", ANONYMOUS, ANONYMOUS, OTHER, OTHER, ANONYMOUS, "B"]
    assert names.label("Z", valid=False) == UNKNOWN  # refused before validation: no slot
    assert names.label(None, valid=False) == ANONYMOUS


def test_a_client_cannot_multiply_the_series(serve_app: ServeApp, shared_url: str) -> None:
    server = serve_app(database_url=shared_url, schema=None, metrics_operations=2)
    for name in ("One", "Two", "Three", "Four"):
        assert _post(server, f"query {name} {{ datasetInfo {{ version }} }}").status_code == 200
    counted = requests_by_answer(scrape(server.url))
    assert counted == {
        ("One", "resolvers", "", "200"): 1,
        ("Two", "resolvers", "", "200"): 1,
        (OTHER, "resolvers", "", "200"): 2,
    }


def test_a_token_guards_the_metrics_and_a_setting_removes_them(
    serve_app: ServeApp, shared_url: str
) -> None:
    guarded = serve_app(database_url=shared_url, schema=None, metrics_token="s3cret")
    refused = httpx.get(f"{guarded.url}/metrics")
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == 'Bearer realm="metrics"'
    wrong = httpx.get(f"{guarded.url}/metrics", headers={"Authorization": "Bearer s3cre"})
    assert wrong.status_code == 401
    assert value(scrape(guarded.url, token="s3cret"), "gateway_database_up") == 1

    off = serve_app(database_url=shared_url, schema=None, metrics=False)
    assert httpx.get(f"{off.url}/metrics").status_code == 404


async def test_the_last_sync_and_ll2s_allowance_are_reported(
    serve_app: ServeApp, sqlite_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "synced.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    clock = SimulatedClock(dt.datetime(2025, 1, 1))
    try:
        with FakeLL2(synthetic_graph(spacecraft=5, flights=5), limit=15, clock=clock) as fake:
            result = await run(engine, fake, clock)
    finally:
        await engine.dispose()
    assert result.outcome is Outcome.DONE and 0 < result.requests < 15

    server = serve_app(database_url=url, schema=None)
    samples = scrape(server.url)
    assert value(samples, "gateway_last_sync_success") == 1
    assert value(samples, "gateway_ll2_allowance_limit") == 15
    assert value(samples, "gateway_ll2_allowance_left") == 15 - result.requests
    assert value(samples, "gateway_last_sync_end_timestamp_seconds") > 0
