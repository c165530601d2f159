"""Servers in processes of their own, for tests that signal them or run several side by side."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


class Process:
    """A server process with its output in files (a pipe could fill and stall it)."""

    def __init__(self, args: list[str], env: dict[str, str], directory: Path) -> None:
        self.stdout_path = directory / "stdout.log"
        self.stderr_path = directory / "stderr.log"
        full_env = {**os.environ, "PYTHONPATH": str(ROOT), **env}
        with self.stdout_path.open("wb") as out, self.stderr_path.open("wb") as err:
            # A group of its own: `stop` takes uvicorn's workers too, which outlive a killed parent.
            self.popen = subprocess.Popen(
                args, cwd=ROOT, env=full_env, stdout=out, stderr=err, start_new_session=True
            )

    @property
    def stdout(self) -> str:
        return self.stdout_path.read_text()

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text()

    def wait_until_up(self, url: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise AssertionError(f"the server exited {self.popen.returncode}:\n{self.stderr}")
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        raise AssertionError(f"the server did not answer in {timeout} s:\n{self.stderr}")

    def stop(self) -> None:
        """Kill the server and every process it started (its workers)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()
