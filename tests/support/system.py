"""Finding the system programs some tests need, and what to do when one is missing.

On a user's machine a test whose program is missing skips with the reason; under
GATEWAY_REQUIRE_ALL=1 (CI) it fails instead, so CI never passes by skipping.
"""

from __future__ import annotations

import glob
import os
import shutil

import pytest


def require_all() -> bool:
    return os.environ.get("GATEWAY_REQUIRE_ALL") == "1"


def missing(reason: str) -> None:
    """Skip (or, under GATEWAY_REQUIRE_ALL=1, fail) the current test for a missing program."""
    if require_all():
        pytest.fail(f"{reason} (GATEWAY_REQUIRE_ALL=1 forbids skipping)")
    pytest.skip(reason)


def postgres_bin() -> str | None:
    """The directory of PostgreSQL's server binaries, newest version first."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return os.path.dirname(found[0])
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None
