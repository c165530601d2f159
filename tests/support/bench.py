"""Running a benchmark script the way its smoke test does: from the project's root, as a user
would, with the project on the path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_bench(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """`python ARGS...` from the root; it must exit 0 (its stderr is the failure's message)."""
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr
    return result
