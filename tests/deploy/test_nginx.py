"""nginx in front of two `serve` processes, with `deploy/nginx/spacecraft-gateway.conf` as
deployed: answers, the client's own address reaching the rate limit, a slow-header client cut
off while others are served, and traffic moving to the other process when one is killed."""

from __future__ import annotations

import json
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.gateway.test_serve import serve_command
from tests.support.caching import CRAFT_ID, CRAFT_NAME
from tests.support.nginx import Nginx, nginx_binary
from tests.support.pgserver import free_port
from tests.support.processes import Process
from tests.support.system import missing

# A page of 10 costs 10 nodes: with a budget of 20 a minute, two per client per process.
PAGE = "{ allSpacecraft(first: 10) { nodes { name } } }"
ONE = f"{{ spacecraft(ll2Id: {CRAFT_ID}) {{ name }} }}"
BUDGET = 20


@dataclass
class Deployment:
    nginx: Nginx
    processes: list[Process]


@pytest.fixture
def deployment(tmp_path: Path, sqlite_template: Path) -> Iterator[Deployment]:
    binary = nginx_binary()
    if binary is None:
        missing("nginx is not installed (Debian: apt-get install nginx)")
    assert binary is not None
    database = tmp_path / "gateway.db"
    shutil.copy(sqlite_template, database)  # empty: the first `serve` loads the bundled data
    processes: list[Process] = []
    nginx = None
    try:
        ports = []
        for i in range(2):
            port = free_port()
            directory = tmp_path / f"serve{i}"
            directory.mkdir()
            env = {
                "DATABASE_URL": f"sqlite:///{database}",
                "GATEWAY_TRUSTED_PROXIES": "127.0.0.1",
                "GATEWAY_RATE_LIMIT": str(BUDGET),
            }
            processes.append(Process(serve_command("--port", str(port)), env, directory))
            processes[-1].wait_until_up(f"http://127.0.0.1:{port}")  # one at a time
            ports.append(port)
        nginx = Nginx(binary, ports).start()
        yield Deployment(nginx, processes)
    finally:
        if nginx is not None:
            nginx.stop()
        for process in processes:
            process.stop()


def _client(source: str) -> httpx.Client:
    """A client whose connections come from `source` (another loopback address)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=source), timeout=10)


def _post(client: httpx.Client, url: str, query: str, **headers: str) -> httpx.Response:
    return client.post(f"{url}/graphql", json={"query": query}, headers=headers)


def _clients_logged(process: Process) -> list[str]:
    return [
        line["client"]
        for line in map(json.loads, filter(None, process.stdout.splitlines()))
        if line.get("path") == "/graphql"
    ]


def _settled_logs(processes: list[Process], requests: int) -> list[str]:
    """The clients of `requests` requests in the processes' access logs, waiting for the
    lines that follow a response's last byte by a moment."""
    deadline = time.monotonic() + 10
    while True:
        clients = [c for p in processes for c in _clients_logged(p)]
        if len(clients) >= requests or time.monotonic() > deadline:
            return clients
        time.sleep(0.05)


class SlowHeaders(threading.Thread):
    """A client that sends its request header a line a second, for up to `seconds`."""

    def __init__(self, url: str, seconds: float = 40) -> None:
        super().__init__(daemon=True)
        host, port = url.removeprefix("http://").split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=5)
        self.seconds = seconds
        self.cut_after: float | None = None
        self.received = b""

    def run(self) -> None:
        started = time.monotonic()
        self.sock.sendall(b"POST /graphql HTTP/1.1\r\nHost: gateway\r\n")
        try:
            while time.monotonic() - started < self.seconds:
                time.sleep(1)
                self.sock.sendall(b"X-Slow: 1\r\n")
                self.sock.settimeout(0.01)
                try:
                    chunk = self.sock.recv(4096)
                except TimeoutError:
                    continue
                self.received += chunk
                if not chunk:
                    break
        except OSError:
            pass  # reset by the peer: cut off
        self.cut_after = time.monotonic() - started
        self.sock.close()


def test_nginx_in_front_of_two_processes(deployment: Deployment) -> None:
    url = deployment.nginx.url
    slow = SlowHeaders(url)
    slow.start()

    # Answers, compressed by the gateway (nginx leaves that to it), with nginx's request id.
    with _client("127.0.0.5") as c:
        answer = _post(c, url, ONE)
        assert answer.status_code == 200, answer.text
        assert answer.json()["data"] == {"spacecraft": {"name": CRAFT_NAME}}
        assert re.fullmatch(r"[0-9a-f]{32}", answer.headers["x-request-id"])
        big = c.post(
            f"{url}/graphql",
            json={"query": "{ allSpacecraft(first: 10) { nodes { name description } } }"},
            headers={"Accept-Encoding": "br"},
        )
        assert big.status_code == 200 and big.headers["content-encoding"] == "br"
        assert "Accept-Encoding" in big.headers["vary"]
        assert c.get(f"{url}/readyz").status_code == 200
        # Larger than GATEWAY_MAX_BODY_SIZE: refused by nginx before any gateway reads it.
        huge = c.post(f"{url}/graphql", content=b"x" * 1_500_000)
        assert huge.status_code == 413 and "nginx" in huge.text

    # The client's own address reaches the rate limit: one client spends its budget on both
    # processes (round robin), another is still served, even naming the first's address.
    with _client("127.0.0.2") as a:
        statuses = [_post(a, url, PAGE).status_code for _ in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]
    with _client("127.0.0.3") as b:
        assert _post(b, url, PAGE, **{"X-Forwarded-For": "127.0.0.2"}).status_code == 200
        assert _post(b, url, PAGE).status_code == 200
    clients = _settled_logs(deployment.processes, 10)
    assert sorted(clients) == ["127.0.0.2"] * 6 + ["127.0.0.3"] * 2 + ["127.0.0.5"] * 2

    # One process killed: its share moves to the other, and no request fails.
    killed, survivor = deployment.processes
    killed.stop()
    before = len(_clients_logged(survivor))
    with _client("127.0.0.4") as d:
        answers = [_post(d, url, ONE) for _ in range(8)]
    assert [r.status_code for r in answers] == [200] * 8
    assert all(r.json()["data"] == {"spacecraft": {"name": CRAFT_NAME}} for r in answers)
    assert _settled_logs([survivor], before + 8)[before:] == ["127.0.0.4"] * 8

    # The slow client, meanwhile, was cut off by nginx long before it finished its header.
    slow.join(timeout=60)
    assert slow.cut_after is not None and slow.cut_after < slow.seconds
    assert b"HTTP/1.1 2" not in slow.received
    logged = (deployment.nginx.root / "access.log").read_text().splitlines()
    assert [line for line in logged if '"POST /graphql HTTP/1.1" 408 0' in line] != []
