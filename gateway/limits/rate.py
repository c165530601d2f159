"""A budget of cost per client per minute: a token bucket per client address.

Each client's bucket holds up to `budget` nodes and refills continuously (`budget` a minute);
an admitted operation takes its cost, at least 1. When the bucket lacks the cost the request
gets 429 with `Retry-After`, the seconds until it would hold enough. Buckets live in the
worker's memory (each of `serve --workers N` keeps its own), at most `max_clients` of them: the
least recently seen client is forgotten first, which only ever refills its bucket.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable

from gateway.http.errors import Rejected
from gateway.limits.cost import Cost

PERIOD = 60.0


class RateLimiter:
    def __init__(
        self,
        budget: int,
        *,
        period: float = PERIOD,
        max_clients: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.budget = budget
        self.period = period
        self.max_clients = max_clients
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # level, when

    def wait(self, client: str, nodes: int) -> float:
        """Take `nodes` from the client's bucket and answer 0, or the seconds to wait."""
        now = self.clock()
        level, then = self._buckets.pop(client, (float(self.budget), now))
        level = min(float(self.budget), level + (now - then) * self.budget / self.period)
        wait = 0.0
        if nodes > self.budget:
            wait = self.period
        elif level >= nodes:
            level -= nodes
        else:
            wait = (nodes - level) * self.period / self.budget
        self._buckets[client] = (level, now)
        if len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        return wait

    def check(self, client: str, cost: Cost) -> Rejected | None:
        nodes = max(cost.nodes, 1)
        wait = self.wait(client, nodes)
        if not wait:
            return None
        if nodes > self.budget:
            message = (
                f"this operation costs {nodes} nodes, more than the {self.budget} a client may "
                "spend in a minute; ask for smaller pages"
            )
        else:
            message = (
                f"rate limit reached: a client may spend {self.budget} nodes a minute, and this "
                f"operation costs {nodes}; retry in {math.ceil(wait)} s"
            )
        return Rejected(
            message,
            status=429,
            code="RATE_LIMITED",
            headers={"Retry-After": str(math.ceil(wait))},
            extensions=cost.extension(),
        )
