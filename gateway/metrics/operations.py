"""Operation names as metric labels, bounded so that no client can multiply the series.

A name becomes a label value only if its operation passed validation (so a client cannot claim
the slots with documents that never run), it is a GraphQL name of at most `MAX_NAME_LENGTH`
characters, and it is one of the first `limit` distinct names this process has seen. Every
other valid name is counted as `OTHER`, the name of a request refused before its operation
was validated as `UNKNOWN`, and a request without a name as `ANONYMOUS`.
"""

from __future__ import annotations

import re

OTHER = "(other)"
UNKNOWN = "(unknown)"
ANONYMOUS = "(anonymous)"
MAX_NAME_LENGTH = 64
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")


class OperationNames:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._admitted: set[str] = set()

    def label(self, name: object, *, valid: bool = True) -> str:
        if not name or not isinstance(name, str):
            return ANONYMOUS
        if not valid:
            return UNKNOWN
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
