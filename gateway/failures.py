"""Why a command cannot work, in one line, and the exit status for that kind of problem.

Every subcommand lets what it cannot handle itself reach `gateway.cli.main`, which asks
`explain` for a `Problem`: one line naming the setting or the file, what is wrong with it and
what to do, and the same exit status for the same kind of problem whichever command met it.
What `explain` does not know is a bug of ours and keeps its traceback.
"""

from __future__ import annotations

import enum
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from db.engine import (
    UnsupportedDatabase,
    UnsupportedSetting,
    UnwritableDatabase,
    connect_timeout,
)
from db.integrity import DamagedDatabase, is_damage


class Status(enum.IntEnum):
    """The exit statuses of every command (README.md: "Exit statuses")."""

    DONE = 0
    FAILED = 1  # the command ran and failed on its input (a bad record, LL2, a schema behind)
    USAGE = 2  # a bad argument or setting (argparse's own status)
    DAMAGED = 65  # the database file is damaged (sysexits' EX_DATAERR)
    UNAVAILABLE = 69  # the database does not answer, the port is taken (EX_UNAVAILABLE)
    STORAGE = 74  # the database cannot be written: permissions, a read-only mount, a full disk
    STOPPED = 75  # the sync stopped early: run it again later (EX_TEMPFAIL)
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)


@dataclass(frozen=True)
class Problem(Exception):
    status: Status
    message: str

    def __str__(self) -> str:
        return self.message


def _sqlite_path(database_url: str) -> Path | None:
    try:
        url = make_url(database_url)
    except Exception:
        return None
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    return Path(url.database)


def _where(database_url: str) -> str:
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except Exception:
        return "DATABASE_URL"


def _storage(path: Path, message: str) -> Problem | None:
    """SQLite's words for a file it cannot open or write, told as what to do."""
    text = message.lower()
    directory = path.parent
    if "disk is full" in text or "database or disk is full" in text:
        return Problem(
            Status.STORAGE,
            f"the disk holding the database file {path} is full: free some space (or move the "
            "file, with DATABASE_URL, to a disk that has some) and run it again",
        )
    if "readonly" in text or "read-only" in text:
        return Problem(
            Status.STORAGE,
            f"the database file {path} cannot be written (a read-only file, directory or "
            "mount): make it and its directory writable by this user, or set DATABASE_URL to "
            "a writable place",
        )
    if "unable to open" in text:
        if not path.exists() and not directory.exists():
            what = f"its directory {directory} does not exist"
        elif not os.access(directory, os.W_OK):
            what = f"its directory {directory} is not writable by this user"
        elif not path.exists():
            what = "it does not exist"
        else:
            what = "it cannot be opened by this user"
        return Problem(
            Status.STORAGE,
            f"cannot open the database file {path}: {what}; set DATABASE_URL to a file this "
            "user can write in a writable directory",
        )
    if "disk i/o error" in text:
        return Problem(
            Status.STORAGE,
            f"reading or writing the database file {path} failed (disk I/O error): check the "
            "disk, its free space and the file's permissions",
        )
    return None


def _timeout() -> str:
    try:
        return f"{connect_timeout():g}"
    except ValueError:
        return "the"


def _os_error(error: OSError, database_url: str) -> Problem:
    if error.filename is not None:  # creating the database's directory, say
        return Problem(
            Status.STORAGE,
            f"cannot create {error.filename}: {error.strerror}; set DATABASE_URL to a "
            "writable place",
        )
    if isinstance(error, ConnectionRefusedError):
        why = "it refuses connections"
    elif isinstance(error, socket.gaierror):
        why = f"its host name does not resolve ({error.strerror})"
    else:
        why = f"{error.strerror or type(error).__name__}"
    return Problem(
        Status.UNAVAILABLE,
        f"the database at {_where(database_url)} does not answer: {why}; start it, or correct "
        "DATABASE_URL",
    )


def explain(error: BaseException, database_url: str) -> Problem | None:
    """The problem `error` stands for, or None for a bug (which keeps its traceback)."""
    if isinstance(error, Problem):
        return error
    if isinstance(error, (UnsupportedDatabase, UnsupportedSetting)):
        return Problem(Status.USAGE, str(error))
    if isinstance(error, UnwritableDatabase):
        return Problem(Status.STORAGE, str(error))
    if isinstance(error, DamagedDatabase):
        return Problem(Status.DAMAGED, str(error))
    if isinstance(error, ValidationError):
        return settings_problem(error)
    if isinstance(error, TimeoutError):
        return Problem(
            Status.UNAVAILABLE,
            f"the database at {_where(database_url)} accepted the connection but did not "
            f"answer within {_timeout()} s (DATABASE_CONNECT_TIMEOUT): check that it is a "
            "PostgreSQL server and that it is not overloaded, or correct DATABASE_URL",
        )
    if isinstance(error, OSError):
        return _os_error(error, database_url)
    if isinstance(error, DBAPIError):
        cause: Any = error.orig if error.orig is not None else error
        message = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
        path = _sqlite_path(database_url)
        if path is not None:
            if is_damage(message):
                return Problem(Status.DAMAGED, str(DamagedDatabase(str(path), message)))
            return _storage(path, message)
        return _postgres(cause, message, database_url)
    return None


def _postgres(cause: Any, message: str, database_url: str) -> Problem | None:
    inner = getattr(cause, "__cause__", None) or cause
    if isinstance(inner, OSError):
        return _os_error(inner, database_url)
    state = str(getattr(inner, "sqlstate", "") or "")
    if state.startswith("53"):  # insufficient resources: disk full, out of memory
        return Problem(
            Status.STORAGE,
            f"the database at {_where(database_url)} is out of room ({message}): free space "
            "on its server and run it again",
        )
    if state == "25006":  # read-only transaction: a replica, or a read-only server
        return Problem(
            Status.STORAGE,
            f"the database at {_where(database_url)} is read-only ({message}): point "
            "DATABASE_URL at the primary",
        )
    if state.startswith(("08", "28", "3D", "57P")) or "connection" in message.lower():
        return Problem(
            Status.UNAVAILABLE,
            f"the database at {_where(database_url)} cannot be used: {message}; correct "
            "DATABASE_URL or the server's access rules",
        )
    return None


# --- settings -----------------------------------------------------------------------------

_KINDS = {
    "int_parsing": "is not a whole number",
    "int_from_float": "is not a whole number",
    "float_parsing": "is not a number",
    "bool_parsing": "is not true or false",
}


def _bound(error: Any) -> str | None:
    ctx = error.get("ctx") or {}
    for key, words in (("ge", "at least"), ("gt", "more than"), ("le", "at most")):
        if key in ctx:
            return f"must be {words} {ctx[key]}"
    if "lt" in ctx:
        return f"must be less than {ctx['lt']}"
    return None


def settings_problem(error: ValidationError, options: dict[str, str] | None = None) -> Problem:
    """A settings error as lines naming each variable (or option), its value and the fix.

    `options` maps fields that came from the command line to the option that set them.
    """
    from gateway.settings import Settings, env_name

    lines: list[str] = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else ""
        if field.lower() in Settings.model_fields:  # DATABASE_URL and the like: their alias
            field = field.lower()
        name = (options or {}).get(field) or (
            env_name(field) if field in Settings.model_fields else field
        )
        if item["type"] == "value_error":
            # Our validators' messages say what is wrong and how to write it.
            message = str(item["msg"]).removeprefix("Value error, ")
            if message.startswith(name):  # DATABASE_URL's says how to set it
                lines.append(message)
            else:
                lines.append(f"{name}: {message}{_fix(field, options)}")
            continue
        what = _KINDS.get(item["type"]) or _bound(item) or str(item["msg"]).lower()
        if item["type"] == "literal_error":
            what = f"must be one of {item['ctx']['expected']}"
        lines.append(f"{name}={item['input']!r} {what}{_fix(field, options)}")
    return Problem(Status.USAGE, "; ".join(lines))


def _fix(field: str, options: dict[str, str] | None) -> str:
    from gateway.settings import Settings

    info = Settings.model_fields.get(field)
    if info is None or field in (options or {}):
        return ""
    if info.default in (None, "", []):
        return "; unset it"
    default = info.default
    if isinstance(default, bool):
        default = "true" if default else "false"
    elif isinstance(default, list):
        default = ",".join(default)
    return f"; unset it for the default {default}"
