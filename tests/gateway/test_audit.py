"""graphql-http's audit suite against a live server: every audit must end `ok`."""

from __future__ import annotations

from tests.support.js import run_node
from tests.support.live import LiveServer


def test_every_graphql_over_http_audit_is_ok(http_server: LiveServer) -> None:
    report = run_node("audit.mjs", f"{http_server.url}/graphql")
    not_ok = [a for a in report["audits"] if a["status"] != "ok"]
    assert not_ok == [], "\n".join(
        f"{a['id']} {a['status']}: {a['name']}: {a['reason']}" for a in not_ok
    )
    assert report["counts"] == {"ok": len(report["audits"]), "notice": 0, "warn": 0, "error": 0}
    print(f"graphql-http audit: {report['counts']}")
