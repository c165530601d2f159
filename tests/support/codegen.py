"""GraphQL Code Generator's client preset, run for real to make a trusted-documents manifest.

`tests/js/codegen/` pins `@graphql-codegen/cli` and `@graphql-codegen/client-preset` (installed by
`make js`, as `make test` does) and holds a few operations on the committed `schema.graphql`;
`generate_manifest(out)` runs the codegen there and returns its `persisted-documents.json`. When
node or the packages are missing, the test skips, or fails under GATEWAY_REQUIRE_ALL=1.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from tests.support.system import missing

CODEGEN = Path(__file__).resolve().parent.parent / "js" / "codegen"
DOCUMENTS = CODEGEN / "documents"


def generate_manifest(out: Path) -> Path:
    """Run the client preset into `out` and return the manifest it wrote."""
    node = shutil.which("node")
    cli = CODEGEN / "node_modules" / ".bin" / "graphql-codegen"
    if node is None:
        missing("node is not installed")
    if not cli.exists():
        missing("the npm packages of tests/js/codegen are not installed (make js installs them)")
    result = subprocess.run(
        [str(cli), "--config", str(CODEGEN / "codegen.js")],
        cwd=CODEGEN,
        env={**os.environ, "CODEGEN_OUT": f"{out}/"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise AssertionError(f"graphql-codegen exited {result.returncode}:\n{result.stderr}")
    manifest = out / "persisted-documents.json"
    assert json.loads(manifest.read_text()), f"{manifest} holds no documents"
    return manifest
