"""Serving under a reverse proxy's path prefix (`root_path`, e.g. `/api`).

The prefix becomes the ASGI `root_path`, so routes match and links and redirects include it. A
proxy may strip the prefix (`/graphql` arrives) or pass it on (`/api/graphql` arrives); both work.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class RootPathMiddleware:
    def __init__(self, app: ASGIApp, root_path: str) -> None:
        self.app = app
        self.root_path = root_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.root_path:
            path: str = scope["path"]
            if not (path == self.root_path or path.startswith(self.root_path + "/")):
                path = self.root_path + path
            scope = {**scope, "root_path": self.root_path, "path": path}
        await self.app(scope, receive, send)
