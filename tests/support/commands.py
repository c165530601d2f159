"""Running `spacecraft-gateway` commands for the tests of how they fail (`gateway.failures`).

In process (`in_process`: the exit status and stderr, fast) or as a child (`child`: what the
process itself does; `privileged=False` runs it, as root, without the capability that lets root
write anywhere), with only the settings a test gives. `FAILED` is each command's first words.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from db.dataset import bundled_files
from gateway.cli import build_parser, run_command

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = str(bundled_files()[0])
SET_IT = (
    "set it to sqlite:///PATH or postgresql://USER:PASS@HOST:PORT/DB, or unset it for "
    "sqlite:///var/spacecraft.db"
)
FAILED = {
    "ingest": "ingest failed, nothing was changed",
    "sync": "sync failed, the pages saved before are kept",
    "migrate": "migrate failed, nothing was changed",
    "export": "export failed, nothing was written",
    "synth": "synth failed, nothing was changed",
    "serve": "serve cannot start",
}
WRITERS = ["ingest", "sync", "migrate", "synth"]


def argv_for(command: str, tmp_path: Path) -> list[str]:
    return {
        "ingest": ["ingest", BUNDLED],
        "sync": ["sync", "--base-url", "http://127.0.0.1:9/2.3.0", "--quiet"],
        "migrate": ["migrate"],
        "export": ["export", str(tmp_path / "export")],
        "synth": ["synth", "--into", "--spacecraft", "1", "--flights", "1", "--quiet"],
        "serve": ["serve", "--port", "0"],
    }[command]


def clean(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No setting from the test's own environment; each test sets its own, and gets them back."""
    for name in list(os.environ):
        if name.startswith(("GATEWAY_", "DATABASE_")):
            monkeypatch.delenv(name)
    for name in ("GATEWAY_HOST", "GATEWAY_PORT", "GATEWAY_WORKERS", "GATEWAY_SYNC_EVERY"):
        monkeypatch.delenv(name, raising=False)  # serve exports its options for its workers
    return monkeypatch


def in_process(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], **values: str
) -> tuple[int, str]:
    for name, value in values.items():
        env.setenv(name, value)
    status = run_command(build_parser().parse_args(argv))
    return status, capsys.readouterr().err


def child(argv: list[str], *, privileged: bool = True, **values: str) -> tuple[int, str]:
    """The command in a process of its own; unprivileged: as root without CAP_DAC_OVERRIDE."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GATEWAY_", "DATABASE_"))}
    prefix: list[str] = []
    if not privileged and os.geteuid() == 0:
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "gateway.cli", *argv],
        cwd=ROOT,
        env=env | {"PYTHONPATH": str(ROOT)} | values,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stderr


@contextmanager
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never says a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        for connection in held:
            connection.close()
        listener.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
