"""Logs as JSON lines, one object per record, for whatever collects the service's output.

A record's `fields` (passed as `extra={"fields": {...}}`, as the access log does) become keys of
the object. `logging_config` is handed to uvicorn, so its own lines come out the same way.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import orjson


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update(fields)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


def logging_config(*, level: str = "info", access_log: bool = True) -> dict[str, Any]:
    """A `logging.config.dictConfig` mapping: JSON to stderr, access lines to stdout."""
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
            "stdout": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "gateway": {"handlers": ["stderr"], "level": level, "propagate": False},
            "gateway.access": {
                "handlers": ["stdout"] if access_log else [],
                "level": "INFO" if access_log else "WARNING",
                "propagate": False,
            },
            "strawberry": {"handlers": ["stderr"], "level": level, "propagate": False},
        },
    }
