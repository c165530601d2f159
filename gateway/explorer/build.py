"""`python -m gateway.explorer.build`: fetch GraphiQL and React from npm into `static/vendor/`.

Runs `npm ci` on the committed lock file (integrity-checked, no install scripts), copies the
files `assets.VENDOR_FILES` names, and writes a stamp with the lock file's hash last, so an
interrupted build is never taken for a finished one. `--if-needed` does nothing when the stamp
matches; `--optional` only warns when npm is not installed (the tests that need the files then
skip, or fail under GATEWAY_REQUIRE_ALL=1).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections.abc import Sequence

from gateway.explorer.assets import (
    HERE,
    STAMP_NAME,
    VENDOR_DIR,
    VENDOR_FILES,
    lock_digest,
    missing_reason,
)


class BuildError(RuntimeError):
    pass


def build() -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("npm is not installed (Debian: apt-get install npm)")
    command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
    if subprocess.run(command, cwd=HERE).returncode != 0:
        raise BuildError(f"`{' '.join(command[1:])}` failed in {HERE}")
    modules = HERE / "node_modules"
    shutil.rmtree(VENDOR_DIR, ignore_errors=True)
    VENDOR_DIR.mkdir(parents=True)
    for name, source in VENDOR_FILES.items():
        shutil.copyfile(modules / source, VENDOR_DIR / name)
    (VENDOR_DIR / STAMP_NAME).write_text(lock_digest() + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway.explorer.build", description=__doc__)
    parser.add_argument("--if-needed", action="store_true", help="skip when already built")
    parser.add_argument("--optional", action="store_true", help="only warn when npm is missing")
    args = parser.parse_args(argv)
    if args.if_needed and missing_reason() is None:
        return 0
    try:
        build()
    except BuildError as e:
        if args.optional and shutil.which("npm") is None:
            print(f"warning: explorer not built: {e}", file=sys.stderr)
            return 0
        print(f"explorer build failed: {e}", file=sys.stderr)
        return 1
    print(f"explorer: GraphiQL files in {VENDOR_DIR}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
