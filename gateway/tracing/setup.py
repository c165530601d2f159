"""Starting and stopping the SDK's tracer provider in a worker process, from `OTEL_*`."""

from __future__ import annotations

import os
from typing import Any

from gateway import __version__
from gateway.tracing import spans

SERVICE_NAME = "spacecraft-gateway"
ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")


def tracing_configured(environ: dict[str, str] | None = None) -> bool:
    """Whether traces are to be exported: an OTLP endpoint is set and nothing turns them off."""
    env = os.environ if environ is None else environ
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    if env.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower() == "none":
        return False
    return any(env.get(name) for name in ENDPOINT_VARIABLES)


class Tracing:
    """The process's provider; `shutdown()` sends what is still batched."""

    def __init__(self, provider: Any) -> None:
        self.provider = provider

    def shutdown(self) -> None:
        spans.enable(None)
        self.provider.shutdown()


def start_tracing() -> Tracing | None:
    if not tracing_configured():
        return None
    # Imported only when on: the SDK and the exporter (protobuf) cost start-up time.
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    resource = Resource.create({"service.version": __version__})  # reads OTEL_RESOURCE_*
    if str(resource.attributes.get("service.name", "")).startswith("unknown_service"):
        # Named by neither OTEL_SERVICE_NAME nor OTEL_RESOURCE_ATTRIBUTES: ours.
        resource = resource.merge(Resource({"service.name": SERVICE_NAME}))
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    spans.enable(provider.get_tracer("gateway", __version__))
    return Tracing(provider)
