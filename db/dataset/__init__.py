"""The bundled dataset: real LL2 responses (The Space Devs' Launch Library 2, API 2.3.0).

Three pages of `/spacecraft/` and one detailed `/spacecraft_flights/358/`, saved from LL2's
browsable API. Loaded into an empty database so a new user sees real spacecraft at once.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def bundled_files() -> list[Path]:
    root = resources.files("db.dataset")
    return sorted(
        Path(str(root.joinpath(p.name))) for p in root.iterdir() if p.name.endswith(".txt")
    )
