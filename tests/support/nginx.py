"""Debian's nginx running `deploy/nginx/spacecraft-gateway.conf` in front of a test's gateways.

The deployed file is used as it is, but for its addresses: the upstream servers become the
test's `serve` processes and `listen 80` a free loopback port. Everything nginx writes (pid,
logs, temporary files) goes to a temporary directory removed at `stop`.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.support.pgserver import free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOYED = ROOT / "deploy" / "nginx" / "spacecraft-gateway.conf"
UPSTREAM_LINE = re.compile(r"^(\s*server )127\.0\.0\.1:\d+( .*;)$", re.MULTILINE)


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None
    )


def site_config(upstreams: list[int], listen: int) -> str:
    """The deployed file, pointing at `upstreams` (one port per line it has) and `listen`."""
    text = DEPLOYED.read_text()
    lines = UPSTREAM_LINE.findall(text)
    assert len(lines) == len(upstreams), f"{DEPLOYED} names {len(lines)} upstream servers"
    ports = iter(upstreams)
    text = UPSTREAM_LINE.sub(lambda m: f"{m[1]}127.0.0.1:{next(ports)}{m[2]}", text)
    assert text.count("listen 80;") == 1
    return text.replace("listen 80;", f"listen 127.0.0.1:{listen};")


class Nginx:
    def __init__(self, binary: str, upstreams: list[int]) -> None:
        self.binary = binary
        self.root = Path(tempfile.mkdtemp(prefix="gateway-nginx-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        (self.root / "site.conf").write_text(site_config(upstreams, self.port))
        temp = "\n".join(
            f"  {kind}_temp_path {self.root / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        user = "user root root;\n" if os.geteuid() == 0 else ""
        (self.root / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {self.root / 'nginx.pid'};\n"
            f"error_log {self.root / 'error.log'} info;\n"
            "events { worker_connections 256; }\n"
            f"http {{\n  access_log {self.root / 'access.log'};\n{temp}\n"
            f"  include {self.root / 'site.conf'};\n}}\n"
        )
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30) -> Nginx:
        command = [self.binary, "-p", str(self.root), "-c", str(self.root / "nginx.conf")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        self.popen = subprocess.Popen(
            [*command, "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=(self.root / "stderr.log").open("wb"),
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.popen.poll() is None, self.error_log()
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"nginx did not listen in {timeout} s:\n{self.error_log()}")

    def error_log(self) -> str:
        path = self.root / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.popen.terminate()  # the master stops its worker
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, 9)
                self.popen.wait()
        shutil.rmtree(self.root, ignore_errors=True)
