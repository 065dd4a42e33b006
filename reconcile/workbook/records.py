"""What reading a workbook yields: small immutable records, each carrying the cell it came from.

A `WorkbookRead` holds the post tables found in a workbook and the problems met on the way
(`ReadIssue`), as data: a formula without a stored value, a skipped sheet, a column whose role is
ambiguous. Only bad input (not a workbook at all, unsafe, unreadable) raises `InputError`.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from reconcile.amounts import Amount
from reconcile.posts import Post
from reconcile.sources import CellSource
from reconcile.workbook.cells import amount_from_cell
from reconcile.workbook.container import in_one_line

# Roles a column can have. Amount roles hold money; letter roles refer to one letter.
ROLES = (
    "post",  # kapittel and post in one cell
    "kap",
    "post_no",
    "name",
    "change",  # a letter's change ("Tillegg 3", "T3", "Endring tillegg nr. 3", "RNB")
    "total_after",  # a post's total after a letter ("Sum etter tillegg 3")
    "original",  # the tildelingsbrev's amount
    "carried_over",  # "Overført fra i fjor"
    "allocation",  # "Årets tildelinger"
    "total",  # "Samlet tildeling", "Disponibel ramme", "Sum", "Totalt"
    "amount",  # a transaction's amount
    "letter_ref",  # which letter a transaction books
    "date",
    "reference",
    "text",
    "figures",  # numbers beside the key whose meaning the letters decide (reconcile/validation/roles.py)
    "unknown",
)
FIGURES = "figures"
CONTENT_LAYOUT = "by_content"  # a table found from its post rows, not its headers
KEY_ROLES = frozenset({"post", "kap", "post_no"})
AMOUNT_ROLES = frozenset({"change", "total_after", "original", "carried_over", "allocation", "total", "amount", FIGURES})
LETTER_ROLES = frozenset({"change", "total_after", "original"})
# Roles of which a table should have at most one column (per letter number, for letter roles).
SINGLE_ROLES = frozenset(
    {"post", "kap", "post_no", "change", "total_after", "original", "carried_over", "allocation", "total",
     "amount", "letter_ref", "date"}
)

SEVERITIES = ("error", "warning", "info")
# Read issues that say a sheet which may hold posts was not read: each fails the run.
UNREAD_KINDS = frozenset({"sheet_unreadable", "sheet_too_large"})


@dataclass(frozen=True, slots=True)
class ReadIssue:
    """A problem met while reading, kept as data. `message` is Norwegian, one line."""

    kind: str  # machine-readable: "formula_without_value", "sheet_skipped", "ambiguous_role", ...
    message: str
    file: str
    sheet: str | None = None
    cell: str | None = None  # "C7", or None for a sheet or the whole workbook
    severity: str = "warning"

    @property
    def source(self) -> CellSource | None:
        if self.sheet is None or self.cell is None:
            return None
        return CellSource(self.file, self.sheet, self.cell)

    @property
    def where(self) -> str:
        if self.sheet is None:
            return self.file
        if self.cell is None:
            return f"{self.file}!{self.sheet}"
        return f"{self.file}!{self.sheet}!{self.cell}"

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "message": self.message,
        }

    def __str__(self) -> str:
        # A sheet name may hold a line break: one issue stays one line.
        text = f"{self.where}: {self.message}"
        return in_one_line(text)


@dataclass(frozen=True, slots=True)
class CellValue:
    """One cell of a table row: what the workbook holds and, in an amount column, the kroner.

    `amount` is in kroner with the table's unit applied; its precision is half the unit (half the
    last shown digit) when the unit is 1 000 or 1 000 000. A formula with no stored value has
    `raw=None`, `amount=None` and `formula_without_value=True`: never read as 0. An error value
    ("#REF!") has `error` set.
    """

    source: CellSource
    raw: object
    amount: Amount | None = None
    formula_without_value: bool = False
    error: str | None = None

    def to_dict(self) -> dict:
        raw = self.raw
        if raw is not None and not isinstance(raw, (str, int, float, bool)):
            raw = str(raw)
        return {
            "source": self.source.to_dict(),
            "raw": raw,
            "amount": None if self.amount is None else {"value": self.amount.value, "precision": self.amount.precision},
            "formula_without_value": self.formula_without_value,
            "error": self.error,
        }


class TableShape:
    """What every row of a table shares: the file, the sheet, the columns' indexes and letters, and
    the unit of each amount column (None for the others), by position."""

    __slots__ = ("file", "sheet", "indexes", "letters", "positions", "units")

    def __init__(self, file: str, sheet: str, indexes: tuple[int, ...], letters: tuple[str, ...],
                 units: tuple[Decimal | None, ...] | None = None):
        self.file = file
        self.sheet = sheet
        self.indexes = indexes
        self.letters = letters
        self.positions = {index: position for position, index in enumerate(indexes)}
        self.units = units if units is not None else (None,) * len(indexes)


class RowCells(Mapping):
    """A row's cells, column index -> CellValue, blank cells absent.

    Kept compact (the row's raw values as one tuple) and read-only; each CellValue, and the kroner
    of an amount cell, is made when asked for, so a sheet of a million rows does not hold millions
    of them.
    """

    __slots__ = ("_shape", "_row", "_raw", "_special")

    def __init__(self, shape: TableShape, row: int, raw: tuple, special: dict | None = None):
        self._shape = shape
        self._row = row
        self._raw = raw
        self._special = special  # column index -> CellValue for cells calamine read as empty

    def __getitem__(self, index: int) -> CellValue:
        special = self._special
        if special is not None and index in special:
            return special[index]
        shape = self._shape
        position = shape.positions.get(index)
        if position is None:
            raise KeyError(index)
        raw = self._raw[position]
        if isinstance(raw, str) and raw == "":
            raise KeyError(index)
        source = CellSource(shape.file, shape.sheet, f"{shape.letters[position]}{self._row}")
        unit = shape.units[position]
        return CellValue(source, raw, None if unit is None else amount_from_cell(raw, unit)[0])

    def __iter__(self):
        special = self._special
        for position, index in enumerate(self._shape.indexes):
            raw = self._raw[position]
            if not (isinstance(raw, str) and raw == "") or (special is not None and index in special):
                yield index

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __repr__(self) -> str:
        return f"RowCells({dict(self)!r})"


class PostRows(Sequence):
    """A table's post rows, kept by column: post, row number, letter number and the raw values,
    with the few cells calamine read as empty that are not (bad cells) aside. Each `PostRow` (its
    cells, its key cell's source) is made when asked for, equal to the one a list would have held.

    The bulk stages read the columns themselves (`posts`, `numbers`, `letter_nos`, `column`), so a
    transaction list of a million rows is a few flat lists, not millions of objects."""

    __slots__ = ("shape", "key_letter", "posts", "numbers", "letter_nos", "_raw", "_special")

    def __init__(self, shape: TableShape, key_letter: str):
        self.shape = shape
        self.key_letter = key_letter  # the column the key cell of a row is named by
        self.posts: list[Post] = []
        self.numbers: array[int] = array("q")  # 1-based row numbers
        self.letter_nos: list[int | None] = []
        self._raw: list[tuple] = []
        self._special: dict[int, dict] = {}  # position -> column index -> CellValue

    def append(self, post: Post, number: int, raw: tuple, letter_no: int | None, special: dict | None = None) -> None:
        if special:
            self._special[len(self.posts)] = special
        self.posts.append(post)
        self.numbers.append(number)
        self.letter_nos.append(letter_no)
        self._raw.append(raw)

    def key_cell(self, position: int) -> str:
        """The key cell of the row at `position`: "C7"."""
        return f"{self.key_letter}{self.numbers[position]}"

    def column(self, index: int) -> list:
        """Every row's raw value in column `index` ('' when blank), and None where the cell is a
        bad cell (a formula without a value, an error value): never an amount."""
        position = self.shape.positions[index]
        values = [raw[position] for raw in self._raw]
        for at, cells in self._special.items():
            if index in cells:
                values[at] = None
        return values

    def __len__(self) -> int:
        return len(self.posts)

    def __getitem__(self, position):
        if isinstance(position, slice):
            return tuple(self._row(at) for at in range(*position.indices(len(self.posts))))
        if position < 0:
            position += len(self.posts)
        if not 0 <= position < len(self.posts):
            raise IndexError("row index out of range")
        return self._row(position)

    def __iter__(self):
        for position in range(len(self.posts)):
            yield self._row(position)

    def _row(self, position: int) -> PostRow:
        shape = self.shape
        number = self.numbers[position]
        cells = RowCells(shape, number, self._raw[position], self._special.get(position))
        return PostRow(self.posts[position], number, cells, CellSource(shape.file, shape.sheet, f"{self.key_letter}{number}"),
                       self.letter_nos[position])

    def __eq__(self, other) -> bool:
        if isinstance(other, (PostRows, tuple, list)):
            return len(self) == len(other) and all(mine == theirs for mine, theirs in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # as a tuple of PostRows was: their cells are a Mapping

    def __repr__(self) -> str:
        return f"PostRows({len(self)} rows)"


@dataclass(frozen=True, slots=True)
class PostRow:
    """A table row that holds a budget post. `cells` maps a column index (0-based) to its value;
    blank cells are absent. `letter_no` is the letter a transaction books (transaction lists)."""

    post: Post
    row: int  # 1-based
    cells: Mapping[int, CellValue]
    key_source: CellSource
    letter_no: int | None = None

    def cell(self, column: Column | int) -> CellValue | None:
        index = column if isinstance(column, int) else column.index
        return self.cells.get(index)

    def to_dict(self) -> dict:
        return {
            "post": str(self.post),
            "row": self.row,
            "key_source": self.key_source.to_dict(),
            "letter_no": self.letter_no,
            "cells": {str(index): value.to_dict() for index, value in sorted(self.cells.items())},
        }


@dataclass(frozen=True, slots=True)
class TotalRow:
    """A total or subtotal row ("Sum", "Totalt", "Sum kap. 671"): not a post, kept so that a later
    stage can check that it adds up. `kap` is the kapittel a subtotal names, if any."""

    row: int
    label: str
    cells: Mapping[int, CellValue]
    kap: int | None = None

    def cell(self, column: Column | int) -> CellValue | None:
        index = column if isinstance(column, int) else column.index
        return self.cells.get(index)

    def to_dict(self) -> dict:
        return {
            "row": self.row,
            "label": self.label,
            "kap": self.kap,
            "cells": {str(index): value.to_dict() for index, value in sorted(self.cells.items())},
        }


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: where it is, what its header says and what it holds.

    `letter_no` says which letter a change/total_after/original column refers to (0 is the
    tildelingsbrev). `unit` is the multiplier to kroner; `unit_source` is the cell that states it
    (None: not stated, whole kroner assumed). `assigned_by` says where the role came from:
    "vocabulary", "layout file" or "values"."""

    index: int
    letter: str
    header: str
    role: str
    letter_no: int | None = None
    unit: Decimal = Decimal(1)
    unit_source: CellSource | None = None
    assigned_by: str = "vocabulary"
    unit_fixed: bool = False  # the unit is the layout file's: the values do not choose another

    @property
    def is_amount(self) -> bool:
        return self.role in AMOUNT_ROLES

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "letter": self.letter,
            "header": self.header,
            "role": self.role,
            "letter_no": self.letter_no,
            "unit": self.unit,
            "unit_source": None if self.unit_source is None else self.unit_source.to_dict(),
            "assigned_by": self.assigned_by,
        }


@dataclass(frozen=True, slots=True)
class PostTable:
    """A table of budget posts on one sheet."""

    file: str
    sheet: str
    layout: str  # "overview", "letter_sheet", "note_a", "transactions"
    header_rows: tuple[int, ...]  # 1-based
    first_row: int  # first post or total row
    last_row: int  # last post or total row
    columns: tuple[Column, ...]
    rows: Sequence[PostRow]  # a PostRows (kept by column) when read from a workbook
    total_rows: tuple[TotalRow, ...] = ()
    unit: Decimal = Decimal(1)
    unit_source: CellSource | None = None
    letter_no: int | None = None  # the letter a letter sheet mirrors
    sheet_hidden: bool = False

    def column(self, role: str, letter_no: int | None = None) -> Column | None:
        """The first column of a role (and letter number, for letter roles)."""
        for column in self.columns:
            if column.role == role and (letter_no is None or column.letter_no == letter_no):
                return column
        return None

    def columns_of(self, role: str) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.role == role)

    @property
    def posts(self) -> tuple[Post, ...]:
        rows = self.rows
        return tuple(rows.posts) if isinstance(rows, PostRows) else tuple(row.post for row in rows)

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "layout": self.layout,
            "header_rows": list(self.header_rows),
            "first_row": self.first_row,
            "last_row": self.last_row,
            "unit": self.unit,
            "unit_source": None if self.unit_source is None else self.unit_source.to_dict(),
            "letter_no": self.letter_no,
            "sheet_hidden": self.sheet_hidden,
            "columns": [column.to_dict() for column in self.columns],
            "rows": [row.to_dict() for row in self.rows],
            "total_rows": [row.to_dict() for row in self.total_rows],
        }


@dataclass(frozen=True, slots=True)
class SheetInfo:
    """A sheet of the workbook and what became of it."""

    name: str
    visibility: str  # "visible", "hidden", "very hidden"
    kind: str  # "worksheet", "chartsheet", ...
    rows: int  # the rows the sheet's used range spans (0 if not read)
    columns: int
    read: bool
    note: str = ""  # why it was skipped

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "visibility": self.visibility,
            "kind": self.kind,
            "rows": self.rows,
            "columns": self.columns,
            "read": self.read,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class WorkbookRead:
    """Everything read from one workbook."""

    path: str
    sha256: str
    format: str  # "xlsx", "xlsm", "xlsb", "xls", "ods"
    tables: tuple[PostTable, ...]
    issues: tuple[ReadIssue, ...] = ()
    sheets: tuple[SheetInfo, ...] = field(default=())
    layout_file: str | None = None

    @property
    def unread(self) -> tuple[ReadIssue, ...]:
        """The sheets that may hold posts and could not be read, one issue each."""
        return tuple(issue for issue in self.issues if issue.kind in UNREAD_KINDS)

    @property
    def name(self) -> str:
        from pathlib import Path

        return Path(self.path).name

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "format": self.format,
            "layout_file": self.layout_file,
            "sheets": [sheet.to_dict() for sheet in self.sheets],
            "tables": [table.to_dict() for table in self.tables],
            "issues": [issue.to_dict() for issue in self.issues],
        }
