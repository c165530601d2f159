"""The bounds `gateway.connections` puts on connections, tried by real clients against a live
server: a refused body is read on (urllib and curl read their 413 and 408, not a reset), a head
sent a byte at a time gets 408, and connections past the file limit are refused one at a time
while a monitor's query is answered."""

from __future__ import annotations

import contextlib
import re
import selectors
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from tests.gateway.conftest import ServeApp
from tests.support import rawhttp
from tests.support.live import LiveServer
from tests.support.monitor import Monitor
from tests.support.pgserver import free_port
from tests.support.processes import Process
from tests.support.system import missing

MiB = 1024 * 1024
JSON = "application/json"
TOO_LARGE = {
    "errors": [
        {
            "message": "the request body is larger than 1048576 bytes",
            "extensions": {"code": "PAYLOAD_TOO_LARGE"},
        }
    ]
}


def ten_mib_body() -> bytes:
    query = "query($s: String) { allSpacecraft(search: $s) { totalCount } }"
    return orjson.dumps({"query": query, "variables": {"s": "x" * (10 * MiB)}})


def urllib_post(url: str, data: object, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(f"{url}/graphql", data=data, headers=headers)  # type: ignore[arg-type]
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


@pytest.fixture(scope="module")
def server(shared_url: str) -> Iterator[LiveServer]:
    from tests.gateway.conftest import start_server

    live = start_server(schema=None, database_url=shared_url)  # type: ignore[arg-type]
    yield live
    live.stop()


def test_urllib_reads_the_413_of_a_10_mib_post(server: LiveServer) -> None:
    """urllib sends the whole body before it reads: the server reads on past its refusal."""
    status, body = urllib_post(server.url, ten_mib_body(), {"Content-Type": JSON})
    assert (status, orjson.loads(body)) == (413, TOO_LARGE)


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(["Expect:"], id="content-length"),  # no 100-continue: it sends it all
        pytest.param(["Expect:", "Transfer-Encoding: chunked"], id="chunked"),
    ],
)
def test_curl_reads_the_413_of_a_10_mib_post(
    server: LiveServer, tmp_path: Path, headers: list[str]
) -> None:
    if shutil.which("curl") is None:
        missing("curl is not installed (Debian package curl)")
    path = tmp_path / "body.json"
    path.write_bytes(ten_mib_body())
    args = ["curl", "-sS", "-o", str(tmp_path / "out"), "-w", "%{http_code}"]
    args += ["-H", f"Content-Type: {JSON}", "--data-binary", f"@{path}"]
    for header in headers:
        args += ["-H", header]
    done = subprocess.run([*args, f"{server.url}/graphql"], capture_output=True, text=True)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "413")
    assert orjson.loads((tmp_path / "out").read_bytes()) == TOO_LARGE


def test_urllib_reads_the_408_of_a_slow_body(serve_app: ServeApp, shared_url: str) -> None:
    server = serve_app(schema=None, database_url=shared_url, body_timeout=1)
    body = ten_mib_body()[: 3 * 100_000]

    def slowly() -> Iterator[bytes]:  # 3 s for 300 KB, past the 1 s the server gives
        for i in range(0, len(body), 10_000):
            time.sleep(0.1)
            yield body[i : i + 10_000]

    status, answer = urllib_post(
        server.url, slowly(), {"Content-Type": JSON, "Content-Length": str(len(body))}
    )
    assert status == 408
    assert orjson.loads(answer) == {
        "errors": [
            {
                "message": "the request body did not arrive within 1 s",
                "extensions": {"code": "REQUEST_TIMEOUT"},
            }
        ]
    }


def test_the_lingering_is_bounded_in_bytes(serve_app: ServeApp, shared_url: str) -> None:
    """A client that sends for ever is cut once `linger_bytes` more have come."""
    server = serve_app(schema=None, database_url=shared_url, linger_bytes=2 * MiB)
    head = rawhttp.head(server.url, {"Content-Type": JSON, "Content-Length": str(100 * MiB)})
    piece = b" " * (64 * 1024)
    with rawhttp.connect(server.url) as sock:
        sock.sendall(head)
        sent = 0
        try:
            for _ in range(100 * MiB // len(piece)):
                sock.sendall(piece)
                sent += len(piece)
        except (BrokenPipeError, ConnectionResetError):
            pass
    # Cut after 2 MiB past the refusal (and what the socket buffers held), far from 100 MiB.
    assert 2 * MiB <= sent < 20 * MiB


def test_the_lingering_is_bounded_in_time(serve_app: ServeApp, shared_url: str) -> None:
    server = serve_app(schema=None, database_url=shared_url, linger_time=1)
    head = rawhttp.head(server.url, {"Content-Type": JSON, "Content-Length": str(100 * MiB)})
    with rawhttp.connect(server.url) as sock:
        sock.sendall(head)
        started = time.monotonic()
        closed = False
        while time.monotonic() - started < 10 and not closed:
            try:
                sock.sendall(b" " * 1000)
            except (BrokenPipeError, ConnectionResetError):
                closed = True
            time.sleep(0.05)
    assert closed  # within 10 s of sending slowly on: the server gave it 1 s


def read_all(sockets: list[socket.socket], timeout: float) -> dict[socket.socket, bytes | None]:
    """What each socket receives until the server closes it; None for those still open after
    `timeout`. (epoll: `select` takes no descriptor past 1,023.)"""
    received: dict[socket.socket, bytes] = {s: b"" for s in sockets}
    open_ones = set(sockets)
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        for s in sockets:
            selector.register(s, selectors.EVENT_READ)
        while open_ones and time.monotonic() < deadline:
            for key, _ in selector.select(0.2):
                s = key.fileobj
                assert isinstance(s, socket.socket)
                try:
                    data = s.recv(65536)
                except ConnectionResetError:
                    data = b""
                received[s] += data
                if not data:
                    open_ones.discard(s)
                    selector.unregister(s)
    return {s: None if s in open_ones else data for s, data in received.items()}


def test_200_clients_sending_headers_a_byte_at_a_time_get_408(
    serve_app: ServeApp, shared_url: str
) -> None:
    server = serve_app(schema=None, database_url=shared_url, header_timeout=2)
    head = rawhttp.head(server.url, {"Accept": JSON, "X-Padding": "p" * 60}, method="GET")
    head = head.replace(b"/graphql", b"/graphql?query=%7B__typename%7D")
    clients = [rawhttp.connect(server.url) for _ in range(200)]
    try:
        with Monitor(server.url) as monitor:
            started = time.monotonic()
            # One byte to each client in turn, every 50 ms: the heads take 7 s to send.
            for byte in range(len(head)):
                if time.monotonic() - started > 4:
                    break
                for client in clients:
                    with contextlib.suppress(OSError):
                        client.send(head[byte : byte + 1])
                time.sleep(0.05)
            received = read_all(clients, timeout=5)
        monitor.check()
    finally:
        for client in clients:
            client.close()
    statuses = [(r or b"open").split(b"\r\n", 1)[0] for r in received.values()]
    assert statuses == [b"HTTP/1.1 408 Request Timeout"] * 200
    some = received[clients[0]] or b""
    assert orjson.loads(some.split(b"\r\n\r\n", 1)[1]) == {
        "errors": [
            {
                "message": "the request's headers did not arrive within 2 s",
                "extensions": {"code": "REQUEST_TIMEOUT"},
            }
        ]
    }


def test_a_connection_that_never_sends_a_byte_is_closed(
    serve_app: ServeApp, shared_url: str
) -> None:
    server = serve_app(schema=None, database_url=shared_url, header_timeout=1)
    with rawhttp.connect(server.url) as sock:
        assert read_all([sock], timeout=5) == {sock: b""}  # closed, with nothing said


def open_idle(url: str, count: int) -> list[socket.socket]:
    return [rawhttp.connect(url) for _ in range(count)]


def test_serve_raises_its_file_limit_and_refuses_connections_past_it(
    shared_url: str, tmp_path: Path, file_limits: None
) -> None:
    """`serve` started with a soft limit of 300 files and a hard one of 400: it raises the soft
    limit, holds 400 - 128 connections, and closes idle ones to answer a monitor's."""
    if shutil.which("prlimit") is None:
        missing("prlimit is not installed (Debian package util-linux)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        "DATABASE_URL": shared_url,
        "GATEWAY_PORT": str(port),
        "GATEWAY_HEADER_TIMEOUT": "60",  # the idle connections are not closed for silence
        "GATEWAY_ACCESS_LOG": "false",
    }
    serve = Process(
        ["prlimit", "--nofile=300:400", ".venv/bin/spacecraft-gateway", "serve"], env, tmp_path
    )
    try:
        serve.wait_until_up(url)
        limits = Path(f"/proc/{serve.popen.pid}/limits").read_text()
        assert re.search(r"Max open files\s+400\s+400\s", limits)
        assert "each worker holds up to 272 connections" in serve.stderr
        idle = open_idle(url, 272)
        try:
            with Monitor(url) as monitor:
                more = open_idle(url, 300)  # past what the worker holds, as the monitor asks
                idle += more
                time.sleep(2)
            monitor.check()
            # The worker closed the oldest idle connections to make room for the new ones (and
            # the monitor's), saying nothing to them, and holds the rest.
            after = read_all(idle, timeout=2)
            closed = [s for s, data in after.items() if data is not None]
            assert {after[s] for s in closed} == {b""}
            assert 300 <= len(closed) < len(idle)
            assert after[idle[-1]] is None  # the newest are held
        finally:
            for s in idle:
                s.close()
        assert "Traceback" not in serve.stderr
        assert "accept" not in serve.stderr  # never out of descriptors
    finally:
        serve.stop()


def test_past_the_cap_with_every_connection_busy_a_new_one_gets_503(
    serve_app: ServeApp, shared_url: str
) -> None:
    server = serve_app(schema=None, database_url=shared_url, max_connections=3)
    head = rawhttp.head(server.url, {"Content-Type": JSON, "Content-Length": "100"})
    busy = [rawhttp.connect(server.url) for _ in range(3)]
    try:
        for sock in busy:
            sock.sendall(head)  # a request in flight on each: its body is awaited
        time.sleep(0.5)
        with rawhttp.connect(server.url) as extra:
            (answer,) = read_all([extra], timeout=5).values()
    finally:
        for sock in busy:
            sock.close()
    assert answer is not None
    status, _, rest = answer.partition(b"\r\n")
    assert status == b"HTTP/1.1 503 Service Unavailable"
    assert b"retry-after: 1\r\n" in rest
    assert orjson.loads(rest.split(b"\r\n\r\n", 1)[1]) == {
        "errors": [
            {
                "message": "the server holds as many connections as it can (3); try again",
                "extensions": {"code": "SERVICE_UNAVAILABLE"},
            }
        ]
    }
