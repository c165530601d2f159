"""Choosing media types and content codings from Accept headers."""

from __future__ import annotations

import pytest

from gateway.negotiation import choose_encoding, choose_media_type, media_type

GQL = "application/graphql-response+json"
JSON = "application/json"
HTML = "text/html"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "offers", "chosen"),
    [
        pytest.param(None, (JSON, GQL), JSON, id="absent"),
        pytest.param("  ", (JSON, GQL), JSON, id="blank"),
        pytest.param("*/*", (JSON, GQL, HTML), JSON, id="any"),
        pytest.param(BROWSER, (JSON, GQL, HTML), HTML, id="browser"),
        pytest.param(BROWSER, (JSON, GQL), JSON, id="browser-no-html"),
        pytest.param(f"{GQL}, {JSON};q=0.9", (JSON, GQL), GQL, id="apollo"),
        pytest.param(f"{GQL}, {JSON}", (JSON, GQL), GQL, id="client-order"),
        pytest.param(f"{JSON};q=0, */*", (JSON, GQL), GQL, id="refused"),
        pytest.param("application/*;q=0.5, text/*", (JSON, GQL, HTML), HTML, id="type-wildcard"),
        pytest.param("text/csv", (JSON, GQL), None, id="none-fits"),
        pytest.param("APPLICATION/JSON; charset=utf-8", (JSON, GQL), JSON, id="case-params"),
        pytest.param(f"{JSON};q=2, {GQL};q=abc, {HTML}", (JSON, GQL, HTML), HTML, id="bad-q"),
    ],
)
def test_choose_media_type(accept: str | None, offers: tuple[str, ...], chosen: str | None) -> None:
    assert choose_media_type(accept, offers) == chosen


@pytest.mark.parametrize(
    ("accept_encoding", "chosen"),
    [
        pytest.param(None, None, id="absent"),
        pytest.param("gzip, deflate, br, zstd", "br", id="browser"),
        pytest.param("gzip", "gzip", id="gzip"),
        pytest.param("br;q=0.5, gzip", "gzip", id="quality"),
        pytest.param("*", "br", id="any"),
        pytest.param("*;q=0", None, id="nothing"),
        pytest.param("br;q=0, *", "gzip", id="not-br"),
        pytest.param("identity, deflate", None, id="unsupported"),
    ],
)
def test_choose_encoding(accept_encoding: str | None, chosen: str | None) -> None:
    assert choose_encoding(accept_encoding, ("br", "gzip")) == chosen


def test_media_type_splits_parameters() -> None:
    assert media_type('Application/JSON; Charset="UTF-8"; x=1') == (
        "application/json",
        {"charset": "utf-8", "x": "1"},
    )
