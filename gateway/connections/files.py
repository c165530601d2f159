"""The limit on open files, and how many connections it leaves a worker.

Each connection is a file descriptor. A soft limit of 1,024 (a common default) would make a
worker fail to accept past about a thousand connections, so `serve` raises the soft limit to the
hard one at start, as nginx's `worker_rlimit_nofile` does; the workers inherit it. A worker then
holds at most the limit less `RESERVED_FILES`, kept for what else it opens (its database
connections, the SQLite file, logs), and refuses the excess itself rather than failing to accept.
"""

from __future__ import annotations

import logging
import resource

# Files a worker keeps for other than connections: its pool of database connections (up to 15),
# the version's connections, the SQLite file and its journal, logs, sockets of the sync.
RESERVED_FILES = 128

log = logging.getLogger("gateway.connections")


def raise_open_file_limit() -> int:
    """Raise the soft limit on open files to the hard one; the soft limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == hard or hard == resource.RLIM_INFINITY:  # nothing to raise to
        return soft
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ValueError, OSError) as e:  # a container may forbid it
        log.warning("could not raise the limit on open files from %d to %d: %s", soft, hard, e)
        return soft
    return hard


def worker_capacity(configured: int = 0) -> int:
    """The connections a worker holds: `configured`, within what the file limit allows."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    allowed = max(1, soft - RESERVED_FILES)
    return min(configured, allowed) if configured else allowed
