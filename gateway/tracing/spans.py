"""The request's child spans: `with step("graphql.parse"): ...`, nothing at all when off.

One tracer per process, like the SDK's global provider it comes from: `enable` is called by
`gateway.tracing.setup` once the provider exists, and `step` finds the request's span through
OpenTelemetry's context (a context variable), so no layer passes spans around.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Span, Tracer

_tracer: Tracer | None = None


def enable(tracer: Tracer | None) -> None:
    global _tracer
    _tracer = tracer


def tracer() -> Tracer | None:
    return _tracer


@contextlib.contextmanager
def _span(active: Tracer, name: str, attributes: dict[str, Any]) -> Iterator[Span]:
    with active.start_as_current_span(name, attributes=attributes) as span:
        yield span


def step(name: str, **attributes: Any) -> contextlib.AbstractContextManager[Span | None]:
    """A child span of the current one named `name`, or a context that does nothing."""
    if _tracer is None:
        return contextlib.nullcontext()
    return _span(_tracer, name, attributes)


def annotate(**attributes: Any) -> None:
    """Set attributes on the current span (the step or request being traced), if any."""
    if _tracer is not None:
        span = trace.get_current_span()
        for key, value in attributes.items():
            if value is not None:
                span.set_attribute(key, value)
