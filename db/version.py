"""The project's version, for the data layer (the User-Agent the sync sends, dataset facts).

`db/` never imports `gateway/`, so the version comes from the installed package's metadata or,
in a source checkout that was never installed, from pyproject.toml beside the packages.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "spacecraft-gateway"


@cache
def project_version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pass
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"
