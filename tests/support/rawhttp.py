"""HTTP/1.1 by hand over a socket, for what clients such as httpx will not do: a body sent a byte
at a time, a chunked body the server must stop reading, headers promising more than is sent."""

from __future__ import annotations

import http.client
import select
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import orjson


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    parts_sent: int = 0
    closed: bool = False  # the server closed the connection after answering

    def json(self) -> object:
        return orjson.loads(self.body)


def connect(url: str, timeout: float = 30) -> socket.socket:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
    return sock


def head(
    url: str, headers: dict[str, str], *, method: str = "POST", path: str = "/graphql"
) -> bytes:
    host = urlsplit(url).netloc
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def read_response(sock: socket.socket) -> RawResponse:
    response = http.client.HTTPResponse(sock)
    response.begin()
    body = response.read()
    return RawResponse(response.status, {k.lower(): v for k, v in response.getheaders()}, body)


class _OneReader:
    """A socket whose every `makefile` is the same buffered reader, so that responses read one
    after the other (pipelined) lose nothing to a reader's read-ahead."""

    def __init__(self, sock: socket.socket) -> None:
        self._file = sock.makefile("rb")

    def makefile(self, *_: object, **__: object) -> object:
        return self

    def __getattr__(self, name: str) -> object:
        return getattr(self._file, name)

    def close(self) -> None:
        """Each response closes its reader when read; the next one reads on."""


def read_responses(sock: socket.socket, count: int) -> list[RawResponse]:
    """`count` responses in a row from one connection."""
    reader = _OneReader(sock)
    found = []
    for _ in range(count):
        response = http.client.HTTPResponse(reader)  # type: ignore[arg-type]
        response.begin()
        headers = {k.lower(): v for k, v in response.getheaders()}
        found.append(RawResponse(response.status, headers, response.read()))
    return found


def send(
    url: str, head_bytes: bytes, parts: Iterable[bytes] = (), *, pause: float = 0.0
) -> RawResponse:
    """Send the head, then each part (`pause` seconds apart) until the server answers.

    Sending stops as soon as an answer starts to arrive, so the server's early answer (413,
    408) is read rather than lost to a reset.
    """
    with connect(url) as sock:
        sock.sendall(head_bytes)
        sent = 0
        poll = select.poll()  # not `select`, which takes no descriptor past 1,023
        poll.register(sock, select.POLLIN)
        for part in parts:
            if poll.poll(pause * 1000):
                break
            try:
                sock.sendall(part)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += 1
        response = read_response(sock)
        response.parts_sent = sent
        response.closed = closed_by_server(sock)
        return response


def closed_by_server(sock: socket.socket, timeout: float = 5) -> bool:
    """Whether the server has closed the connection (EOF or reset within `timeout`)."""
    sock.settimeout(timeout)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
