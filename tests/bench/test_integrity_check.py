"""Smoke run of `bench/integrity_check.py`: it times a sound file and refuses a damaged one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bench.integrity_check import time_quick_check


def _file(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
        conn.executemany("INSERT INTO t (body) VALUES (?)", [("x" * 500,)] * 2000)
    return path


def test_a_sound_file_is_timed_once_per_run(tmp_path: Path) -> None:
    seconds = time_quick_check(_file(tmp_path / "sound.db"), runs=2)
    assert len(seconds) == 2 and all(s > 0 for s in seconds)


def test_a_damaged_file_stops_the_run(tmp_path: Path) -> None:
    path = _file(tmp_path / "damaged.db")
    with path.open("r+b") as f:
        f.seek(4096 * 3)
        f.write(b"\xa5" * 8192)
    with pytest.raises((SystemExit, sqlite3.DatabaseError)):
        time_quick_check(path, runs=1)
