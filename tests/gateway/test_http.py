"""GraphQL over HTTP on a live server: methods, media types, status codes, bodies."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.requests import Request

from tests.gateway.conftest import ServeApp, answer
from tests.support.live import LiveServer

GQL = "application/graphql-response+json"
JSON = "application/json"
CRAFT = "query Craft($id: Int!) { craft(ll2Id: $id) { name } }"


@pytest.fixture
def live(http_server: LiveServer) -> LiveServer:
    return http_server


def post(live: LiveServer, body: Any, *, accept: str = JSON, **headers: str) -> httpx.Response:
    return httpx.post(f"{live.url}/graphql", json=body, headers={"accept": accept, **headers})


def get(live: LiveServer, params: Any, *, accept: str = JSON, **headers: str) -> httpx.Response:
    return httpx.get(f"{live.url}/graphql", params=params, headers={"accept": accept, **headers})


def error(message: str, code: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


def test_post_query_with_variables(live: LiveServer) -> None:
    response = post(live, {"query": CRAFT, "variables": {"id": 467}})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == answer({"craft": {"name": "Shenzhou 13"}})


def test_get_query_with_variables_and_operation_name(live: LiveServer) -> None:
    response = get(
        live,
        {
            "query": CRAFT + " query Other { crafts { name } }",
            "variables": '{"id": 465}',
            "operationName": "Craft",
        },
        accept=GQL,
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{GQL}; charset=utf-8"
    assert response.json() == answer({"craft": {"name": "Tianzhou-5"}})


def test_the_read_only_engine_reaches_resolvers(live: LiveServer) -> None:
    response = post(live, {"query": "{ datasetVersion }"})
    assert response.json() == answer({"datasetVersion": 1})


def test_field_errors_keep_the_data_and_answer_200_with_faults_masked(
    live: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    for n, accept in enumerate((JSON, GQL)):
        response = post(
            live,
            {"query": "{ crafts(first: 1) { name } failing }"},
            accept=accept,
            **{"x-request-id": f"field-fault-{n}"},
        )
        assert response.status_code == 200
        assert response.json() == {
            "errors": [
                {
                    "message": f"internal server error (request id field-fault-{n})",
                    "locations": [{"line": 1, "column": 29}],
                    "path": ["failing"],
                    "extensions": {"code": "INTERNAL_SERVER_ERROR"},
                }
            ],
            **answer({"crafts": [{"name": "Shenzhou 13"}], "failing": None}),
        }
    (logged,) = [
        r for r in caplog.records if r.name == "gateway.http" and "field-fault-0" in r.getMessage()
    ]
    assert logged.levelname == "ERROR"
    assert logged.exc_info is not None and str(logged.exc_info[1]) == "this field always fails"


REQUEST_ERRORS = [
    pytest.param(
        {"query": "{ crafts { name }"},
        {
            "message": "Syntax Error: Expected Name, found <EOF>.",
            "locations": [{"line": 1, "column": 18}],
            "extensions": {"code": "GRAPHQL_PARSE_FAILED"},
        },
        id="parse",
    ),
    pytest.param(
        {"query": "{ nope }"},
        {
            "message": "Cannot query field 'nope' on type 'Query'.",
            "locations": [{"line": 1, "column": 3}],
            "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
        },
        id="validation",
    ),
    pytest.param(
        {"query": CRAFT, "variables": {"id": "x"}},
        {
            "message": "Variable '$id' has invalid value: Int cannot represent non-integer "
            "value: 'x'",
            "locations": [{"line": 1, "column": 13}],
            "extensions": {"code": "BAD_USER_INPUT"},
        },
        id="variable-type",
    ),
    pytest.param(
        {"query": CRAFT},
        {
            "message": "Variable '$id' has invalid value: Expected a value of non-null type "
            "'Int!' to be provided.",
            "locations": [{"line": 1, "column": 13}],
            "extensions": {"code": "BAD_USER_INPUT"},
        },
        id="variable-missing",
    ),
    pytest.param(
        {"query": CRAFT, "operationName": "Nope"},
        {"message": 'Unknown operation named "Nope".', "extensions": {"code": "BAD_REQUEST"}},
        id="unknown-operation",
    ),
    pytest.param(
        {"query": "query A { crafts { name } } query B { crafts { name } }"},
        {
            "message": "Must provide operation name if query contains multiple operations.",
            "extensions": {"code": "BAD_REQUEST"},
        },
        id="ambiguous-operation",
    ),
    pytest.param(
        {"query": "mutation { crafts { name } }"},
        {
            "message": "The mutation operation is not supported by the schema.",
            "locations": [{"line": 1, "column": 1}],
            "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
        },
        id="no-mutations",
    ),
]


@pytest.mark.parametrize(("body", "expected"), REQUEST_ERRORS)
def test_request_errors_are_400_without_data_under_graphql_response_json(
    live: LiveServer, body: dict[str, Any], expected: dict[str, Any]
) -> None:
    response = post(live, body, accept=GQL)
    assert response.status_code == 400
    assert response.headers["content-type"] == f"{GQL}; charset=utf-8"
    assert response.json() == {"errors": [expected]}


@pytest.mark.parametrize(("body", "expected"), REQUEST_ERRORS)
def test_request_errors_are_200_without_data_under_application_json(
    live: LiveServer, body: dict[str, Any], expected: dict[str, Any]
) -> None:
    response = post(live, body, accept=JSON)
    assert response.status_code == 200
    assert response.json() == {"errors": [expected]}


MALFORMED = [
    pytest.param(b'{"query": ', "the request body is not valid JSON: ", id="bad-json"),
    pytest.param(b"", "the request body is empty: send a JSON object with a `query`", id="empty"),
    pytest.param(
        b'{"qeury": "{ crafts { name } }"}',
        "the request body has no `query`: send the GraphQL document as `query`",
        id="no-query",
    ),
    pytest.param(
        b'{"query": 1}', "`query` in the request body must be a string, not a number", id="query"
    ),
    pytest.param(
        b'{"query": "{ crafts { name } }", "variables": "{}"}',
        "`variables` in the request body must be an object or null, not a string",
        id="variables",
    ),
    pytest.param(
        b'{"query": "{ crafts { name } }", "extensions": []}',
        "`extensions` in the request body must be an object or null, not an array",
        id="extensions",
    ),
    pytest.param(
        b'{"query": "{ crafts { name } }", "operationName": false}',
        "`operationName` in the request body must be a string or null, not a boolean",
        id="operation-name",
    ),
]


@pytest.mark.parametrize("accept", [JSON, GQL])
@pytest.mark.parametrize(("body", "message"), MALFORMED)
def test_malformed_requests_are_400_under_both_media_types(
    live: LiveServer, body: bytes, message: str, accept: str
) -> None:
    response = httpx.post(
        f"{live.url}/graphql",
        content=body,
        headers={"content-type": "application/json", "accept": accept},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == f"{accept}; charset=utf-8"
    (found,) = response.json()["errors"]
    assert found["extensions"] == {"code": "BAD_REQUEST"}
    assert found["message"].startswith(message)


@pytest.mark.parametrize(
    ("content_type", "shown"),
    [
        pytest.param(None, "the request has no Content-Type", id="missing"),
        pytest.param("text/plain", "not 'text/plain'", id="text"),
        pytest.param(
            "application/json; charset=latin-1",
            "not 'application/json; charset=latin-1'",
            id="charset",
        ),
    ],
)
def test_posts_that_are_not_json_are_415(
    live: LiveServer, content_type: str | None, shown: str
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = httpx.post(
        f"{live.url}/graphql", content=b'{"query": "{ crafts { name } }"}', headers=headers
    )
    assert response.status_code == 415
    (found,) = response.json()["errors"]
    assert found["extensions"] == {"code": "UNSUPPORTED_MEDIA_TYPE"}
    assert shown in found["message"]


def test_content_type_with_utf8_charset_is_accepted(live: LiveServer) -> None:
    response = httpx.post(
        f"{live.url}/graphql",
        content=b'{"query": "{ craft(ll2Id: 484) { name } }"}',
        headers={"content-type": "Application/JSON; charset=UTF-8"},
    )
    assert response.json() == answer({"craft": {"name": "Mercury No.6"}})


def test_bodies_over_the_limit_are_413(serve_app: ServeApp, shared_url: str) -> None:
    live = serve_app(database_url=shared_url, max_body_size=100)
    small = post(live, {"query": "{ crafts { name } }"})
    assert small.status_code == 200
    large = post(live, {"query": "{ crafts { name } }" + " " * 100})
    assert large.status_code == 413
    assert large.json() == error("the request body is larger than 100 bytes", "PAYLOAD_TOO_LARGE")


def test_mutations_over_get_are_405_with_allow(live: LiveServer) -> None:
    response = get(live, {"query": "mutation { crafts { name } }"}, accept=GQL)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json() == error(
        "mutations are not allowed over GET: send them with POST", "METHOD_NOT_ALLOWED"
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({}, "the URL has no `query`: send the GraphQL document as `query`", id="none"),
        pytest.param(
            {"query": "{ crafts { name } }", "variables": "{id: 1}"},
            "the URL's `variables` parameter is not valid JSON: ",
            id="variables-json",
        ),
        pytest.param(
            {"query": "{ crafts { name } }", "variables": "[1]"},
            "`variables` in the URL must be an object or null, not an array",
            id="variables-type",
        ),
        pytest.param(
            {"query": "{ crafts { name } }", "extensions": "nope"},
            "the URL's `extensions` parameter is not valid JSON: ",
            id="extensions-json",
        ),
        pytest.param(
            [("query", "{ crafts { name } }"), ("query", "{ crafts { name } }")],
            "the URL gives `query` 2 times; give it once",
            id="twice",
        ),
    ],
)
def test_bad_get_parameters_are_400(live: LiveServer, params: Any, message: str) -> None:
    response = get(live, params)
    assert response.status_code == 400
    (found,) = response.json()["errors"]
    assert found["message"].startswith(message)


def test_head_answers_headers_only(live: LiveServer) -> None:
    response = httpx.head(f"{live.url}/graphql", params={"query": "{ crafts { name } }"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.content == b""


def test_other_methods_are_405_with_allow(live: LiveServer) -> None:
    response = httpx.put(f"{live.url}/graphql", json={"query": "{ crafts { name } }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST, OPTIONS"
    assert response.json() == error(
        "PUT is not allowed on this endpoint; use GET or POST", "METHOD_NOT_ALLOWED"
    )
    options = httpx.options(f"{live.url}/graphql")
    assert (options.status_code, options.headers["allow"]) == (204, "GET, HEAD, POST, OPTIONS")


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        pytest.param(None, JSON, id="none"),
        pytest.param("*/*", JSON, id="any"),
        pytest.param("application/*", JSON, id="application-any"),
        pytest.param(f"{GQL}, {JSON};q=0.9", GQL, id="apollo"),
        pytest.param(f"{JSON}, {GQL}", JSON, id="client-order"),
        pytest.param(f"{GQL};q=0.5, {JSON}", JSON, id="quality"),
        pytest.param(f"{JSON};q=0, */*", GQL, id="refused-json"),
    ],
)
def test_the_answer_is_in_the_media_type_the_client_prefers(
    live: LiveServer, accept: str | None, expected: str
) -> None:
    headers = {"content-type": "application/json"}
    if accept is not None:
        headers["accept"] = accept
    response = httpx.post(
        f"{live.url}/graphql", content=b'{"query": "{ __typename }"}', headers=headers
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{expected}; charset=utf-8"
    assert response.headers["vary"].split(", ")[0] == "Accept"


def test_unacceptable_media_types_are_406(live: LiveServer) -> None:
    response = post(live, {"query": "{ __typename }"}, accept="text/csv")
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == error(
        "this endpoint answers application/graphql-response+json or application/json, and the "
        "request accepts neither (Accept: text/csv)",
        "NOT_ACCEPTABLE",
    )


def test_a_browser_asking_for_html_gets_the_explorer(live: LiveServer) -> None:
    response = httpx.get(
        f"{live.url}/graphql",
        headers={"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    )
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["vary"].split(", ")[0] == "Accept"
    assert "<!doctype html>" in response.text.lower()
    posted = post(live, {"query": "{ __typename }"}, accept="text/html")
    assert posted.status_code == 406


def test_a_context_manager_context_is_exited_after_the_operation(
    serve_app: ServeApp, shared_url: str
) -> None:
    events: list[str] = []

    @asynccontextmanager
    async def context(request: Request) -> AsyncIterator[object]:
        events.append("enter")
        try:
            yield {"request": request}
        finally:
            events.append("exit")

    live = serve_app(database_url=shared_url, context_getter=context)
    response = post(live, {"query": "{ datasetVersion failing }"})
    assert response.json()["data"] == {"datasetVersion": 1, "failing": None}
    assert events == ["enter", "exit"]
    assert post(live, {"query": "{ nope }"}).status_code == 200
    assert events == ["enter", "exit"]  # a request refused before execution builds no context


async def _failing_context(request: Request) -> object:
    raise RuntimeError("the loaders could not be built")


@pytest.mark.parametrize("debug", [False, True])
def test_server_faults_are_500_graphql_errors_without_traceback(
    serve_app: ServeApp, shared_url: str, debug: bool
) -> None:
    live = serve_app(database_url=shared_url, context_getter=_failing_context, debug=debug)
    response = post(live, {"query": "{ crafts { name } }"}, **{"x-request-id": "fault-1"})
    assert response.status_code == 500
    detail = ": RuntimeError: the loaders could not be built" if debug else ""
    assert response.json() == error(
        f"internal server error (request id fault-1){detail}", "INTERNAL_SERVER_ERROR"
    )
    assert "Traceback" not in response.text


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.binary(max_size=200)
    | st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(["query", "variables", "operationName", "extensions"]),
                inner,
                max_size=4,
            )
        ),
        max_leaves=8,
    ).map(lambda v: httpx.Request("POST", "/", json=v).content),
    accept=st.sampled_from([JSON, GQL, "*/*"]),
)
def test_no_body_makes_the_server_fail(live: LiveServer, body: bytes, accept: str) -> None:
    response = httpx.post(
        f"{live.url}/graphql",
        content=body,
        headers={"content-type": "application/json", "accept": accept},
    )
    assert response.status_code < 500
    payload = response.json()
    assert "errors" in payload or "data" in payload
