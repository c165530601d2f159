"""The explorer's HTML page and the Content-Security-Policy it satisfies.

The page holds no inline script or style: it loads GraphiQL, React and our boot script
(`static/explorer.js`) from the gateway's own origin and hands them the endpoint and the example
query (`example.graphql`, the one place to change it) in data attributes.
"""

from __future__ import annotations

import html
from functools import cache
from string import Template

from starlette.responses import HTMLResponse

from gateway.explorer.assets import HERE, missing_reason

EXAMPLE_QUERY_FILE = HERE / "example.graphql"

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        # GraphiQL's dialogs (settings, shortcuts) lock page scrolling through
        # react-remove-scroll, which adds a <style> element computed at run time (it holds the
        # scrollbar's width), so no hash can name it, and the UMD build gives no way to hand it
        # a nonce. Styles can restyle, never run code; scripts stay 'self' only.
        "style-src 'self' 'unsafe-inline'",
        # GraphiQL's stylesheet (served by us) inlines its fonts and a few icons as data: URLs.
        "font-src 'self' data:",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


@cache
def example_query() -> str:
    return EXAMPLE_QUERY_FILE.read_text()


@cache
def _template() -> Template:
    return Template((HERE / "page.html").read_text())


def render_page(*, graphql_path: str, static_path: str) -> str:
    return _template().substitute(
        graphql=html.escape(graphql_path),
        static=html.escape(static_path.rstrip("/")),
        example_query=html.escape(example_query()),
    )


def _unbuilt_page(reason: str) -> str:
    return (
        "<!doctype html><html lang=en><meta charset=utf-8><title>Explorer not built</title>"
        f"<p>The explorer's GraphiQL files are not built ({html.escape(reason)}). "
        "Run <code>make explorer</code> (or <code>make serve</code>) and reload.</p></html>"
    )


def explorer_response(*, graphql_path: str, static_path: str) -> HTMLResponse:
    """GraphiQL for the API at `graphql_path`, its files served from `static_path`.

    When the files are not built, a 503 page naming the command that builds them.
    """
    headers = {"Content-Security-Policy": CONTENT_SECURITY_POLICY}
    reason = missing_reason()
    if reason is not None:
        return HTMLResponse(_unbuilt_page(reason), status_code=503, headers=headers)
    page = render_page(graphql_path=graphql_path, static_path=static_path)
    return HTMLResponse(page, headers=headers)
