"""What a read refuses to build, in its own terms: the gateway tells the client."""

from __future__ import annotations


class BadRead(ValueError):
    """A read asked for something it cannot be (an unknown ordering, text no database holds);
    the message says what and where, for the client."""
