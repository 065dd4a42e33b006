"""Read a letter file (.txt, .pdf, .docx) into a Document of numbered lines."""

from __future__ import annotations

import hashlib
from pathlib import Path

from reconcile.errors import InputError
from reconcile.letters.document import Document, TextLine


def read_document(path: str | Path) -> Document:
    path = Path(path)
    if path.is_dir():
        raise InputError("is a directory, not a letter file", path)
    if not path.exists():
        raise InputError("no such file", path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", path) from error
    if not data.strip():
        raise InputError("the letter file is empty", path)
    lines = _text_lines(data, path)
    digest = hashlib.sha256(data).hexdigest()
    return Document(path=str(path), name=path.name, sha256=digest, lines=tuple(lines))


def _text_lines(data: bytes, path: Path) -> list[TextLine]:
    text = decode_text(data, path)
    lines = []
    page = 1 if "\f" in text else None
    for number, raw in enumerate(text.splitlines(), start=1):
        if "\f" in raw and page is not None:
            page += raw.count("\f")
            raw = raw.replace("\f", "")
        lines.append(TextLine(raw, page, number))
    return lines


def decode_text(data: bytes, path: Path) -> str:
    if b"\x00" in data[:4096]:
        raise InputError("binary data, not a text, PDF or DOCX letter", path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
