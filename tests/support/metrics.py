"""Reading `/metrics` the way Prometheus does: the text format, parsed into samples."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

Labels = frozenset[tuple[str, str]]


def scrape(url: str, *, token: str | None = None) -> dict[str, dict[Labels, float]]:
    """Every sample of `url`/metrics: name -> {labels: value}."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx.get(f"{url}/metrics", headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    samples: dict[str, dict[Labels, float]] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples.setdefault(sample.name, {})[frozenset(sample.labels.items())] = sample.value
    return samples


def value(samples: dict[str, dict[Labels, float]], name: str, **labels: str) -> float:
    """The sample of `name` with exactly these labels; 0 when there is none yet."""
    return samples.get(name, {}).get(frozenset(labels.items()), 0.0)


def requests_by_answer(samples: dict[str, dict[Labels, float]]) -> dict[tuple[str, ...], float]:
    """`gateway_requests_total` on /graphql as {(operation, answer, code, status): count}."""
    found = {}
    for labels, count in samples.get("gateway_requests_total", {}).items():
        d = dict(labels)
        if d["route"] == "/graphql":
            found[(d["operation"], d["answer"], d["code"], d["status"])] = count
    return found
