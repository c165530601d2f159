"""bench/compare's wrk script, run by wrk against a local HTTP server that records every body:
each request carries the next values of its list, the measurement goes on where the warm-up
stopped, and an answer with GraphQL errors counts as an error."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.compare.load import Load, Stream, body, http_values
from tests.support.system import missing

DOCUMENT = "query Lookup($id: Int!) { spacecraft(ll2Id: $id) { name } }"
VALUES = ['{"id":1}', '{"id":2}', '{"id":3}', '{"id":4}', '{"id":5}']


@contextmanager
def recording_server(failing: set[str]) -> Iterator[tuple[str, list[str]]]:
    """A server answering every POST with `{"data":...}`, or errors for a body in `failing`."""
    bodies: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

        def do_POST(self) -> None:
            text = self.rfile.read(int(self.headers["Content-Length"])).decode()
            bodies.append(text)
            answer = b'{"errors":[{"message":"no"}]}' if text in failing else b'{"data":{}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # wrk closes its connections mid-request when its time is up

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/graphql", bodies
    finally:
        server.shutdown()
        server.server_close()


def _require_wrk() -> None:
    if shutil.which("wrk") is None:
        missing("wrk is not installed (Debian package wrk)")


def test_each_request_sends_the_next_values_and_the_measurement_goes_on_from_the_warmup() -> None:
    _require_wrk()
    with recording_server(set()) as (url, bodies):
        figure, sent = http_values(
            url, [Stream(DOCUMENT, "Lookup", VALUES)], Load(duration=1, warmup=1, connections=1)
        )
    # wrk counts the requests answered; one more may have been in flight when each run stopped,
    # and the measurement sends that one's values again, where the warm-up stopped counting.
    assert figure.errors == 0 and sent <= len(bodies) <= sent + 2 and sent > 2 * len(VALUES)
    walked = [b for n, b in enumerate(bodies) if n == 0 or b != bodies[n - 1]]
    assert len(bodies) - len(walked) <= 1
    expected = [body(DOCUMENT, "Lookup", VALUES[n % len(VALUES)]) for n in range(len(walked))]
    assert walked == expected
    assert json.loads(bodies[0]) == {
        "query": DOCUMENT,
        "operationName": "Lookup",
        "variables": {"id": 1},
    }


def test_streams_are_drawn_by_weight_and_an_answer_with_errors_counts_as_an_error() -> None:
    _require_wrk()
    other = "query Other { __typename }"
    failing = body(other, "Other", "{}")
    with recording_server({failing}) as (url, bodies):
        figure, sent = http_values(
            url,
            [Stream(DOCUMENT, "Lookup", VALUES, weight=3), Stream(other, "Other", ["{}"])],
            Load(duration=1, warmup=0, connections=2),
        )
    others = bodies.count(failing)
    lookups = [b for b in bodies if b != failing]
    assert sent <= len(bodies) <= sent + 2 and 0 < others < len(lookups)
    assert {json.loads(b)["variables"]["id"] for b in lookups} == {1, 2, 3, 4, 5}
    assert figure.errors <= others <= figure.errors + 2
