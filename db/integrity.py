"""Refusing a damaged SQLite file before a command trusts it (`PRAGMA quick_check`).

A file with some of its pages overwritten still opens, and its schema may still read well: a
server on it would say it is ready and answer 500 wherever a request reaches the damage. The
commands that write, `export` and `serve` check the file first and refuse a damaged one with the
way to restore it. `quick_check` reads every page once (no index cross-checks): about a second
per few hundred megabytes. PostgreSQL checks its own pages; nothing is done there.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

# What SQLite says when a file is not (or no longer) a database.
DAMAGE_WORDS = ("malformed", "not a database", "database corrupt")


class DamagedDatabase(RuntimeError):
    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        detail = " ".join(detail.split())  # SQLite's report spans lines; this is one
        super().__init__(
            f"the database file {path} is damaged ({detail}): move it aside and restore it, "
            "either with `spacecraft-gateway ingest` from a backup that `spacecraft-gateway "
            "export` wrote, or afresh with `ingest` or `sync`"
        )


def is_damage(message: str) -> bool:
    return any(word in message.lower() for word in DAMAGE_WORDS)


async def check_integrity(engine: AsyncEngine) -> None:
    """Raise `DamagedDatabase` unless SQLite's quick check of the whole file finds it sound."""
    if engine.dialect.name != "sqlite":
        return
    # A read-only engine names its file as a URI: file:PATH?mode=ro
    path = (engine.url.database or "").removeprefix("file:").split("?")[0]
    try:
        async with engine.connect() as conn:
            found = list((await conn.exec_driver_sql("PRAGMA quick_check(3)")).scalars())
    except DBAPIError as e:
        if is_damage(str(e.orig)):
            raise DamagedDatabase(path, str(e.orig)) from e
        raise
    if found != ["ok"]:
        raise DamagedDatabase(path, "; ".join(str(line) for line in found))
