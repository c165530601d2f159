"""Query limits: what a request may ask for, checked before anything executes, so that one
request cannot take a worker, the database or the network hostage.

Each check is a module of its own, in the order of precedence that decides the code when
several apply: `size` (QUERY_TOO_LARGE), `tokens` (MAX_TOKENS_EXCEEDED), `depth`
(MAX_DEPTH_EXCEEDED), `aliases` (MAX_ALIASES_EXCEEDED), `directives` (MAX_DIRECTIVES_EXCEEDED),
`validation` (GRAPHQL_VALIDATION_FAILED) and `variables` (BAD_USER_INPUT), `pages`
(BAD_USER_INPUT), `cost` (COST_LIMIT_EXCEEDED); then `rate` (429, RATE_LIMITED) and `deadline`
(504, TIMEOUT) around execution. `step.Limits` runs them as one step of the HTTP pipeline, and
works in process too:

    limits = Limits(schema, LimitConfig(max_depth=5))
    limits.check_source(request); cost = limits.check(prepare(request))
"""

from gateway.limits.config import LimitConfig
from gateway.limits.cost import Cost
from gateway.limits.rate import RateLimiter
from gateway.limits.step import Limits

__all__ = ["Cost", "LimitConfig", "Limits", "RateLimiter"]
