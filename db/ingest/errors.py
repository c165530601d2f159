"""The importer's one error: which file, where in its JSON, and what is wrong."""

from __future__ import annotations


class IngestError(Exception):
    """Stops an import; the database is left as it was before the run."""

    def __init__(self, file: str, path: str, reason: str) -> None:
        self.file = file
        self.path = path
        self.reason = reason
        where = f"{file}: {path}" if path else file
        super().__init__(f"{where}: {reason}")
