"""The package as a user gets it: `python -m build` from a clean checkout, then `pip install` of
the wheel in a clean virtual environment, and `spacecraft-gateway serve` with no npm anywhere on
its PATH: it loads the bundled dataset and serves a working explorer.

Slow by nature (npm ci, then every dependency installed into a new environment): about two
minutes, the one test of the suite that builds and installs the project.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import httpx

from gateway.explorer.assets import VENDOR_FILES
from tests.support.caching import CRAFT_ID, CRAFT_NAME
from tests.support.pgserver import free_port
from tests.support.system import missing

ROOT = Path(__file__).resolve().parents[2]
VENDOR = "gateway/explorer/static/vendor"
LOCK = ROOT / "gateway/explorer/package-lock.json"


def _checkout(into: Path) -> Path:
    """The project's files as a fresh clone has them: tracked or new, never what is ignored
    (the built explorer files, node_modules, .venv)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for name in filter(None, (item.decode() for item in listed)):
        source = ROOT / name
        if source.is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)
    assert not (into / VENDOR).exists()
    return into


def _run(
    args: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd)
    assert result.returncode == 0, f"{args} exited {result.returncode}:\n{result.stderr[-4000:]}"
    return result


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, f"serve exited {process.returncode}:\n{log.read_text()}"
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise AssertionError(f"serve did not become ready:\n{log.read_text()}")


def test_the_wheel_installs_and_serves_the_dataset_and_the_explorer(tmp_path: Path) -> None:
    if shutil.which("npm") is None:
        missing("npm is not installed (Debian: apt-get install npm): the build needs it")
        return
    source = _checkout(tmp_path / "checkout")
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "build", "--outdir", str(dist), str(source)])
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(dist.iterdir())

    # Both carry the explorer's files, built from the pinned lock file.
    stamp = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    wanted = {f"{VENDOR}/{name}" for name in [*VENDOR_FILES, "BUILT-FROM"]}
    with zipfile.ZipFile(wheels[0]) as wheel:
        assert wanted <= set(wheel.namelist())
        assert wheel.read(f"{VENDOR}/BUILT-FROM").decode().strip() == stamp
        vendored = {name: wheel.read(f"{VENDOR}/{name}") for name in VENDOR_FILES}
    with tarfile.open(sdists[0]) as sdist:
        top = sdist.getnames()[0].split("/")[0]
        assert {f"{top}/{name}" for name in wanted} <= set(sdist.getnames())
        assert not [n for n in sdist.getnames() if "node_modules" in n]

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    _run([str(venv / "bin" / "pip"), "install", "-q", str(wheels[0])])
    bin_dir = venv / "bin"
    # Nothing but the environment's own programs: no npm, no node, no checkout on the path.
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    assert shutil.which("npm", path=env["PATH"]) is None
    located = _run(
        [str(bin_dir / "python"), "-c", "import gateway; print(gateway.__file__)"],
        env=env,
        cwd=tmp_path,
    ).stdout.strip()
    assert located.startswith(str(venv)), located

    workdir = tmp_path / "run"
    workdir.mkdir()
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(bin_dir / "spacecraft-gateway"), "serve", "--port", str(port)],
            cwd=workdir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url, process, log)
        assert (workdir / "var" / "spacecraft.db").is_file()  # the default database, filled
        answer = httpx.post(
            f"{url}/graphql",
            json={"query": f"{{ spacecraft(ll2Id: {CRAFT_ID}) {{ name }} }}"},
        ).json()
        assert answer["data"] == {"spacecraft": {"name": CRAFT_NAME}}

        page = httpx.get(f"{url}/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 200
        assert "Explorer not built" not in page.text
        sources = re.findall(r'(?:src|href)="([^"]+/vendor/[^"]+)"', page.text)
        assert {Path(s).name for s in sources} == {
            "graphiql.min.css",
            "react.production.min.js",
            "react-dom.production.min.js",
            "graphiql.min.js",
        }
        for src in sources:
            served = httpx.get(f"{url}{src}")
            assert served.status_code == 200, src
            assert served.content == vendored[Path(src).name]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
