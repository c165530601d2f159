"""Connections as uvicorn holds them, with the bounds a server facing the internet needs and
uvicorn lacks: a time for a request's head, a lingering close for a refused body, a cap on
connections within the file limit (`protocol`), and that limit raised at start (`files`)."""

from __future__ import annotations

from gateway.connections.files import raise_open_file_limit, worker_capacity
from gateway.connections.protocol import ConnectionBounds, GatewayProtocol, protocol_factory

__all__ = [
    "ConnectionBounds",
    "GatewayProtocol",
    "protocol_factory",
    "raise_open_file_limit",
    "worker_capacity",
]
