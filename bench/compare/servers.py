"""The servers under load, each its own process group on a loopback port.

- the gateway as users run it: `spacecraft-gateway serve --workers 2`, settings from the
  environment (caches and the compiled path switched per configuration);
- PostGraphile 4 as its users run it in production: the CLI, one Node process, with the
  options its documentation recommends for production plus the two plugins nearly every
  PostGraphile 4 deployment adds (simpler names; filters), installed with `npm ci` from
  `bench/compare/postgraphile/package-lock.json`;
- the HTTP floor (`floor_http`), under uvicorn with the gateway's options and workers.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from bench.compare.load import require

ROOT = Path(__file__).resolve().parents[2]
POSTGRAPHILE_DIR = Path(__file__).resolve().parent / "postgraphile"
WORKERS = 2

POSTGRAPHILE_OPTIONS = [
    # https://www.graphile.org/postgraphile/usage-cli/ "recommended options" for production
    "--retry-on-init-fail",
    "--dynamic-json",
    "--no-setof-functions-contain-nulls",
    "--no-ignore-rbac",
    "--extended-errors",
    "errcode",
    "--disable-graphiql",
    "--enable-query-batching",
    "--disable-query-log",
    "--legacy-relations",
    "omit",
    # the gateway is read-only
    "--disable-default-mutations",
    "--append-plugins",
    "@graphile-contrib/pg-simplify-inflector,postgraphile-plugin-connection-filter",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerFailed(RuntimeError):
    pass


@dataclass
class Server:
    """A server process (and its children) and the GraphQL URL it answers on."""

    name: str
    command: list[str]
    env: dict[str, str]
    cwd: Path = ROOT
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    def start(self, log_dir: Path, timeout: float = 120) -> Server:
        return self.launch(log_dir).wait(timeout)

    def launch(self, log_dir: Path) -> Server:
        """Start the process; `wait` for it to answer (so several can start at once)."""
        self.log = log_dir / f"{self.name.replace(' ', '-')}.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [part.replace("{port}", str(self.port)) for part in self.command],
                cwd=self.cwd,
                env={**os.environ, "PYTHONPATH": str(ROOT), **self.env},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def wait(self, timeout: float = 120) -> Server:
        assert self.process is not None and self.log is not None, "launch() first"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(
                    f"{self.name} exited with {self.process.returncode} while starting:\n"
                    + self.log.read_text()[-3000:]
                )
            try:
                httpx.post(self.url, json={"query": "{ __typename }"}, timeout=5)
                return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise ServerFailed(f"{self.name} did not answer in {timeout:.0f} s; see {self.log}")

    def get_url(self, query: str) -> str:
        """The URL that asks `query` by GET."""
        return f"{self.url}?{urllib.parse.urlencode({'query': query})}"

    def post(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """The answer's `data`; raises ServerFailed on errors, naming the server and the query."""
        body: dict[str, Any] = {"query": query}
        if variables:
            body["variables"] = variables
        answer = httpx.post(self.url, json=body, timeout=120)
        payload = answer.json() if answer.headers.get("content-type", "").find("json") >= 0 else {}
        if answer.status_code != 200 or payload.get("errors") or "data" not in payload:
            raise ServerFailed(f"{self.name} answered {answer.status_code}: {answer.text[:2000]}")
        return payload["data"]

    def raw(self, query: str) -> bytes:
        """The exact bytes of the answer to the body the load sends."""
        answer = httpx.post(
            self.url,
            content=json.dumps({"query": query}),
            timeout=120,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        answer.raise_for_status()
        return answer.content

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def gateway(database_url: str, env: dict[str, str], name: str) -> Server:
    return Server(
        name,
        [
            sys.executable,
            "-m",
            "gateway.cli",
            "serve",
            "--workers",
            str(WORKERS),
            "--port",
            "{port}",
        ],
        # The access log costs a JSON line per request; PostGraphile runs without its query log.
        {"DATABASE_URL": database_url, "GATEWAY_ACCESS_LOG": "false", **env},
    )


def install_postgraphile() -> None:
    """`npm ci` in bench/compare/postgraphile/, unless done from the current lock file."""
    lock = (POSTGRAPHILE_DIR / "package-lock.json").read_bytes()
    stamp = POSTGRAPHILE_DIR / "node_modules" / f".installed-{zlib.crc32(lock):08x}"
    if stamp.exists():
        return
    npm = require("npm", "npm")
    print("postgraphile: npm ci", flush=True)
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=POSTGRAPHILE_DIR,
        check=True,
    )
    stamp.touch()


def postgraphile_version() -> str:
    package = POSTGRAPHILE_DIR / "node_modules" / "postgraphile" / "package.json"
    return str(json.loads(package.read_text())["version"])


def postgraphile(database_url: str) -> Server:
    node = require("node", "nodejs")
    cli = str(POSTGRAPHILE_DIR / "node_modules" / "postgraphile" / "cli.js")
    return Server(
        "PostGraphile",
        [
            node,
            cli,
            "-c",
            database_url,
            "--host",
            "127.0.0.1",
            "--port",
            "{port}",
            *POSTGRAPHILE_OPTIONS,
        ],
        {"NODE_ENV": "production"},
        cwd=POSTGRAPHILE_DIR,
    )


def http_floor(answers: Path) -> Server:
    return Server(
        "HTTP floor",
        [sys.executable, "-m", "bench.compare.floor_http", "{port}", str(answers), str(WORKERS)],
        {},
    )
