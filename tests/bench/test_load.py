"""The load script's short forms: a few seconds of each mix (the realistic one, and the soak's,
whose variables never repeat) against `serve --workers 2` must answer every request without an
error, and the soak's requests must indeed never repeat. Throughput, latency and memory are
figures of the full runs (bench/load/run.py, bench/README.md), never asserted."""

from __future__ import annotations

import base64
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bench.load.queries import FRESH_MIX
from bench.load.run import lua_script, run_wrk
from tests.support.bench import run_bench
from tests.support.system import missing


def require_wrk() -> None:
    if shutil.which("wrk") is None:
        missing("wrk is not installed (Debian package wrk)")


@pytest.mark.parametrize(
    "mix", [pytest.param([], id="repeating"), pytest.param(["--fresh"], id="fresh")]
)
def test_a_short_load_run_answers_every_request_without_error(mix: list[str]) -> None:
    require_wrk()
    result = run_bench(
        "bench/load/run.py",
        "--spacecraft",
        "2000",
        "--flights",
        "600",
        "--connections",
        "16",
        "--duration",
        "5",
        "--warmup",
        "1",
        "--json",
        *mix,
    )
    figures = json.loads(result.stdout)
    assert (figures["errors"], figures["socket_errors"], figures["first_error"]) == (0, 0, "")
    assert figures["mix"] == ("fresh" if mix else "repeating")
    assert figures["requests"] > 0
    assert figures["workers"] == 2 and len(figures["rss_samples_mib"]) >= 4


class Recorder(BaseHTTPRequestHandler):
    """Answers every POST with an empty result and keeps its body."""

    protocol_version = "HTTP/1.1"
    bodies: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.bodies.append(json.loads(body))
        answer = b'{"data":{}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *_: object) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    """wrk drops its connections mid-request when its time is up: not worth a traceback."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    bodies: list[dict[str, Any]] = []
    handler = type("Recording", (Recorder,), {"bodies": bodies})
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/graphql", bodies
    server.shutdown()
    server.server_close()


def test_the_fresh_mix_never_sends_the_same_variables_twice_even_after_its_warm_up(
    recorder: tuple[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    require_wrk()
    url, bodies = recorder
    ranges = {"spacecraft": 10_000_000}
    script = tmp_path / "mix.lua"
    script.write_text(lua_script(FRESH_MIX, ranges))
    warm = run_wrk(url, script, connections=4, duration=1)
    # As run.py does after its warm-up: the measured run's counts begin past the warm-up's.
    script.write_text(lua_script(FRESH_MIX, ranges, start=int(warm["requests"])))  # type: ignore[call-overload]
    run_wrk(url, script, connections=4, duration=1)

    assert len(bodies) > 100
    assert {b["operationName"] for b in bodies} == {q.name for q in FRESH_MIX}
    sent = [json.dumps([b["operationName"], b["variables"]], sort_keys=True) for b in bodies]
    assert len(set(sent)) == len(sent)
    for body in bodies:
        after = body["variables"].get("after")
        if after is not None:
            decoded = json.loads(base64.urlsafe_b64decode(after + "=" * (-len(after) % 4)))
            assert decoded[:3] == [1, "Spacecraft", "id:asc"]
            assert 1 <= decoded[3][0] <= ranges["spacecraft"]
