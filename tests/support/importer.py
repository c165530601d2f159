"""An import in a process of its own that says when it starts writing, for tests that kill it
mid-way or read while it writes.

    python -m tests.support.importer PATH...   # DATABASE_URL from the environment

It runs the importer exactly as `spacecraft-gateway ingest` does, and prints `writing` (when its
one transaction starts) and `done` (once it has committed), each on a line of its own.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from db.engine import create_engine
from db.ingest import ingest

ROOT = Path(__file__).resolve().parents[2]


class Marks:
    """A progress display that only marks the moments a test waits for."""

    def update(self, text: str, *, force: bool = False) -> None:
        if text.startswith("writing"):
            print("writing", flush=True)

    def done(self) -> None:
        pass


async def main(paths: list[str]) -> None:
    engine = create_engine(os.environ["DATABASE_URL"])
    try:
        await ingest(engine, paths, progress=Marks())  # type: ignore[arg-type]
    finally:
        await engine.dispose()
    print("done", flush=True)


class ImportProcess:
    def __init__(self, database_url: str, *paths: Path) -> None:
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "tests.support.importer", *map(str, paths)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": database_url},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_for(self, mark: str) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            if line.strip() == mark:
                return
        self.popen.wait()
        stderr = self.popen.stderr.read() if self.popen.stderr else ""
        raise AssertionError(
            f"the import ended ({self.popen.returncode}) before {mark!r}:\n{stderr}"
        )

    def kill(self) -> None:
        self.popen.kill()  # SIGKILL: no cleanup of any kind
        self.popen.wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
