"""The media types GraphQL over HTTP answers in, and the methods `/graphql` allows."""

from __future__ import annotations

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
HTML = "text/html"
RESPONSE_TYPES = (JSON, GRAPHQL_RESPONSE_JSON)  # JSON first: `*/*` and no Accept get it
ALLOW = "GET, HEAD, POST, OPTIONS"
