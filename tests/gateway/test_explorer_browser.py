"""The explorer in a real browser, offline: Debian's headless Chromium driven by Playwright.

Every request that is not to the local server is aborted and recorded; the test asserts there
was none. The page must load under its own Content-Security-Policy without a single violation,
run the example query from its first tab, show the bundled spacecraft in the result panel, and
show the schema's descriptions in the documentation pane. A screenshot is kept under
test-artifacts/.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import httpx

from gateway import explorer
from gateway.explorer import assets
from tests.support.data import sample_spacecraft
from tests.support.system import missing

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 30_000

# CodeMirror 5 keeps its editor object on its wrapper element; only the lines in view are in the
# DOM, so the whole text comes from the editor.
EDITOR_TEXT = "selector => document.querySelector(selector).CodeMirror.getValue()"
QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
RESULT_EDITOR = ".result-window .CodeMirror"


async def post(url: str, query: str) -> dict[str, Any]:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{url}/graphql", json={"query": query})
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    assert "errors" not in result, result
    return result


async def test_explorer_runs_the_example_query_offline(
    live_gateway: str, backend: str, tmp_path: Path
) -> None:
    if not os.access(CHROMIUM, os.X_OK):
        missing(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    reason = assets.missing_reason()
    if reason is not None:
        missing(str(assets.ExplorerAssetsMissing(reason)))
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        missing("Playwright for Python is not installed (pip install -e '.[dev]')")

    expected = await post(live_gateway, explorer.example_query())
    # The three pages of /spacecraft/ and the spacecraft of the detailed flight.
    bundled_names = {s["name"] for s in sample_spacecraft()} | {"Vostok-3KA No.7"}
    data = expected["data"]
    assert data["allSpacecraft"]["totalCount"] == len(bundled_names) == 31
    listed = [node["name"] for node in data["allSpacecraft"]["nodes"]]
    assert len(listed) == 5
    assert set(listed) <= bundled_names
    assert data["shenzhou13"] == {"name": "Shenzhou 13", "timeInSpace": "P182DT9H32M41S"}

    introspection = await post(
        live_gateway, "{ __schema { queryType { name fields { name description } } } }"
    )
    query_type = introspection["data"]["__schema"]["queryType"]
    (all_spacecraft,) = [f for f in query_type["fields"] if f["name"] == "allSpacecraft"]
    description = all_spacecraft["description"].split("\n\n")[0]
    assert description

    blocked: list[str] = []
    requested: list[str] = []
    problems: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)

    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 900},
        )
        try:

            async def route(r: Any) -> None:
                if r.request.url.startswith(f"{live_gateway}/"):
                    await r.continue_()
                else:
                    blocked.append(r.request.url)
                    await r.abort()

            await context.route("**/*", route)
            page = context.pages[0] if context.pages else await context.new_page()
            page.on("request", lambda r: requested.append(r.url))
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on(
                "console",
                lambda m: (
                    problems.append(f"console {m.type}: {m.text}")
                    if m.type in ("error", "warning")
                    else None
                ),
            )

            await page.goto(f"{live_gateway}/graphql", timeout=TIMEOUT_MS)
            await page.wait_for_selector(QUERY_EDITOR, timeout=TIMEOUT_MS)
            assert await page.evaluate(EDITOR_TEXT, QUERY_EDITOR) == explorer.example_query()

            await page.click("button.graphiql-execute-button", timeout=TIMEOUT_MS)
            result = page.locator(".result-window")
            await result.get_by_text(listed[0], exact=False).first.wait_for(timeout=TIMEOUT_MS)
            assert json.loads(await page.evaluate(EDITOR_TEXT, RESULT_EDITOR)) == expected

            docs = page.locator(".graphiql-doc-explorer")
            await docs.get_by_role("link", name=query_type["name"], exact=True).click()
            await docs.get_by_text(description, exact=False).first.wait_for(timeout=TIMEOUT_MS)

            credit = page.locator("footer.credit")
            assert " ".join((await credit.inner_text()).split()).startswith(
                "Data: Launch Library 2 by The Space Devs"
            )
            assert await credit.is_visible()

            await page.screenshot(path=str(ARTIFACTS / f"explorer-{backend}.png"))
        finally:
            await context.close()

    assert blocked == []
    assert problems == []
    assert requested and all(u.startswith(f"{live_gateway}/") for u in requested), requested
