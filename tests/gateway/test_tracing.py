"""OpenTelemetry traces from a live `serve`, configured by `OTEL_*` alone, sent over OTLP/HTTP
to a receiver the test runs, which decodes them: a server span per request that continues the
caller's `traceparent`, and beneath it parsing, validation, the cache, planning, execution and
each database statement."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gateway.tracing import tracing_configured
from tests.gateway.test_serve import serve_command
from tests.support.otlp import OtlpReceiver, ReceivedSpan
from tests.support.pgserver import free_port
from tests.support.processes import Process

SHIPS = "query Ships { allSpacecraft(first: 3) { nodes { name } } }"
SERVER_SPAN = "POST /graphql"


@pytest.fixture
def traced(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[str, OtlpReceiver]]:
    receiver = OtlpReceiver().start()
    database = tmp_path / "gateway.db"
    shutil.copy(sqlite_template, database)
    port = free_port()
    env = {
        "DATABASE_URL": f"sqlite:///{database}",
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url,
        "OTEL_SERVICE_NAME": "gateway-under-test",
        "OTEL_BSP_SCHEDULE_DELAY": "50",  # milliseconds: spans leave at once
    }
    process = Process(serve_command("--port", str(port)), env, tmp_path)
    try:
        url = f"http://127.0.0.1:{port}"
        process.wait_until_up(url)
        yield url, receiver
    finally:
        process.stop()
        receiver.stop()


def _names(spans: list[ReceivedSpan]) -> list[str]:
    return sorted(s.name for s in spans)


def _traceparent(trace_id: str, span_id: str) -> dict[str, str]:
    return {"traceparent": f"00-{trace_id}-{span_id}-01"}


def test_off_unless_an_endpoint_is_set() -> None:
    assert not tracing_configured({})
    assert tracing_configured({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"})
    assert tracing_configured({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://c:4318/v1/traces"})
    assert not tracing_configured(
        {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_SDK_DISABLED": "true"}
    )
    assert not tracing_configured(
        {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_TRACES_EXPORTER": "none"}
    )


def test_requests_are_traced_under_the_callers_trace(traced: tuple[str, OtlpReceiver]) -> None:
    url, receiver = traced
    trace_id, first_parent, second_parent = (
        secrets.token_hex(16),
        secrets.token_hex(8),
        secrets.token_hex(8),
    )
    ok = httpx.post(
        f"{url}/graphql", json={"query": SHIPS}, headers=_traceparent(trace_id, first_parent)
    )
    assert ok.status_code == 200 and "errors" not in ok.json()
    again = httpx.post(
        f"{url}/graphql", json={"query": SHIPS}, headers=_traceparent(trace_id, second_parent)
    )
    assert again.json() == ok.json()
    httpx.post(f"{url}/graphql", json={"query": "query Bad { nope }"})

    servers = receiver.wait_for(3, SERVER_SPAN)
    by_parent = {s.parent_span_id: s for s in servers}
    assert set(by_parent) == {first_parent, second_parent, ""}

    # The first: compiled, under the caller's span, with every step beneath it.
    first = by_parent[first_parent]
    assert (first.trace_id, first.kind) == (trace_id, "SERVER")
    assert first.resource["service.name"] == "gateway-under-test"
    assert {k: first.attributes[k] for k in ("http.request.method", "http.route")} == {
        "http.request.method": "POST",
        "http.route": "/graphql",
    }
    assert first.attributes["http.response.status_code"] == 200
    assert first.attributes["graphql.operation.name"] == "Ships"
    assert first.attributes["gateway.answer"] == "compiled"
    steps = receiver.children(first)
    assert _names(steps) == [
        "cache.lookup",  # of known requests, before routing: not yet known
        "cache.lookup",  # of the result cache, after validation: a miss
        "graphql.execute",
        "graphql.parse",
        "graphql.validate",
    ]
    lookups = [s.attributes for s in steps if s.name == "cache.lookup"]
    assert sorted(lookups, key=len) == [
        {"gateway.cache.hit": False},
        {"gateway.known_request": True, "gateway.cache.hit": False},
    ]
    (execute,) = [s for s in steps if s.name == "graphql.execute"]
    beneath = receiver.children(execute)
    assert "graphql.plan" in _names(beneath)
    statements = [s for s in beneath if s.name.startswith("db ")]
    assert statements and all(s.kind == "CLIENT" for s in statements)
    assert all(s.attributes["db.system"] == "sqlite" for s in statements)
    assert any(
        s.attributes["db.operation.name"] == "SELECT"
        and "spacecraft" in s.attributes["db.query.text"]
        for s in statements
    )
    assert {s.trace_id for s in [*steps, *beneath]} == {trace_id}

    # The second, the same request again: answered from the caches, no statement at all.
    second = by_parent[second_parent]
    assert second.trace_id == trace_id and second.attributes["gateway.answer"] == "cached"
    (replayed,) = receiver.children(second)
    assert replayed.name == "cache.lookup" and replayed.attributes["gateway.cache.hit"] is True
    assert receiver.children(replayed) == []

    # The third, with no traceparent: a trace of its own, refused at validation.
    third = by_parent[""]
    assert third.trace_id != trace_id
    assert third.attributes["gateway.answer"] == "refused"
    assert third.attributes["gateway.refusal.code"] == "GRAPHQL_VALIDATION_FAILED"
    refused_steps = receiver.children(third)
    assert _names(refused_steps) == ["cache.lookup", "graphql.parse", "graphql.validate"]
    assert [s.error for s in refused_steps if s.name == "graphql.validate"] == [True]
