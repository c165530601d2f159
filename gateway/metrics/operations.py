"""Operation names as metric labels, bounded so that no client can multiply the series.

A name becomes a label value only if it is a GraphQL name of at most `MAX_NAME_LENGTH`
characters and one of the first `limit` distinct names this process has seen; every other
name is counted as `OTHER`, and a request without one (anonymous, or refused before its
operation was known) as `ANONYMOUS`.
"""

from __future__ import annotations

import re

OTHER = "(other)"
ANONYMOUS = "(anonymous)"
MAX_NAME_LENGTH = 64
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")


class OperationNames:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._admitted: set[str] = set()

    def label(self, name: object) -> str:
        if not name or not isinstance(name, str):
            return ANONYMOUS
        if name in self._admitted:
            return name
        if (
            len(self._admitted) >= self.limit
            or len(name) > MAX_NAME_LENGTH
            or _NAME.fullmatch(name) is None
        ):
            return OTHER
        self._admitted.add(name)
        return name
