"""A real Prometheus server (Debian's `prometheus`) scraping a test's gateway, and its PromQL API.

It scrapes every `interval` (a second by default, so that a test waits seconds, not minutes)
and keeps its data in a temporary directory removed at `stop`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from tests.support.pgserver import free_port


def prometheus_binary() -> str | None:
    return shutil.which("prometheus")


class PrometheusServer:
    def __init__(
        self, binary: str, target: str, *, token: str | None = None, interval: str = "1s"
    ) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="gateway-prometheus-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        job: dict[str, Any] = {
            "job_name": "gateway",
            "scrape_interval": interval,
            "scrape_timeout": interval,
            "metrics_path": "/metrics",
            "static_configs": [{"targets": [target]}],
        }
        if token is not None:
            job["authorization"] = {"type": "Bearer", "credentials": token}
        config = self.root / "prometheus.yml"
        # JSON is YAML: no YAML writer needed.
        config.write_text(json.dumps({"scrape_configs": [job]}))
        self.log = self.root / "prometheus.log"
        self.command = [
            binary,
            f"--config.file={config}",
            f"--storage.tsdb.path={self.root / 'data'}",
            f"--web.listen-address=127.0.0.1:{self.port}",
        ]
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> PrometheusServer:
        with self.log.open("wb") as log:
            self.popen = subprocess.Popen(
                self.command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"prometheus exited {self.popen.returncode}:\n{self.logs()}")
            try:
                if httpx.get(f"{self.url}/-/ready", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"prometheus was not ready in {timeout} s:\n{self.logs()}")

    def logs(self) -> str:
        return self.log.read_text(errors="replace")

    def query(self, promql: str) -> list[dict[str, Any]]:
        """An instant query's vector: [{"metric": {...}, "value": [time, "text"]}, ...]."""
        response = httpx.get(f"{self.url}/api/v1/query", params={"query": promql}, timeout=10)
        body = response.json()
        assert body["status"] == "success", body
        result: list[dict[str, Any]] = body["data"]["result"]
        return result

    def wait_for(self, promql: str, expected: dict[str, float], timeout: float = 60) -> None:
        """Poll until `promql` gives `expected`: {"label=value,label=value" (sorted): value}."""
        deadline = time.monotonic() + timeout
        found: dict[str, float] = {}
        while time.monotonic() < deadline:
            found = {
                ",".join(f"{k}={v}" for k, v in sorted(item["metric"].items())): float(
                    item["value"][1]
                )
                for item in self.query(promql)
            }
            if found == expected:
                return
            time.sleep(0.25)
        raise AssertionError(
            f"{promql} gave {found}, not {expected}, for {timeout} s; targets: "
            f"{httpx.get(f'{self.url}/api/v1/targets').text}"
        )

    def stop(self) -> None:
        if self.popen is not None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        shutil.rmtree(self.root, ignore_errors=True)
