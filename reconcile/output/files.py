"""Write outputs atomically: a temporary file beside the target, then a rename.

A missing output folder is created (as CI tools do), but only when something is written into it:
`check_folder` answers early, before any heavy import, whether it could be.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from reconcile.errors import OutputError


def write_text_atomically(path: str | Path, text: str) -> None:
    write_bytes_atomically(path, text.encode("utf-8"))


def write_bytes_atomically(path: str | Path, data: bytes) -> None:
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    ensure_folder(folder, target)
    # Created exclusively with the usual permissions (the user's umask), as any program's files;
    # mkstemp would make it private to the owner.
    temporary = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
    try:
        stream = open(temporary, "xb")
    except OSError as error:
        raise OutputError(f"cannot write here: {error.strerror}", folder) from error
    try:
        with stream:
            stream.write(data)
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"cannot write: {error.strerror}", target) from error


def check_folder(folder: str | Path, target: str | Path | None = None) -> None:
    """Refuse, without creating anything, a folder that is a file or could not be created or written.

    The error names `target` (the file to be written there) when given, else the folder."""
    folder = Path(folder) if str(folder) else Path(".")
    named = target if target is not None else folder
    existing = folder
    while not existing.exists():
        if existing.is_symlink() or existing.parent == existing:
            raise OutputError("the output folder cannot be created", named)
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"the output folder cannot be created: {existing} is a file", named)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError("cannot write in the output folder: Permission denied", named)


def ensure_folder(folder: str | Path, target: str | Path | None = None) -> None:
    """The output folder, created with its parents when missing (errors name `target` when given)."""
    folder = Path(folder) if str(folder) else Path(".")
    if folder.is_dir():
        return
    check_folder(folder, target)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create the output folder: {error.strerror or error}", target or folder) from error
