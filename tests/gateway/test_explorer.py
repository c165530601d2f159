"""The explorer page over real HTTP: only same-origin assets, all served, under a strict CSP."""

from __future__ import annotations

import re
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from gateway import explorer
from gateway.explorer import assets, page
from tests.support.system import missing

CONTENT_TYPES = {
    ".js": {"text/javascript", "application/javascript"},
    ".css": {"text/css"},
    ".svg": {"image/svg+xml"},
}
OUR_FILES = {"explorer.js", "explorer.css", "favicon.svg"}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


class PageParser(HTMLParser):
    """What a page loads (scripts, styles, icons) and what it runs or styles inline."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.links: dict[str, str] = {}
        self.inline: list[str] = []
        self.data: dict[str, str] = {}
        self._tag: str | None = None
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self._tag = tag
        self.inline += [f"<{tag} {k}>" for k in a if k == "style" or k.startswith("on")]
        if tag == "script":
            self.assets.append(a["src"])
        elif tag == "link":
            self.assets.append(a["href"])
        elif tag in ("img", "iframe", "embed", "source"):
            self.assets.append(a["src"])
        elif tag == "style":
            self.inline.append("<style>")
        elif tag == "a":
            self._href = a["href"]
        if tag == "div" and a.get("id") == "graphiql":
            self.data = {k: v for k, v in a.items() if k.startswith("data-")}

    def handle_data(self, data: str) -> None:
        if self._tag == "script" and data.strip():
            self.inline.append("<script> body")
        if self._href is not None and data.strip():
            self.links[" ".join(data.split())] = self._href
            self._href = None

    def handle_endtag(self, tag: str) -> None:
        self._tag = None


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    return parser


def origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def require_built() -> None:
    reason = assets.missing_reason()
    if reason is not None:
        missing(str(assets.ExplorerAssetsMissing(reason)))


async def test_page_loads_only_same_origin_assets_all_served(live_gateway: str) -> None:
    require_built()
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{live_gateway}/graphql", headers={"Accept": "text/html"})
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert response.headers["content-security-policy"] == explorer.CONTENT_SECURITY_POLICY

        parsed = parse(response.text)
        assert parsed.inline == []
        assert parsed.data == {
            "data-endpoint": "/graphql",
            "data-example-query": explorer.example_query(),
        }
        urls = [urljoin(str(response.url), src) for src in parsed.assets]
        assert {Path(urlsplit(u).path).name for u in urls} == OUR_FILES | {
            name for name in assets.VENDOR_FILES if name.endswith((".js", ".css"))
        }

        stylesheets = []
        for url in urls:
            assert origin(url) == origin(live_gateway), url
            asset = await client.get(url)
            assert asset.status_code == 200, url
            content_type = asset.headers["content-type"].split(";")[0]
            assert content_type in CONTENT_TYPES[Path(urlsplit(url).path).suffix], url
            if content_type == "text/css":
                stylesheets.append((url, asset.text))

    # Fonts and icons inside the stylesheets: inlined, or from our origin.
    for url, css in stylesheets:
        for ref in CSS_URL.findall(css):
            assert ref.startswith("data:") or origin(urljoin(url, ref)) == origin(live_gateway)


async def test_page_credits_launch_library_2(live_gateway: str) -> None:
    require_built()
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{live_gateway}/graphql", headers={"Accept": "text/html"})
    assert parse(response.text).links == {
        "Launch Library 2": "https://thespacedevs.com/llapi",
        "The Space Devs": "https://thespacedevs.com",
    }


def test_policy_allows_scripts_and_connections_from_our_origin_only() -> None:
    directives = dict(
        d.split(" ", 1) for d in explorer.CONTENT_SECURITY_POLICY.split("; ") if " " in d
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert directives["object-src"] == "'none'"


def test_unbuilt_assets_are_named_with_the_command_that_builds_them(tmp_path: Path) -> None:
    reason = assets.missing_reason(tmp_path)
    assert reason == "missing " + ", ".join(sorted(assets.VENDOR_FILES))
    message = str(assets.ExplorerAssetsMissing(reason))
    assert message.startswith(f"the explorer's GraphiQL files are not built ({reason}): ")
    assert "run `make explorer`" in message


def test_stamp_must_name_the_current_lock_file(tmp_path: Path) -> None:
    for name in assets.VENDOR_FILES:
        (tmp_path / name).write_text("x")
    assert assets.missing_reason(tmp_path) == "no BUILT-FROM stamp"
    (tmp_path / assets.STAMP_NAME).write_text("0" * 64 + "\n")
    assert assets.missing_reason(tmp_path) == "built from another package-lock.json"
    (tmp_path / assets.STAMP_NAME).write_text(assets.lock_digest() + "\n")
    assert assets.missing_reason(tmp_path) is None


def test_unbuilt_explorer_answers_503_naming_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(page, "missing_reason", partial(assets.missing_reason, tmp_path))
    response = explorer.explorer_response(graphql_path="/graphql", static_path="/static")
    assert response.status_code == 503
    assert response.headers["content-security-policy"] == explorer.CONTENT_SECURITY_POLICY
    assert b"Run <code>make explorer</code>" in response.body
