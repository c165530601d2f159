"""Where the explorer's files live, which of them come from npm, and whether they are built.

Third-party code (GraphiQL, React) is never committed: `build.py` fetches it with `npm ci` from
the committed `package-lock.json` and copies the files below into `static/vendor/`, with a stamp
naming the lock file's hash. The page, the build and the check all read this one list.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
LOCK_FILE = HERE / "package-lock.json"
STAMP_NAME = "BUILT-FROM"
BUILD_COMMAND = "make explorer"

# vendor file name -> its path inside node_modules. GraphiQL 3's UMD build bundles graphql-js,
# CodeMirror and its fonts (inlined in the CSS) and runs on React 18's UMD files.
VENDOR_FILES: dict[str, str] = {
    "react.production.min.js": "react/umd/react.production.min.js",
    "react-dom.production.min.js": "react-dom/umd/react-dom.production.min.js",
    "graphiql.min.js": "graphiql/graphiql.min.js",
    "graphiql.min.css": "graphiql/graphiql.min.css",
    "react.LICENSE.txt": "react/LICENSE",
    "react-dom.LICENSE.txt": "react-dom/LICENSE",
    "graphiql.LICENSE.txt": "graphiql/LICENSE",
}


class ExplorerAssetsMissing(RuntimeError):
    def __init__(self, reason: str) -> None:
        super().__init__(
            f"the explorer's GraphiQL files are not built ({reason}): run `{BUILD_COMMAND}` "
            f"(npm ci from {LOCK_FILE.relative_to(HERE.parent.parent)}, then a copy into "
            f"{VENDOR_DIR.relative_to(HERE.parent.parent)}/)"
        )


@cache
def lock_digest() -> str:
    return hashlib.sha256(LOCK_FILE.read_bytes()).hexdigest()


def missing_reason(vendor_dir: Path = VENDOR_DIR) -> str | None:
    """Why the built files cannot be used, or None when they are complete and current."""
    absent = sorted(name for name in VENDOR_FILES if not (vendor_dir / name).is_file())
    if absent:
        return f"missing {', '.join(absent)}"
    try:
        stamp = (vendor_dir / STAMP_NAME).read_text().strip()
    except FileNotFoundError:
        return f"no {STAMP_NAME} stamp"
    if stamp != lock_digest():
        return f"built from another {LOCK_FILE.name}"
    return None


def assets_built() -> bool:
    """Whether `static/vendor/` holds every vendor file, built from the current lock file."""
    return missing_reason() is None


def require_assets() -> None:
    """Raise `ExplorerAssetsMissing`, naming the command that builds them, unless built."""
    reason = missing_reason()
    if reason is not None:
        raise ExplorerAssetsMissing(reason)
