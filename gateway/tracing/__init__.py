"""OpenTelemetry traces, off unless an OTLP endpoint is configured by the standard variables.

`start_tracing()` (each worker process, at start) builds the SDK's tracer provider with the
OTLP/HTTP exporter when `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`
is set; every other `OTEL_*` variable (service name, headers, sampler, batch delays) is read
by the SDK itself. `TracingMiddleware` makes a span per request, continuing an incoming W3C
`traceparent`; `step(...)` makes the request's child spans (parsing, validation, planning,
execution, the cache) and `instrument_engine_spans` one per database statement. Off, each of
them costs one test of a flag.
"""

from __future__ import annotations

from gateway.tracing.database import instrument_engine_spans, trace_direct
from gateway.tracing.middleware import TracingMiddleware
from gateway.tracing.setup import Tracing, start_tracing, tracing_configured
from gateway.tracing.spans import step

__all__ = [
    "Tracing",
    "TracingMiddleware",
    "instrument_engine_spans",
    "start_tracing",
    "step",
    "trace_direct",
    "tracing_configured",
]
