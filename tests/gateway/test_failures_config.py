"""Bad configuration, told by every command in one line with the status of its kind.

Each command (ingest, sync, migrate, export, synth, serve) meets a DATABASE_URL that is
unsupported, empty or unparsable, a PostgreSQL that refuses connections or accepts and never
answers (bounded by DATABASE_CONNECT_TIMEOUT), and `serve` a setting that does not parse or is
out of range and a port in use: one line on stderr naming the setting, what is wrong and what
to do, no traceback (`GATEWAY_DEBUG` adds it). In process where the status and stderr are all
that matter; as child processes to see what the process itself does.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from gateway.failures import Status
from tests.support.commands import (
    FAILED,
    SET_IT,
    argv_for,
    child,
    clean,
    free_port,
    in_process,
    silent_server,
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    return clean(monkeypatch)


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
    status, err = in_process(clean_env, capsys, argv_for(command, tmp_path), DATABASE_URL=url)

    assert (status, err) == (Status.USAGE, f"{FAILED[command]}: {problem}: {SET_IT}\n")
    assert not (tmp_path / "export").exists()


# --- PostgreSQL that refuses, or never answers ----------------------------------------------


@pytest.mark.parametrize("command", [c for c in FAILED if c != "serve"])
def test_a_postgresql_that_refuses_or_never_answers_is_told_with_status_69(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    refusing = f"postgresql://gateway@127.0.0.1:{free_port()}/gateway"
    status, err = in_process(clean_env, capsys, argv_for(command, tmp_path), DATABASE_URL=refusing)
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
            argv_for(command, tmp_path),
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
    refusing = f"postgresql://gateway@127.0.0.1:{free_port()}/gateway"

    status, err = child(argv_for(command, tmp_path), DATABASE_URL=refusing)

    assert (status, err) == (
        Status.UNAVAILABLE,
        f"{FAILED[command]}: the database at {refusing} does not answer: it refuses "
        "connections; start it, or correct DATABASE_URL\n",
    )


def test_gateway_debug_adds_the_traceback(tmp_path: Path) -> None:
    refusing = f"postgresql://gateway@127.0.0.1:{free_port()}/gateway"

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
            {"DATABASE_READ_URL": "mysql://replica/gateway"},
            "DATABASE_READ_URL 'mysql://replica/gateway' is not a database this gateway uses: "
            "set it to sqlite:///PATH or postgresql://USER:PASS@HOST:PORT/DB, or unset it to use "
            "DATABASE_URL's",
            id="read-url",
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
