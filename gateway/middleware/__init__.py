"""Pure ASGI middleware, one concern each, assembled in `gateway.app` (outermost first)."""
