"""The numbers the limits hold a request to, with the defaults the README's Settings table lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gateway.settings import Settings


@dataclass(frozen=True)
class LimitConfig:
    max_query_size: int = 65_536
    max_tokens: int = 5_000
    max_depth: int = 16
    max_aliases: int = 30
    max_directives: int = 50
    max_page_size: int = 100
    max_cost: int = 50_000
    rate_limit: int = 0  # nodes per client per minute; 0: no limit
    execution_timeout: float = 10.0
    introspection: bool = True
    suggestions: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> LimitConfig:
        return cls(
            max_query_size=settings.max_query_size,
            max_tokens=settings.max_tokens,
            max_depth=settings.max_depth,
            max_aliases=settings.max_aliases,
            max_directives=settings.max_directives,
            max_page_size=settings.max_page_size,
            max_cost=settings.max_cost,
            rate_limit=settings.rate_limit,
            execution_timeout=settings.execution_timeout,
            introspection=settings.introspection,
            suggestions=settings.debug,
        )
