"""GraphiQL, served by the gateway itself: every script, style and font from our own origin.

The HTTP layer answers a browser at the API's path with `explorer_response(...)` and mounts
`static_app()` at the `static_path` it passed; `CONTENT_SECURITY_POLICY` is what the page needs
(and all it needs). GraphiQL and React come from npm at install time (`make explorer`);
`assets_built()` says whether they are there, `require_assets()` raises naming the command.
"""

from __future__ import annotations

from starlette.staticfiles import StaticFiles

from gateway.explorer.assets import (
    BUILD_COMMAND,
    STATIC_DIR,
    ExplorerAssetsMissing,
    assets_built,
    require_assets,
)
from gateway.explorer.page import CONTENT_SECURITY_POLICY, example_query, explorer_response

__all__ = [
    "BUILD_COMMAND",
    "CONTENT_SECURITY_POLICY",
    "ExplorerAssetsMissing",
    "assets_built",
    "example_query",
    "explorer_response",
    "require_assets",
    "static_app",
]


def static_app() -> StaticFiles:
    """The explorer's files (ours and the built vendor files), to mount at `static_path`."""
    return StaticFiles(directory=STATIC_DIR)
