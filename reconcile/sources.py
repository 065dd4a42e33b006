"""Where a figure comes from. Nothing leaves a reader without one of these."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LetterSource:
    """A place in a letter: the document, the letter in it, page and line, and the words quoted."""

    document: str
    letter: int | None
    page: int | None
    line: int
    quote: str

    def to_dict(self) -> dict:
        return {
            "document": self.document,
            "letter": self.letter,
            "page": self.page,
            "line": self.line,
            "quote": self.quote,
        }

    def __str__(self) -> str:
        where = f"{self.document}"
        if self.page is not None:
            where += f" s. {self.page}"
        return f"{where} l. {self.line}"


@dataclass(frozen=True, slots=True)
class CellSource:
    """A cell in a workbook: file!sheet!cell."""

    file: str
    sheet: str
    cell: str

    def __str__(self) -> str:
        return f"{self.file}!{self.sheet}!{self.cell}"

    def to_dict(self) -> dict:
        return {"file": self.file, "sheet": self.sheet, "cell": self.cell}
