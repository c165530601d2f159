"""What every subcommand shares: the database URL and running a coroutine to an exit status."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine
from typing import Any

from db.engine import DEFAULT_DATABASE_URL


def database_url() -> str:
    return os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)


def run(coro: Coroutine[Any, Any, int]) -> int:
    return asyncio.run(coro)
