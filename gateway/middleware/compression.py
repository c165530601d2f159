"""Brotli or gzip, as the client asks, for responses of at least `minimum_size` bytes.

Starlette's GZipMiddleware knows no brotli and leaves out `Vary: Accept-Encoding` when the client
asked for no compression, so a shared cache could hand that plain copy to everyone, or a gzip copy
to a client that cannot read it. Here every response that would be compressed for some client says
`Vary: Accept-Encoding`, whether or not this client's copy is. Small responses, types that do not
compress (images, woff2), partial content and already-encoded bodies pass untouched. A strong
ETag becomes weak once the bytes change. Bodies sent in pieces (static files) are compressed as
they stream.
"""

from __future__ import annotations

import zlib
from typing import Protocol

import brotli
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.middleware.headers import (
    RawHeaders,
    add_vary_raw,
    header,
    remove_header,
    request_header,
    response_headers,
    set_header,
)
from gateway.negotiation import choose_encoding, media_type

ENCODINGS = ("br", "gzip")  # brotli first: smaller, and every browser that sends it reads it
COMPRESSIBLE = frozenset(
    {
        "application/json",
        "application/javascript",
        "application/xml",
        "application/wasm",
        "image/svg+xml",
        "font/ttf",
        "font/otf",
    }
)


def compressible(content_type: str | None) -> bool:
    if content_type is None:
        return False
    kind, _ = media_type(content_type)
    return (
        kind in COMPRESSIBLE
        or kind.startswith("text/")
        or kind.endswith("+json")
        or kind.endswith("+xml")
    )


class Compressor(Protocol):
    def process(self, data: bytes) -> bytes: ...
    def finish(self) -> bytes: ...


class _Gzip:
    def __init__(self, level: int) -> None:
        self._z = zlib.compressobj(level, zlib.DEFLATED, 31)  # 31: gzip framing

    def process(self, data: bytes) -> bytes:
        return self._z.compress(data)

    def finish(self) -> bytes:
        return self._z.flush()


def compressor(encoding: str, *, gzip_level: int, brotli_quality: int) -> Compressor:
    if encoding == "br":
        c: Compressor = brotli.Compressor(quality=brotli_quality)
        return c
    return _Gzip(gzip_level)


class CompressionMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        minimum_size: int = 1024,
        gzip_level: int = 6,
        brotli_quality: int = 4,  # fast enough for answers made per request
    ) -> None:
        self.app = app
        self.minimum_size = minimum_size
        self.gzip_level = gzip_level
        self.brotli_quality = brotli_quality

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        encoding = choose_encoding(request_header(scope, b"accept-encoding"), ENCODINGS)
        if scope["method"] == "HEAD":
            encoding = None  # no body to measure; the headers still say Vary
        responder = _Responder(self, send, encoding)
        await self.app(scope, receive, responder.send)


class _Responder:
    def __init__(self, owner: CompressionMiddleware, send: Send, encoding: str | None) -> None:
        self.owner = owner
        self._send = send
        self.encoding = encoding
        self.start: Message | None = None
        self.compressor: Compressor | None = None
        self.passthrough = False

    def _eligible(self, headers: RawHeaders, status: int, body: bytes, more: bool) -> bool:
        if status < 200 or status in (204, 206, 304) or header(headers, b"content-encoding"):
            return False
        content_type = header(headers, b"content-type")
        if content_type is None or not compressible(content_type.decode("latin-1")):
            return False
        declared = header(headers, b"content-length")
        if declared is not None and declared.isdigit():
            size = int(declared)
        else:
            size = len(body) if not more else self.owner.minimum_size
        return size >= self.owner.minimum_size

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
            return
        if message["type"] != "http.response.body" or self.passthrough:
            await self._send(message)
            return
        if self.compressor is not None:
            await self._stream(message)
            return
        assert self.start is not None
        body: bytes = message.get("body", b"")
        more: bool = message.get("more_body", False)
        headers = response_headers(self.start)
        if not self._eligible(headers, self.start["status"], body, more):
            self.passthrough = True
            await self._send(self.start)
            await self._send(message)
            return
        add_vary_raw(headers, "Accept-Encoding")
        if self.encoding is None:
            self.passthrough = True
            await self._send(self.start)
            await self._send(message)
            return
        self.compressor = compressor(
            self.encoding,
            gzip_level=self.owner.gzip_level,
            brotli_quality=self.owner.brotli_quality,
        )
        set_header(headers, b"content-encoding", self.encoding.encode())
        etag = header(headers, b"etag")
        if etag is not None and etag.startswith(b'"'):
            set_header(headers, b"etag", b"W/" + etag)
        remove_header(headers, b"content-length")
        if not more:
            data = self.compressor.process(body) + self.compressor.finish()
            headers.append((b"content-length", str(len(data)).encode()))
            await self._send(self.start)
            await self._send({"type": "http.response.body", "body": data})
            return
        await self._send(self.start)
        await self._stream(message)

    async def _stream(self, message: Message) -> None:
        assert self.compressor is not None
        more: bool = message.get("more_body", False)
        data = self.compressor.process(message.get("body", b""))
        if not more:
            data += self.compressor.finish()
        await self._send({"type": "http.response.body", "body": data, "more_body": more})
