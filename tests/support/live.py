"""The gateway served for real by uvicorn on a loopback port, as `serve` configures it.

`LiveServer` runs it in a thread (the app's engines open on the server's own loop); running this
module starts it in its own process instead, for tests that send it signals:

    python -m tests.support.live [tests.gateway.sample_schema:schema]   # settings from the env

Without a schema it serves the app's own (`gateway.schema`), as `serve` does.

The socket is bound before the server starts, so there is no race for the port.
"""

from __future__ import annotations

import importlib
import socket
import sys
import threading
import time
from types import TracebackType

import strawberry
import uvicorn
from starlette.types import ASGIApp

from gateway.serve import uvicorn_options
from gateway.settings import Settings


def bound_socket(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


class LiveServer:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self._socket = bound_socket(settings.host)
        host, port = self._socket.getsockname()[:2]
        self.url = f"http://{host}:{port}"
        # The test's logging stays as pytest set it, so caplog sees the access log.
        options = {**uvicorn_options(settings), "log_config": None}
        self._server = uvicorn.Server(uvicorn.Config(app, **options))
        self.exit_code: int | str | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            self._server.run(sockets=[self._socket])
        except SystemExit as e:  # uvicorn's answer to a failed startup
            self.exit_code = e.code

    def start(self, timeout: float = 30.0) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError(
                    f"the server at {self.url} stopped while starting (exit {self.exit_code})"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server at {self.url} did not start in {timeout} s")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)
        self._socket.close()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def import_schema(path: str) -> strawberry.Schema:
    module, _, name = path.partition(":")
    schema: strawberry.Schema = getattr(importlib.import_module(module), name)
    return schema


def main(argv: list[str]) -> None:
    from gateway.app import create_app

    settings = Settings()
    app = create_app(settings, schema=import_schema(argv[0]) if argv else None)
    uvicorn.run(app, host=settings.host, port=settings.port, **uvicorn_options(settings))


if __name__ == "__main__":
    main(sys.argv[1:])
