"""The one family of expected failures: bad input or an unusable output location.

Each carries the file it concerns; the CLI prints it as one line and exits with `exit_code`.
Problems *in* the data (a letter's arithmetic, a workbook's figures) are not exceptions: they are
returned as findings.
"""

from __future__ import annotations

from pathlib import Path


class ReconcileError(Exception):
    exit_code = 2

    def __init__(self, message: str, path: str | Path | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None

    def __str__(self) -> str:
        if self.path:
            return f"{self.path}: {self.message}"
        return self.message


class InputError(ReconcileError):
    """An input file is missing, unreadable, of the wrong kind or malformed."""


class OutputError(ReconcileError):
    """An output cannot be written where asked (exists, no permission, ...)."""


class UsageError(ReconcileError):
    """Options that do not go together."""
