"""Running the Node scripts under tests/js/ (real JavaScript clients, the graphql-http audit).

Their packages are installed by `make test` (`npm ci` in tests/js); when node or they are
missing, the test skips, or fails under GATEWAY_REQUIRE_ALL=1.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.support.system import missing

JS = Path(__file__).resolve().parent.parent / "js"


def run_node(script: str, *args: str, timeout: float = 120) -> Any:
    """Run `tests/js/<script>` and return the JSON it prints on its last line."""
    node = shutil.which("node")
    if node is None:
        missing("node is not installed")
    if not (JS / "node_modules").is_dir():
        missing("the npm packages of tests/js are not installed (make test installs them)")
    assert node is not None
    result = subprocess.run(
        [node, str(JS / script), *args],
        cwd=JS,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"node {script} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return json.loads(result.stdout.strip().splitlines()[-1])
