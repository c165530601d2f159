"""Hostile configuration and storage, told by every command in one line (`gateway.failures`).

Each command (ingest, sync, migrate, export, synth, serve) meets each problem: a DATABASE_URL
that is unsupported, empty or unparsable; a PostgreSQL that refuses or accepts and never
answers; a setting out of range; a port in use; a directory or file it cannot write; a full
disk (SQLite's own "database or disk is full", through `PRAGMA max_page_count`); a damaged
file. Each gets one line on stderr, the exit status of its kind, no traceback, and nothing is
lost. Run in process where the status and stderr are all that matter, as a child process to see
what the process itself does (and, as root, without the capability that lets root write
anywhere).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

from db.dataset import bundled_files
from db.engine import create_engine
from db.ingest import load_bundled_if_empty
from db.integrity import DamagedDatabase
from gateway.cli import build_parser, run_command
from gateway.failures import Status
from tests.support.fake_ll2 import FakeLL2, synthetic_graph

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = str(bundled_files()[0])
SET_IT = (
    "set it to sqlite:///PATH or postgresql://USER:PASS@HOST:PORT/DB, or unset it for "
    "sqlite:///var/spacecraft.db"
)
FAILED = {
    "ingest": "ingest failed, nothing was changed",
    "sync": "sync failed, the pages saved before are kept",
    "migrate": "migrate failed, nothing was changed",
    "export": "export failed, nothing was written",
    "synth": "synth failed, nothing was changed",
    "serve": "serve cannot start",
}
WRITERS = ["ingest", "sync", "migrate", "synth"]


def _argv(command: str, tmp_path: Path) -> list[str]:
    return {
        "ingest": ["ingest", BUNDLED],
        "sync": ["sync", "--base-url", "http://127.0.0.1:9/2.3.0", "--quiet"],
        "migrate": ["migrate"],
        "export": ["export", str(tmp_path / "export")],
        "synth": ["synth", "--into", "--spacecraft", "1", "--flights", "1", "--quiet"],
        "serve": ["serve", "--port", "0"],
    }[command]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No setting from the test's own environment; each test sets its own, and gets them back."""
    for name in list(os.environ):
        if name.startswith(("GATEWAY_", "DATABASE_")):
            monkeypatch.delenv(name)
    for name in ("GATEWAY_HOST", "GATEWAY_PORT", "GATEWAY_WORKERS", "GATEWAY_SYNC_EVERY"):
        monkeypatch.delenv(name, raising=False)  # serve exports its options for its workers
    return monkeypatch


def in_process(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], **values: str
) -> tuple[int, str]:
    for name, value in values.items():
        env.setenv(name, value)
    status = run_command(build_parser().parse_args(argv))
    return status, capsys.readouterr().err


def child(argv: list[str], *, privileged: bool = True, **values: str) -> tuple[int, str]:
    """The command in a process of its own; unprivileged: as root without CAP_DAC_OVERRIDE."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GATEWAY_", "DATABASE_"))}
    prefix: list[str] = []
    if not privileged and os.geteuid() == 0:
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "gateway.cli", *argv],
        cwd=ROOT,
        env=env | {"PYTHONPATH": str(ROOT)} | values,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stderr


@contextmanager
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never says a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        for connection in held:
            connection.close()
        listener.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- DATABASE_URL ---------------------------------------------------------------------------

URLS = [
    pytest.param(
        "mysql://gateway:secret@db/gateway",
        "DATABASE_URL 'mysql://gateway:***@db/gateway' is not a database this gateway uses",
        id="unsupported",
    ),
    pytest.param("", "DATABASE_URL is set but empty", id="empty"),
    pytest.param("not a url", "DATABASE_URL 'not a url' is not a URL", id="not-a-url"),
    pytest.param(
        "postgresql://gateway:secret@db:notaport/gateway",
        "DATABASE_URL 'postgresql://gateway:***@db:notaport/gateway' has a port that is not a "
        "number",
        id="port-not-a-number",
    ),
]


@pytest.mark.parametrize("command", list(FAILED))
@pytest.mark.parametrize(("url", "problem"), URLS)
def test_a_bad_database_url_is_told_in_one_line_with_status_2(
    clean_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    command: str,
    url: str,
    problem: str,
) -> None:
    status, err = in_process(clean_env, capsys, _argv(command, tmp_path), DATABASE_URL=url)

    assert (status, err) == (Status.USAGE, f"{FAILED[command]}: {problem}: {SET_IT}\n")
    assert not (tmp_path / "export").exists()


# --- PostgreSQL that refuses, or never answers ----------------------------------------------


@pytest.mark.parametrize("command", [c for c in FAILED if c != "serve"])
def test_a_postgresql_that_refuses_or_never_answers_is_told_with_status_69(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    refusing = f"postgresql://gateway@127.0.0.1:{_free_port()}/gateway"
    status, err = in_process(clean_env, capsys, _argv(command, tmp_path), DATABASE_URL=refusing)
    assert (status, err) == (
        Status.UNAVAILABLE,
        f"{FAILED[command]}: the database at {refusing} does not answer: it refuses "
        "connections; start it, or correct DATABASE_URL\n",
    )

    with silent_server() as port:
        silent = f"postgresql://gateway@127.0.0.1:{port}/gateway"
        status, err = in_process(
            clean_env,
            capsys,
            _argv(command, tmp_path),
            DATABASE_URL=silent,
            DATABASE_CONNECT_TIMEOUT="0.5",
        )
    assert (status, err) == (
        Status.UNAVAILABLE,
        f"{FAILED[command]}: the database at {silent} accepted the connection but did not "
        "answer within 0.5 s (DATABASE_CONNECT_TIMEOUT): check that it is a PostgreSQL server "
        "and that it is not overloaded, or correct DATABASE_URL\n",
    )


@pytest.mark.parametrize("command", list(FAILED))
def test_each_command_as_a_process_exits_69_without_a_traceback(
    tmp_path: Path, command: str
) -> None:
    refusing = f"postgresql://gateway@127.0.0.1:{_free_port()}/gateway"

    status, err = child(_argv(command, tmp_path), DATABASE_URL=refusing)

    assert (status, err) == (
        Status.UNAVAILABLE,
        f"{FAILED[command]}: the database at {refusing} does not answer: it refuses "
        "connections; start it, or correct DATABASE_URL\n",
    )


def test_gateway_debug_adds_the_traceback(tmp_path: Path) -> None:
    refusing = f"postgresql://gateway@127.0.0.1:{_free_port()}/gateway"

    status, err = child(["migrate"], DATABASE_URL=refusing, GATEWAY_DEBUG="1")

    assert status == Status.UNAVAILABLE
    first, *rest = err.splitlines()
    assert first.startswith("migrate failed, nothing was changed: the database at ")
    assert rest[0] == "Traceback (most recent call last):"
    assert rest[-1].startswith("ConnectionRefusedError: ")


def test_serve_on_a_silent_postgresql_gives_up_after_the_connect_timeout() -> None:
    with silent_server() as port:
        silent = f"postgresql://gateway@127.0.0.1:{port}/gateway"
        status, err = child(
            ["serve", "--port", "0"], DATABASE_URL=silent, DATABASE_CONNECT_TIMEOUT="0.5"
        )

    assert (status, err) == (
        Status.UNAVAILABLE,
        f"serve cannot start: the database at {silent} accepted the connection but did not "
        "answer within 0.5 s (DATABASE_CONNECT_TIMEOUT): check that it is a PostgreSQL server "
        "and that it is not overloaded, or correct DATABASE_URL\n",
    )


# --- settings and the port -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "values", "line"),
    [
        pytest.param(
            [],
            {"GATEWAY_MAX_DEPTH": "abc"},
            "GATEWAY_MAX_DEPTH='abc' is not a whole number; unset it for the default 16",
            id="not-a-number",
        ),
        pytest.param(
            [],
            {"GATEWAY_WORKERS": "-1"},
            "GATEWAY_WORKERS='-1' must be at least 1; unset it for the default 1",
            id="out-of-range",
        ),
        pytest.param(["--workers", "0"], {}, "--workers=0 must be at least 1", id="option"),
        pytest.param(
            [],
            {"GATEWAY_CORS_ORIGINS": "example.com/"},
            "GATEWAY_CORS_ORIGINS: CORS origin 'example.com/' must be `*` or "
            "scheme://host[:port] with no path (https://app.example.com); unset it for the "
            "default *",
            id="not-an-origin",
        ),
        pytest.param(
            [],
            {"GATEWAY_PORT": "70000"},
            "GATEWAY_PORT='70000' must be at most 65535; unset it for the default 8000",
            id="port-out-of-range",
        ),
        pytest.param(
            [],
            {"GATEWAY_LOG_LEVEL": "loud"},
            "GATEWAY_LOG_LEVEL='loud' must be one of 'debug', 'info', 'warning' or 'error'; "
            "unset it for the default info",
            id="not-a-choice",
        ),
        pytest.param(
            [],
            {"GATEWAY_SYNC_EVERY": "often"},
            "--sync-every or GATEWAY_SYNC_EVERY: 'often' is not a duration: write it like 1h, "
            "30m, 90s, 1h30m or 3600",
            id="not-a-duration",
        ),
        pytest.param(
            [],
            {"DATABASE_CONNECT_TIMEOUT": "soon"},
            "DATABASE_CONNECT_TIMEOUT='soon' is not a number; unset it for the default 10.0",
            id="connect-timeout",
        ),
    ],
)
def test_serve_names_a_bad_setting_in_one_line_with_status_2(
    clean_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    argv: list[str],
    values: dict[str, str],
    line: str,
) -> None:
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    status, err = in_process(clean_env, capsys, ["serve", *argv], DATABASE_URL=url, **values)

    assert (status, err) == (Status.USAGE, f"serve cannot start: {line}\n")
    assert not (tmp_path / "gateway.db").exists()


def test_serve_on_a_port_in_use_says_so_with_status_69(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        status, err = in_process(
            clean_env,
            capsys,
            ["serve", "--port", str(port)],
            DATABASE_URL=f"sqlite:///{tmp_path / 'gateway.db'}",
        )

    assert (status, err) == (
        Status.UNAVAILABLE,
        f"serve cannot start: port {port} on 127.0.0.1 is in use by another process: stop it, "
        "or choose another port (--port or GATEWAY_PORT)\n",
    )


# --- storage ---------------------------------------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def loaded_file(tmp_path: Path, sqlite_template: Path) -> Path:
    """A SQLite file holding the bundled dataset, alone in a directory of its own."""
    directory = tmp_path / "data"
    directory.mkdir()
    path = directory / "gateway.db"
    shutil.copy(sqlite_template, path)

    async def load() -> None:
        engine = create_engine(f"sqlite:///{path}")
        try:
            await load_bundled_if_empty(engine)
        finally:
            await engine.dispose()

    asyncio.run(load())
    with sqlite3.connect(path) as conn:  # everything into the file itself, no journal beside it
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
    for extra in directory.glob("gateway.db-*"):
        extra.unlink()
    return path


@pytest.mark.parametrize("command", WRITERS)
def test_an_unwritable_directory_or_file_is_told_with_status_74_and_nothing_changes(
    loaded_file: Path, tmp_path: Path, command: str
) -> None:
    url = f"sqlite:///{loaded_file}"
    before = _digest(loaded_file)
    argv = _argv(command, tmp_path)
    try:
        loaded_file.chmod(0o444)
        read_only = child(argv, privileged=False, DATABASE_URL=url)
        loaded_file.chmod(0o644)
        loaded_file.parent.chmod(0o555)
        locked_in = child(argv, privileged=False, DATABASE_URL=url)
        new_file = loaded_file.parent / "new.db"
        locked_out = child(argv, privileged=False, DATABASE_URL=f"sqlite:///{new_file}")
    finally:
        loaded_file.parent.chmod(0o755)
        loaded_file.chmod(0o644)

    fix = "make it writable, or set DATABASE_URL to a file in a writable directory"
    assert read_only == (
        Status.STORAGE,
        f"{FAILED[command]}: the database file {loaded_file} is read-only to this user (its "
        f"permissions, or a read-only mount): {fix}\n",
    )
    for path, result in ((loaded_file, locked_in), (new_file, locked_out)):
        assert result == (
            Status.STORAGE,
            f"{FAILED[command]}: cannot write the database file {path}: its directory "
            f"{loaded_file.parent} is not writable by this user (SQLite writes its journal "
            f"beside the file): {fix}\n",
        )
    assert _digest(loaded_file) == before
    assert sorted(p.name for p in loaded_file.parent.iterdir()) == ["gateway.db"]


def test_serve_serves_a_sound_file_it_cannot_write(loaded_file: Path) -> None:
    script = (
        "import asyncio\n"
        "from gateway.serve import prepare_database\n"
        "from gateway.settings import Settings\n"
        "print(asyncio.run(prepare_database(Settings())))\n"
    )
    prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    loaded_file.chmod(0o444)
    try:
        done = subprocess.run(
            [*prefix * (os.geteuid() == 0), sys.executable, "-c", script],
            cwd=ROOT,
            env=os.environ | {"PYTHONPATH": str(ROOT), "DATABASE_URL": f"sqlite:///{loaded_file}"},
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        loaded_file.chmod(0o644)

    assert (done.returncode, done.stdout) == (
        0,
        "the database file is read-only to this process: serving it as it is\n",
    )


@contextmanager
def page_limit(pages: int) -> Iterator[None]:
    """Every SQLite connection opened meanwhile may grow its file to `pages` pages: past them
    SQLite answers SQLITE_FULL, "database or disk is full", as on a full disk."""

    def limit(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA max_page_count={pages}")
        cursor.close()

    event.listen(Pool, "connect", limit)
    try:
        yield
    finally:
        event.remove(Pool, "connect", limit)


def _pages(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("PRAGMA page_count").fetchone()[0])


@pytest.mark.parametrize("command", ["ingest", "synth"])
def test_a_full_disk_during_an_import_is_told_with_status_74_and_nothing_changes(
    clean_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    loaded_file: Path,
    tmp_path: Path,
    command: str,
) -> None:
    url = f"sqlite:///{loaded_file}"
    if command == "synth":  # synth --into wants an empty database: one of its own
        loaded_file.unlink()
        assert child(["migrate"], DATABASE_URL=url)[0] == 0
        argv = ["synth", "--into", "--spacecraft", "3000", "--flights", "300", "--quiet"]
    else:
        pages = tmp_path / "pages"
        assert (
            child(["synth", "--spacecraft", "3000", "--flights", "300", "--out", str(pages)])[0]
            == 0
        )
        argv = ["ingest", str(pages)]
    before = _digest(loaded_file)

    with page_limit(_pages(loaded_file) + 8):
        status, err = in_process(clean_env, capsys, argv, DATABASE_URL=url)

    assert (status, err.splitlines()[-1:]) == (
        Status.STORAGE,
        [
            f"{FAILED[command]}: the disk holding the database file {loaded_file} is full: free "
            "some space (or move the file, with DATABASE_URL, to a disk that has some) and run "
            "it again"
        ],
    )
    assert "Traceback" not in err
    with sqlite3.connect(loaded_file) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert _digest(loaded_file) == before


# --- a damaged file ---------------------------------------------------------------------------


def _damage(path: Path, where: str) -> str:
    """Overwrite 64 KiB of the file (its middle, or its start); what SQLite then says."""
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.seek(size // 2 // 4096 * 4096 if where == "middle" else 0)
        f.write(b"\xa5" * 65536)
    try:
        with sqlite3.connect(path) as conn:
            found = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
    except sqlite3.DatabaseError as e:  # the damage reached the schema itself
        return str(e)
    assert found != ["ok"]
    return "; ".join(found)


@pytest.mark.parametrize("where", ["middle", "start"])
@pytest.mark.parametrize("command", list(FAILED))
def test_a_damaged_file_is_refused_at_start_with_the_way_to_restore_it(
    loaded_file: Path, tmp_path: Path, command: str, where: str
) -> None:
    detail = _damage(loaded_file, where)
    before = _digest(loaded_file)

    status, err = child(_argv(command, tmp_path), DATABASE_URL=f"sqlite:///{loaded_file}")

    assert (status, err) == (
        Status.DAMAGED,
        f"{FAILED[command]}: {DamagedDatabase(str(loaded_file), detail)}\n",
    )
    assert _digest(loaded_file) == before
    assert not (tmp_path / "export").exists()


def test_a_full_disk_during_a_sync_is_told_with_status_74_and_the_saved_pages_stay(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], loaded_file: Path
) -> None:
    url = f"sqlite:///{loaded_file}"
    with FakeLL2(synthetic_graph(spacecraft=3000), limit=None) as ll2:
        before = _digest(loaded_file)
        with page_limit(_pages(loaded_file) + 8):
            status, err = in_process(
                clean_env, capsys, ["sync", "--base-url", ll2.base_url, "--quiet"], DATABASE_URL=url
            )

        assert (status, err) == (
            Status.STORAGE,
            f"{FAILED['sync']}: the disk holding the database file {loaded_file} is full: free "
            "some space (or move the file, with DATABASE_URL, to a disk that has some) and run "
            "it again\n",
        )
        assert len(ll2.page_requests()) >= 1
    with sqlite3.connect(loaded_file) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        spacecraft = conn.execute("SELECT count(*) FROM spacecraft").fetchone()[0]
        saved = conn.execute(
            "SELECT coalesce(sum(pages_done), 0) FROM sync_endpoint WHERE endpoint = 'spacecraft'"
        ).fetchone()[0]
    # Pages are saved whole or not at all: page N holds spacecraft 1..100N (the bundled 31 first).
    assert spacecraft == max(31, 100 * saved)
    if saved == 0:
        assert _digest(loaded_file) == before
