"""uvicorn's HTTP/1.1 protocol (httptools) with three bounds it lacks:

- **A time for the head.** A request's line and headers must arrive within `header_timeout`
  seconds of their first byte, or of the connection's opening (nginx's
  `client_header_timeout`): a client sending headers a byte at a time gets 408, one that never
  sends a byte is closed. Between requests uvicorn's keep-alive timeout applies.
- **A lingering close.** When an answer ends a connection (`Connection: close`) before the
  request's body has all arrived (413, 408), closing at once would reset the connection under a
  client still sending, which then reads the reset instead of the answer. The server shuts its
  side for writing and reads and discards what comes, for at most `linger_time` seconds and
  `linger_bytes` bytes, then closes (nginx's `lingering_close`).
- **A cap on connections.** A worker holds at most `capacity` connections, within its limit on
  open files (`gateway.connections.files`). Past it, the connection idle longest (no request in
  flight) is closed to make room, as nginx reuses keep-alive connections; when none is idle, the
  new one gets 503 and is closed. Accepting never stops, so a monitor's query gets through
  however many idle connections are held.

What is not HTTP/1.1 as httptools reads it (a head over 80 KiB, `Content-Length` with
`Transfer-Encoding`, bytes a request line cannot hold) gets 400 with a GraphQL error naming the
parser's reason, rather than uvicorn's plain text; a URL over 64 KiB, which httptools cannot
parse, gets 414.
"""

from __future__ import annotations

import asyncio
import functools
import sys
from dataclasses import dataclass
from typing import Any

import orjson
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle
from uvicorn.server import ServerState

from gateway.connections.files import worker_capacity

# httptools reads the parts of a URL at 16-bit offsets: a longer one cannot be parsed.
MAX_URL = 65_535


@dataclass(frozen=True)
class ConnectionBounds:
    header_timeout: float = 10.0
    linger_time: float = 10.0
    linger_bytes: int = 32 * 1024 * 1024
    max_connections: int = 0  # 0: what the file limit allows


def _answer(status: bytes, code: str, message: str, extra: bytes = b"") -> bytes:
    body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})
    return (
        b"HTTP/1.1 " + status + b"\r\ncontent-type: application/json; charset=utf-8\r\n"
        b"content-length: " + str(len(body)).encode() + b"\r\n" + extra + b"connection: close"
        b"\r\n\r\n" + body
    )


@functools.cache
def _capacity(configured: int) -> int:
    return worker_capacity(configured)  # once per process: the limit is raised before workers start


class _CloseAfterResponse:
    """The transport as a request's cycle sees it: its `close` lingers when the body is unread."""

    def __init__(self, protocol: GatewayProtocol, cycle: RequestResponseCycle) -> None:
        self._protocol = protocol
        self._cycle = cycle

    def __getattr__(self, name: str) -> Any:
        return getattr(self._protocol.transport, name)

    def close(self) -> None:
        self._protocol.close_after(self._cycle)


class GatewayProtocol(HttpToolsProtocol):
    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
        *,
        bounds: ConnectionBounds | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.bounds = bounds or ConnectionBounds()
        self.last_active = 0.0
        self.lingering = False
        self._head_timer: asyncio.TimerHandle | None = None
        self._linger_timer: asyncio.TimerHandle | None = None
        self._linger_left = 0
        self._head_begun = False

    # the connection ------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.last_active = self.loop.time()
        capacity = _capacity(self.bounds.max_connections)
        if len(self.connections) > capacity and not self._make_room(capacity):
            message = f"the server holds as many connections as it can ({capacity}); try again"
            transport.write(
                _answer(
                    b"503 Service Unavailable",
                    "SERVICE_UNAVAILABLE",
                    message,
                    b"retry-after: 1\r\n",
                )
            )
            transport.close()
            return
        self._arm_head_timer()

    def _make_room(self, capacity: int) -> bool:
        """Close the connection idle longest, if the open ones are over `capacity`."""
        open_ones = [c for c in self.connections if not c.transport.is_closing()]
        if len(open_ones) <= capacity:
            return True
        idle = [c for c in open_ones if c is not self and _idle(c)]
        if not idle:
            return False
        oldest = min(idle, key=lambda c: c.last_active if isinstance(c, GatewayProtocol) else 0.0)
        oldest.transport.close()
        return True

    def connection_lost(self, exc: Exception | None) -> None:
        for timer in (self._head_timer, self._linger_timer):
            if timer is not None:
                timer.cancel()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self.last_active = self.loop.time()
        if self.lingering:
            self._discard(len(data))
            return
        super().data_received(data)

    def send_400_response(self, msg: str) -> None:
        # uvicorn calls this within its `except HttpParserError`, whose words say what was wrong.
        if self.transport.is_closing():
            return  # answered already (a URL too long)
        error = sys.exc_info()[1]
        reason = str(error) if error is not None and str(error) else msg
        message = f"the request is not valid HTTP/1.1: {reason}"
        self.transport.write(_answer(b"400 Bad Request", "BAD_REQUEST", message))
        self.transport.close()

    # the head ------------------------------------------------------------------------------

    def _arm_head_timer(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.bounds.header_timeout, self._head_late)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_begun = True
        self._arm_head_timer()

    def on_headers_complete(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        self._head_begun = False
        if len(self.url) > MAX_URL:
            message = (
                f"the URL is {len(self.url)} bytes long, more than the {MAX_URL} the server "
                "reads; send a long query with POST"
            )
            self.transport.write(_answer(b"414 URI Too Long", "URI_TOO_LONG", message))
            self.transport.close()
            return
        before = self.cycle
        super().on_headers_complete()
        if self.cycle is not before:
            self.cycle.transport = _CloseAfterResponse(self, self.cycle)  # type: ignore[assignment]

    def _head_late(self) -> None:
        self._head_timer = None
        if self.transport.is_closing():
            return
        if self.cycle is not None and not self.cycle.response_complete:
            # A request is being answered; the late head (pipelined behind it) is timed again.
            self._arm_head_timer()
            return
        if self._head_begun:
            timeout = self.bounds.header_timeout
            message = f"the request's headers did not arrive within {timeout:g} s"
            self.transport.write(_answer(b"408 Request Timeout", "REQUEST_TIMEOUT", message))
        self.transport.close()

    # the lingering close -------------------------------------------------------------------

    def close_after(self, cycle: RequestResponseCycle) -> None:
        """Close once an answer has ended the connection: lingering, when the body is unread."""
        transport = self.transport
        unread = cycle.more_body and not cycle.disconnected
        if not unread or transport.is_closing() or not self.bounds.linger_time:
            transport.close()
            return
        self.lingering = True
        self._linger_left = self.bounds.linger_bytes
        if transport.can_write_eof():
            transport.write_eof()  # the answer is whole: the client may read it at once
        self.flow.resume_reading()
        self._linger_timer = self.loop.call_later(self.bounds.linger_time, transport.close)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.lingering:
            self._unset_keepalive_if_required()  # the lingering's own bounds apply

    def _discard(self, size: int) -> None:
        self._linger_left -= size
        if self._linger_left < 0:
            self.transport.close()


def _idle(connection: Any) -> bool:
    """No request in flight: never sent one, between two, or lingering after the last."""
    cycle = getattr(connection, "cycle", None)
    return cycle is None or cycle.response_complete


def protocol_factory(bounds: ConnectionBounds) -> Any:
    """What uvicorn's `http` option takes: a picklable factory of protocols with `bounds`."""
    return functools.partial(GatewayProtocol, bounds=bounds)
