"""The load: wrk (Debian's) POSTing one document, with the next values of a list drawn
beforehand in each request (`values_lua`), for a bounded time after a warm-up whose figures are
thrown away; and pgbench running one SQL statement the same way, a random row of values each time.

Every POST row goes through the same script, the one-fixed-value rows with a list of one, so the
client's own work is the same for all. A response that is not 200 or holds `"errors"` counts as
an error.

Both keep the same number of requests in flight, so the servers and the database see the same
concurrency. Latencies are wrk's and pgbench's own, measured at the client.
"""

from __future__ import annotations

import json
import os
import re
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


def body(document: str, operation: str, variables: str) -> str:
    """The POST body with `variables` (JSON text), byte for byte as the wrk script builds it."""
    return _prefix(document, operation) + variables + "}"


def _prefix(document: str, operation: str) -> str:
    return json.dumps({"query": document, "operationName": operation})[:-1] + ',"variables":'


def _long_string(text: str) -> str:
    """`text` as a Lua long string, which needs no escapes."""
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


@dataclass(frozen=True)
class Stream:
    """A document and its values: the n-th request of it sends `variables[n]` (JSON text)."""

    document: str
    operation: str
    variables: list[str]
    weight: int = 1


def values_lua(streams: list[Stream], start: int) -> str:
    """A wrk script POSTing, in each request, a stream drawn by weight with its next values,
    each stream's list entered at `start`."""
    lines = [
        'wrk.method = "POST"',
        'wrk.headers["Content-Type"] = "application/json"',
        'wrk.headers["Accept"] = "application/json"',
        "local streams = {",
    ]
    for stream in streams:
        lines += [
            # wrk calls request() once before the run to check the script, so the list is
            # entered one value early.
            f"  {{weight = {stream.weight}, n = {(start - 1) % max(1, len(stream.variables))},",
            f"   prefix = {_long_string(_prefix(stream.document, stream.operation))},",
            "   values = {",
            *(f"    {_long_string(v)}," for v in stream.variables),
            "  }},",
        ]
    lines += [
        "}",
        "local total = 0",
        "for _, s in ipairs(streams) do total = total + s.weight end",
        "errors = 0",
        "function request()",
        "  local s = streams[1]",
        "  if #streams > 1 then",
        "    local r = math.random(total)",
        "    for _, candidate in ipairs(streams) do",
        "      s = candidate",
        "      if r <= candidate.weight then break end",
        "      r = r - candidate.weight",
        "    end",
        "  end",
        "  local chosen = s.values[s.n + 1]",
        "  s.n = (s.n + 1) % #s.values",
        '  return wrk.format(nil, nil, nil, s.prefix .. chosen .. "}")',
        "end",
        "function response(status, headers, body)",
        "  if status ~= 200 or body:find('\"errors\"', 1, true) then errors = errors + 1 end",
        "end",
        "local threads = {}",
        "function setup(thread) table.insert(threads, thread) end",
        "function done(summary, latency, requests)",
        "  local failed = 0",
        '  for _, thread in ipairs(threads) do failed = failed + thread:get("errors") end',
        '  io.write(string.format("COMPARE requests %d graphql_errors %d\\n", '
        "summary.requests, failed))",
        "end",
    ]
    return "\n".join(lines) + "\n"


def http_values(url: str, streams: list[Stream], load: Load) -> tuple[Figure, int]:
    """POST the streams' documents with their next values for `load.duration` s.

    The warm-up starts the lists and the measurement goes on from where it stopped, so its
    requests send values no server saw in the warm-up (until a list wraps). Returns the figure
    and how many requests, warm-up included, were sent."""
    sent = 0
    if load.warmup:
        sent = _values_run(url, values_lua(streams, 0), load.warmup, load)[1]
    output, requests = _values_run(url, values_lua(streams, sent), load.duration, load)
    rps, p50, p99, errors = parse_wrk(output)
    graphql_errors = int(re.search(r"graphql_errors (\d+)", output).group(1))  # type: ignore[union-attr]
    return Figure(rps, p50, p99, max(errors, graphql_errors)), sent + requests


def _values_run(url: str, lua: str, seconds: int, load: Load) -> tuple[str, int]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        output = _wrk(url, script.name, seconds, load.connections)
    finally:
        os.unlink(script.name)
    found = re.search(r"COMPARE requests (\d+)", output)
    if found is None:
        raise LoadFailed(f"wrk printed no count of requests:\n{output}")
    return output, int(found.group(1))


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


def sql(bindir: str, url: str, statement: str, rows: int, load: Load) -> Figure:
    """Run `statement` with pgbench for `load.duration` seconds, `:i` a random row from 1 to
    `rows` each time; latencies from its log."""
    with tempfile.TemporaryDirectory(prefix="compare-pgbench-") as tmp:
        script = Path(tmp) / "statement.sql"
        # pgbench reads one statement per line unless it ends with a semicolon.
        script.write_text(f"\\set i random(1, {rows})\n" + statement.strip() + ";\n")
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
