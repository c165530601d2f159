"""Errors on a live server with the real schema: faults masked with the request id and logged
with their traceback on both paths, client mistakes answered plainly and never logged as
errors, suggestions only when debugging, and introspection and the explorer as the settings say."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.gateway.conftest import ServeApp, answer
from tests.support.live import LiveServer

GQL = "application/graphql-response+json"


def post(server: LiveServer, query: str, **headers: str) -> httpx.Response:
    return httpx.post(
        f"{server.url}/graphql", json={"query": query}, headers={"accept": GQL, **headers}
    )


@pytest.fixture
def broken_url(shared_url: str, tmp_path: Path) -> str:
    """The bundled dataset without its configurations table: a fault in any query reaching it."""
    path = tmp_path / "broken.db"
    shutil.copy(shared_url.removeprefix("sqlite:///"), path)
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE spacecraft_configuration")
    return f"sqlite:///{path}"


QUERY = "{ spacecraft(ll2Id: 467) { name spacecraftConfig { name } } }"


def fault_records(caplog: pytest.LogCaptureFixture, request_id: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if request_id in r.getMessage()]


def test_a_fault_on_the_compiled_path_is_a_masked_500(
    serve_app: ServeApp, broken_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    server = serve_app(schema=None, database_url=broken_url)
    response = post(server, QUERY, **{"x-request-id": "compiled-fault"})
    assert response.status_code == 500
    assert response.json() == {
        "errors": [
            {
                "message": "internal server error (request id compiled-fault)",
                "extensions": {"code": "INTERNAL_SERVER_ERROR"},
            }
        ]
    }
    (record,) = fault_records(caplog, "compiled-fault")
    assert (record.name, record.levelname) == ("gateway.http", "ERROR")
    assert record.exc_info is not None
    assert "no such table: spacecraft_configuration" in str(record.exc_info[1])


def test_a_fault_in_a_resolver_is_a_masked_field_error(
    serve_app: ServeApp, broken_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    server = serve_app(schema=None, database_url=broken_url, compiled=False)
    response = post(server, QUERY, **{"x-request-id": "resolver-fault"})
    assert response.status_code == 200
    assert response.json() == {
        "errors": [
            {
                "message": "internal server error (request id resolver-fault)",
                "locations": [{"line": 1, "column": 33}],
                "path": ["spacecraft", "spacecraftConfig"],
                "extensions": {"code": "INTERNAL_SERVER_ERROR"},
            }
        ],
        **answer({"spacecraft": None}),
    }
    assert "no such table" not in response.text
    (record,) = fault_records(caplog, "resolver-fault")
    assert (record.name, record.levelname) == ("gateway.http", "ERROR")
    assert record.getMessage() == "request resolver-fault: field spacecraft.spacecraftConfig failed"
    assert record.exc_info is not None
    assert "no such table: spacecraft_configuration" in str(record.exc_info[1])


def test_debug_puts_the_fault_in_the_answer(serve_app: ServeApp, broken_url: str) -> None:
    server = serve_app(schema=None, database_url=broken_url, compiled=False, debug=True)
    (error,) = post(server, QUERY, **{"x-request-id": "debug-fault"}).json()["errors"]
    assert error["message"].startswith(
        "internal server error (request id debug-fault): OperationalError: "
    )


CLIENT_MISTAKES = [
    pytest.param("{ spacecraft(ll2Id: 467) { name }", "GRAPHQL_PARSE_FAILED", id="parse"),
    pytest.param(
        "{ spacecraft(ll2Id: 467) { nme } }", "GRAPHQL_VALIDATION_FAILED", id="validation"
    ),
    pytest.param("{ allSpacecraft(first: 500) { totalCount } }", "BAD_USER_INPUT", id="page"),
    pytest.param(
        '{ allSpacecraft(after: "not-a-cursor") { totalCount } }', "BAD_USER_INPUT", id="cursor"
    ),
    pytest.param('{ node(id: "Nothing:1") { id } }', "BAD_USER_INPUT", id="node-id"),
]


@pytest.mark.parametrize(("query", "code"), CLIENT_MISTAKES)
@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "resolvers"])
def test_client_mistakes_keep_their_message_and_are_not_logged_as_errors(
    serve_app: ServeApp,
    shared_url: str,
    caplog: pytest.LogCaptureFixture,
    query: str,
    code: str,
    compiled: bool,
) -> None:
    server = serve_app(schema=None, database_url=shared_url, compiled=compiled)
    caplog.clear()
    body = post(server, query).json()
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert "internal server error" not in body["errors"][0]["message"]
    noisy = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert noisy == []


def test_suggestions_only_when_debugging(serve_app: ServeApp, shared_url: str) -> None:
    plain = serve_app(schema=None, database_url=shared_url)
    debug = serve_app(schema=None, database_url=shared_url, debug=True)
    message = "Cannot query field 'nme' on type 'Spacecraft'."
    query = "{ spacecraft(ll2Id: 467) { nme } }"
    assert post(plain, query).json()["errors"][0]["message"] == message
    assert post(debug, query).json()["errors"][0]["message"] == f"{message} Did you mean 'name'?"


def test_introspection_can_be_turned_off(serve_app: ServeApp, shared_url: str) -> None:
    server = serve_app(schema=None, database_url=shared_url, introspection=False)
    response = post(server, "{ __schema { queryType { name } } }")
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "message": "GraphQL introspection has been disabled, but the requested query contained "
        "the field '__schema'.",
        "locations": [{"line": 1, "column": 3}],
        "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
    }
    typename = post(server, "{ __typename spacecraft(ll2Id: 467) { __typename } }")
    assert typename.json() == answer(
        {"__typename": "Query", "spacecraft": {"__typename": "Spacecraft"}}
    )


def test_introspection_is_on_by_default(serve_app: ServeApp, shared_url: str) -> None:
    server = serve_app(schema=None, database_url=shared_url)
    response = post(server, "{ __schema { queryType { name } } }")
    assert response.json() == answer({"__schema": {"queryType": {"name": "Query"}}})


def test_the_explorer_can_be_turned_off(serve_app: ServeApp, shared_url: str) -> None:
    off = serve_app(schema=None, database_url=shared_url, explorer=False)
    on = serve_app(schema=None, database_url=shared_url)
    browser: dict[str, Any] = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    page = httpx.get(f"{on.url}/graphql", headers=browser)
    assert (page.status_code, page.headers["content-type"]) == (200, "text/html; charset=utf-8")
    assert httpx.get(f"{on.url}/", follow_redirects=False).status_code == 302
    # Off, a browser gets the API's answer (JSON accepted through */*), and no explorer routes.
    response = httpx.get(f"{off.url}/graphql", headers=browser)
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "message": "the URL has no `query`: send the GraphQL document as `query`",
                "extensions": {"code": "BAD_REQUEST"},
            }
        ]
    }
    assert httpx.get(f"{off.url}/", follow_redirects=False).status_code == 404
    assert httpx.get(f"{off.url}/explorer/static/explorer.js").status_code == 404
    assert post(off, "{ spacecraft(ll2Id: 467) { name } }").status_code == 200
