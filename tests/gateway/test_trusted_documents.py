"""Trusted documents: a manifest written by GraphQL Code Generator's client preset, then only its
documents run, named as real clients name them or sent as their exact text.

The manifest is generated once per session by the real codegen (`tests/support/codegen.py`)
from `tests/js/codegen/documents/` against the committed `schema.graphql`; the gateway serves
the bundled dataset with it (the real schema, SQLite: nothing here depends on the backend).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.caching.keys import document_hash
from gateway.explorer import assets
from tests.gateway.conftest import ServeApp
from tests.support.bodies import answer
from tests.support.codegen import DOCUMENTS, generate_manifest
from tests.support.js import run_node
from tests.support.live import LiveServer
from tests.support.system import missing

JSON = {"Accept": "application/json"}
RESPONSE_JSON = {"Accept": "application/graphql-response+json"}
CRAFT_ID = 467
CRAFT = answer(
    {
        "spacecraft": {
            "__typename": "Spacecraft",
            "name": "Shenzhou 13",
            "status": {"name": "Single Use"},
        }
    }
)
AGENCIES = answer(
    {
        "allAgencies": {
            "nodes": [
                {"abbrev": "CNSA", "name": "China National Space Administration"},
                {"abbrev": "NASA", "name": "National Aeronautics and Space Administration"},
            ]
        }
    },
    nodes=2,
)
UNKNOWN = "f" * 64
INTROSPECTION = "{ __schema { queryType { name } } }"


@pytest.fixture(scope="session")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_manifest(tmp_path_factory.mktemp("codegen"))


@pytest.fixture(scope="session")
def ids(manifest: Path) -> dict[str, str]:
    """Each generated document's id as the client preset sends it (`sha256:<hex>`), by name."""
    found = {}
    for key, text in json.loads(manifest.read_text()).items():
        found[text.split("query ", 1)[1].split("(")[0].split(" ")[0]] = key
    return found


@pytest.fixture(scope="session")
def texts(manifest: Path, ids: dict[str, str]) -> dict[str, str]:
    documents = json.loads(manifest.read_text())
    return {name: documents[key] for name, key in ids.items()}


@pytest.fixture
def trusted(serve_app: ServeApp, shared_url: str, manifest: Path) -> LiveServer:
    return serve_app(database_url=shared_url, schema=None, trusted_documents=str(manifest))


def post(server: LiveServer, body: dict[str, Any], accept: dict[str, str] = JSON) -> httpx.Response:
    return httpx.post(f"{server.url}/graphql", json=body, headers=accept)


def get(server: LiveServer, params: dict[str, str]) -> httpx.Response:
    return httpx.get(f"{server.url}/graphql", params=params, headers=JSON)


def apq(sha256: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256}}


def refused(code: str, message: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


def not_found(sha256: str, where: str) -> dict[str, Any]:
    return refused(
        "PERSISTED_QUERY_NOT_FOUND",
        f"no trusted document has the SHA-256 {sha256} ({where}): this server runs only the "
        "documents of its manifest",
    )


def not_in_list(text: str) -> dict[str, Any]:
    return refused(
        "PERSISTED_QUERY_NOT_IN_LIST",
        f"this server runs only trusted documents, and this one (SHA-256 {document_hash(text)}) "
        "is not in its manifest",
    )


def test_the_codegen_manifest_names_each_document_by_the_sha256_of_its_text(
    manifest: Path,
) -> None:
    generated = json.loads(manifest.read_text())
    assert sorted(generated) == sorted(f"sha256:{document_hash(t)}" for t in generated.values())
    assert len(generated) == len(list(DOCUMENTS.glob("*.graphql"))) == 3
    # What the generated code sends as `documentId`: the same id, embedded in each document.
    code = (manifest.parent / "graphql.ts").read_text()
    embedded = re.findall(r'"__meta__":\{"hash":"([^"]+)"\}', code)
    assert sorted(embedded) == sorted(generated)


@pytest.mark.parametrize(
    "how",
    [
        pytest.param("documentId", id="documentId-as-the-client-preset-sends-it"),
        pytest.param("documentId-bare", id="documentId-bare-hex"),
        pytest.param("doc_id", id="doc_id-as-relay-sends-it"),
        pytest.param("apq", id="extensions-persistedQuery"),
        pytest.param("text", id="exact-text"),
        pytest.param("id-and-its-text", id="documentId-with-its-own-text"),
    ],
)
def test_a_trusted_document_runs_by_id_or_by_text_over_post(
    trusted: LiveServer, ids: dict[str, str], texts: dict[str, str], how: str
) -> None:
    key, text = ids["Craft"], texts["Craft"]
    bare = key.removeprefix("sha256:")
    body: dict[str, Any] = {
        "documentId": {"documentId": key},
        "documentId-bare": {"documentId": bare},
        "doc_id": {"doc_id": bare},
        "apq": {"extensions": apq(bare)},
        "text": {"query": text},
        "id-and-its-text": {"documentId": key, "query": text},
    }[how]
    response = post(trusted, {**body, "variables": {"id": CRAFT_ID}})
    assert (response.status_code, response.json()) == (200, CRAFT)


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"documentId": "{id}"}, id="documentId"),
        pytest.param(
            {"extensions": '{{"persistedQuery": {{"version": 1, "sha256Hash": "{id}"}}}}'}, id="apq"
        ),
    ],
)
def test_a_trusted_document_runs_by_id_over_get_and_revalidates(
    trusted: LiveServer, ids: dict[str, str], params: dict[str, str]
) -> None:
    query = {k: v.format(id=ids["Agencies"]) for k, v in params.items()}
    first = get(trusted, query)
    assert (first.status_code, first.json()) == (200, AGENCIES)
    again = httpx.get(
        f"{trusted.url}/graphql",
        params=query,
        headers={**JSON, "If-None-Match": first.headers["etag"]},
    )
    assert again.status_code == 304


def test_an_unknown_id_is_not_found_however_it_is_sent(trusted: LiveServer) -> None:
    cases = [
        ({"documentId": f"sha256:{UNKNOWN}"}, "`documentId`"),
        ({"doc_id": UNKNOWN}, "`doc_id`"),
        ({"extensions": apq(UNKNOWN)}, "`extensions.persistedQuery.sha256Hash`"),
    ]
    for body, where in cases:
        for _ in range(2):  # the second time too: a refusal is never remembered as known
            response = post(trusted, body)
            assert (response.status_code, response.json()) == (200, not_found(UNKNOWN, where))
            assert response.headers["cache-control"] == "no-store"
    strict = post(trusted, {"documentId": UNKNOWN}, RESPONSE_JSON)
    assert (strict.status_code, strict.json()) == (400, not_found(UNKNOWN, "`documentId`"))


def test_a_document_not_in_the_manifest_is_refused_before_it_runs(
    trusted: LiveServer, texts: dict[str, str]
) -> None:
    untrusted = "query Craft($id: Int!) { spacecraft(ll2Id: $id) { name serialNumber } }"
    reformatted = texts["Craft"].replace(
        " { name", " {\n  name"
    )  # the same operation, not its text
    for text in (untrusted, reformatted, INTROSPECTION, "{ __typename }", "not even GraphQL {"):
        response = post(trusted, {"query": text, "variables": {"id": CRAFT_ID}})
        assert (response.status_code, response.json()) == (200, not_in_list(text))
    strict = post(trusted, {"query": untrusted}, RESPONSE_JSON)
    assert (strict.status_code, strict.json()) == (400, not_in_list(untrusted))
    over_get = get(trusted, {"query": untrusted})
    assert (over_get.status_code, over_get.json()) == (200, not_in_list(untrusted))


def test_malformed_or_contradictory_ids_are_400_naming_the_parameter(
    trusted: LiveServer, ids: dict[str, str], texts: dict[str, str]
) -> None:
    craft = ids["Craft"].removeprefix("sha256:")
    agencies = ids["Agencies"].removeprefix("sha256:")
    cases = [
        (
            {"documentId": "sha1:abc"},
            "`documentId` must be the document's SHA-256 as 64 hex digits (or `sha256:<hex>`), "
            'not "sha1:abc"',
        ),
        (
            {"documentId": craft, "query": texts["Agencies"]},
            f"`query` is not the document that `documentId` names ({craft}); send the id "
            "alone, or the document's exact text",
        ),
        (
            {"documentId": craft, "extensions": apq(agencies)},
            "the request names 2 different documents (`documentId`, "
            "`extensions.persistedQuery.sha256Hash`); name one",
        ),
    ]
    for body, message in cases:
        response = post(trusted, body)
        assert (response.status_code, response.json()) == (400, refused("BAD_REQUEST", message))


def test_the_explorer_is_off_with_trusted_documents(trusted: LiveServer) -> None:
    page = httpx.get(f"{trusted.url}/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 406
    assert httpx.get(f"{trusted.url}/").status_code == 404


def test_the_explorer_allowed_serves_its_page_and_introspection_but_no_other_text(
    serve_app: ServeApp, shared_url: str, manifest: Path, ids: dict[str, str]
) -> None:
    reason = assets.missing_reason()
    if reason is not None:
        missing(str(assets.ExplorerAssetsMissing(reason)))
    server = serve_app(
        database_url=shared_url,
        schema=None,
        trusted_documents=str(manifest),
        trusted_documents_explorer=True,
    )
    page = httpx.get(f"{server.url}/graphql", headers={"Accept": "text/html"})
    assert (page.status_code, page.headers["content-type"]) == (200, "text/html; charset=utf-8")
    schema = post(server, {"query": INTROSPECTION})
    assert schema.json() == answer({"__schema": {"queryType": {"name": "Query"}}})
    through_fragment = "{ ...F } fragment F on Query { __typename ...F }"  # a cycle: invalid
    cyclic = post(server, {"query": through_fragment})
    assert [e["extensions"]["code"] for e in cyclic.json()["errors"]] == [
        "GRAPHQL_VALIDATION_FAILED"
    ]
    data = "{ __typename allAgencies(first: 1) { totalCount } }"
    assert post(server, {"query": data}).json() == not_in_list(data)
    by_id = post(server, {"documentId": ids["Agencies"]})
    assert by_id.json() == AGENCIES


def test_without_a_manifest_any_document_runs_and_ids_mean_nothing(
    serve_app: ServeApp, shared_url: str, ids: dict[str, str]
) -> None:
    server = serve_app(database_url=shared_url, schema=None)
    assert post(server, {"query": "{ __typename }"}).json() == answer({"__typename": "Query"})
    response = post(server, {"documentId": ids["Agencies"]})
    assert response.json()["errors"][0]["message"] == (
        "the request body has no `query`: send the GraphQL document as `query`"
    )


def test_apollo_client_runs_the_generated_documents_by_hash_and_is_refused_the_rest(
    trusted: LiveServer, manifest: Path
) -> None:
    result = run_node("trusted.mjs", f"{trusted.url}/graphql", str(manifest))
    assert result["trusted"] == [
        {
            "name": "Agencies",
            "data": AGENCIES["data"],
            "exchanges": [{"method": "GET", "sentQuery": False, "status": 200, "codes": []}],
        },
        {
            "name": "Craft",
            "data": CRAFT["data"],
            "exchanges": [{"method": "GET", "sentQuery": False, "status": 200, "codes": []}],
        },
    ]
    # Told the hash is unknown, the link sends the text, which is refused in turn.
    assert result["untrusted"] == {
        "error": True,
        "exchanges": [
            {
                "method": "GET",
                "sentQuery": False,
                "status": 400,  # Apollo accepts application/graphql-response+json
                "codes": ["PERSISTED_QUERY_NOT_FOUND"],
            },
            {
                "method": "POST",
                "sentQuery": True,
                "status": 400,
                "codes": ["PERSISTED_QUERY_NOT_IN_LIST"],
            },
        ],
    }
