"""The load: wrk (Debian's) POSTing one query over and over, for a bounded time, after a
warm-up whose figures are thrown away; and pgbench running one SQL statement the same way.

Both keep the same number of requests in flight, so the servers and the database see the same
concurrency. Latencies are wrk's and pgbench's own, measured at the client.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.http_small_query import parse_wrk


@dataclass(frozen=True)
class Figure:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


@dataclass(frozen=True)
class Load:
    duration: int  # seconds measured
    warmup: int  # seconds thrown away first (0: none)
    connections: int


class LoadFailed(RuntimeError):
    pass


def _run(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise LoadFailed(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


class MissingProgram(RuntimeError):
    def __init__(self, program: str, package: str) -> None:
        super().__init__(f"{program} is not installed (apt-get install {package})")


def require(program: str, package: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise MissingProgram(program, package)
    return path


def _lua(body: str | None, headers: dict[str, str]) -> str:
    """A wrk script: POST `body` as JSON, or GET when it is None, with `headers`."""
    lines = [f"wrk.method = {json.dumps('GET' if body is None else 'POST')}"]
    headers = {"Accept": "application/json", **headers}
    if body is not None:
        headers["Content-Type"] = "application/json"
        lines.append(f"wrk.body = {json.dumps(body)}")
    lines += [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()]
    return "\n".join(lines) + "\n"


def _wrk(url: str, script: str, seconds: int, connections: int) -> str:
    command = [require("wrk", "wrk"), "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    return _run([*command, "-s", script, url])


def http(url: str, query: str, load: Load) -> Figure:
    """POST `{"query": query}` to `url` for `load.duration` seconds."""
    return _drive(url, _lua(json.dumps({"query": query}), {}), load)


def http_get(url: str, headers: dict[str, str], load: Load) -> Figure:
    """GET `url` (the query in it) with `headers` (`If-None-Match`) for `load.duration` s."""
    return _drive(url, _lua(None, headers), load)


def _drive(url: str, lua: str, load: Load) -> Figure:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        if load.warmup:
            _wrk(url, script.name, load.warmup, load.connections)
        return Figure(*parse_wrk(_wrk(url, script.name, load.duration, load.connections)))
    finally:
        os.unlink(script.name)


def _pgbench(bindir: str, url: str, script: str, seconds: int, clients: int, log: str) -> None:
    command = [os.path.join(bindir, "pgbench"), "-n", "-M", "prepared", "-f", script]
    command += [f"-c{clients}", "-j2", f"-T{seconds}"]
    if log:
        command += ["-l", f"--log-prefix={log}"]
    _run([*command, url])


def sql(bindir: str, url: str, statement: str, load: Load) -> Figure:
    """Run `statement` with pgbench for `load.duration` seconds; latencies from its log."""
    with tempfile.TemporaryDirectory(prefix="compare-pgbench-") as tmp:
        script = Path(tmp) / "statement.sql"
        # pgbench reads one statement per line unless it ends with a semicolon.
        script.write_text(statement.strip() + ";\n")
        if load.warmup:
            _pgbench(bindir, url, str(script), load.warmup, load.connections, "")
        prefix = str(Path(tmp) / "log")
        _pgbench(bindir, url, str(script), load.duration, load.connections, prefix)
        latencies: list[float] = []
        failures = 0
        for log in Path(tmp).glob("log.*"):
            for line in log.read_text().splitlines():
                # client_id transaction_no time script_no time_epoch time_us
                fields = line.split()
                if fields[2] in ("failed", "skipped"):
                    failures += 1
                else:
                    latencies.append(int(fields[2]) / 1000)
    if not latencies:
        raise RuntimeError(f"pgbench ran no transaction of: {statement[:80]}...")
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return Figure(len(latencies) / load.duration, statistics.median(latencies), p99, failures)
