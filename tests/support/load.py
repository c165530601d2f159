"""A busy machine on demand: processes that keep the CPUs busy for a bounded time.

    with cpu_load(seconds=60):
        ...  # every CPU has a spinning process beside the test's own work

Each spinner stops by itself after `seconds` and is killed when the block ends, whichever is
first, so a failing test leaves nothing running.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_SPIN = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"


@contextmanager
def cpu_load(*, seconds: float, per_cpu: int = 1) -> Iterator[int]:
    """Start `per_cpu` spinning processes per CPU; yields how many."""
    count = (os.cpu_count() or 1) * per_cpu
    spinners = [
        subprocess.Popen([sys.executable, "-c", _SPIN.format(seconds=seconds)])
        for _ in range(count)
    ]
    try:
        yield count
    finally:
        for spinner in spinners:
            spinner.kill()
        for spinner in spinners:
            spinner.wait()
