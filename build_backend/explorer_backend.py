"""The build backend: setuptools', with the explorer's GraphiQL files built before a package.

`python -m build` (and `pip install .`) call `build_sdist` and `build_wheel` here. Before either,
GraphiQL and React are fetched with `npm ci` from `gateway/explorer/package-lock.json` into
`gateway/explorer/static/vendor/` (`gateway.explorer.build`), unless they are there already,
built from that lock file. The sdist carries the built files, so a wheel built from it needs no
npm, and a wheel carries them so that an installed gateway serves its explorer. Editable
installs (`make install`) are setuptools' own: `make explorer` builds the files in place.
"""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path
from typing import Any

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403  (every other hook is setuptools')

ROOT = Path(__file__).resolve().parents[1]


def _explorer_build() -> types.ModuleType:
    """`gateway.explorer.build`, imported without `gateway`'s dependencies (Starlette), which a
    build environment does not have: its packages stand in as bare namespaces meanwhile."""
    saved = {name: sys.modules.get(name) for name in ("gateway", "gateway.explorer")}
    for name in saved:
        package = types.ModuleType(name)
        package.__path__ = [str(ROOT.joinpath(*name.split(".")))]
        sys.modules[name] = package
    try:
        return importlib.import_module("gateway.explorer.build")
    finally:
        for name in (*saved, "gateway.explorer.build", "gateway.explorer.assets"):
            sys.modules.pop(name, None)
        sys.modules.update({name: module for name, module in saved.items() if module})


def build_explorer() -> None:
    builder = _explorer_build()
    reason = builder.missing_reason()
    if reason is None:
        return
    print(f"building the explorer's GraphiQL files ({reason})", file=sys.stderr)
    try:
        builder.build()
    except builder.BuildError as e:
        raise SystemExit(f"cannot package the gateway without its explorer: {e}") from None


def build_sdist(sdist_directory: str, config_settings: dict[str, Any] | None = None) -> str:
    build_explorer()
    return str(_setuptools.build_sdist(sdist_directory, config_settings))


def build_wheel(
    wheel_directory: str,
    config_settings: dict[str, Any] | None = None,
    metadata_directory: str | None = None,
) -> str:
    build_explorer()
    return str(_setuptools.build_wheel(wheel_directory, config_settings, metadata_directory))
