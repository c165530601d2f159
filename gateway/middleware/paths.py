"""The path a request names below the app's root path, as the router matches it, and the route
it names as a label of metrics and spans (one of a fixed few, so that scanning for URLs cannot
multiply them)."""

from __future__ import annotations

from starlette.types import Scope


def route_path(scope: Scope) -> str:
    path: str = scope["path"]
    root = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


ROUTES = ("/graphql", "/metrics", "/readyz", "/healthz", "/schema.graphql", "/")
EXPLORER_FILES = "/explorer/static"


def route_label(scope: Scope) -> str:
    path = route_path(scope)
    if path in ROUTES:
        return path
    if path.startswith(EXPLORER_FILES + "/"):
        return EXPLORER_FILES
    return "other"
