"""A letter file as lines of text, each with its page and line number."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TextLine:
    text: str
    page: int | None  # None where the format has no pages (plain text without form feeds)
    line: int  # 1-based: in the file for text, on the page for PDF, paragraph order for DOCX


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    name: str
    sha256: str
    lines: tuple[TextLine, ...]
