"""Reading grids with python-calamine, and turning cells into kroner.

python-calamine gives each sheet's used range; rows are streamed with `iter_rows()` and padded on
the left so that a list index is the sheet's column index (0 = A). Empty cells are ''.
Numbers come as floats and are made Decimal once, here, with `decimal_from_float`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from itertools import islice
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import python_calamine

from reconcile.amounts import Amount, decimal_from_float, half_unit, parse_amount
from reconcile.errors import InputError

ZERO = Decimal(0)
ONE = Decimal(1)
_DASHES = {"-", "\u2013", "\u2014", "\u2212"}


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_ref(row: int, column: int) -> str:
    """1-based row, 0-based column: (7, 2) -> 'C7'."""
    return f"{column_letter(column)}{row}"


def is_blank(values: list) -> bool:
    return values.count("") == len(values)


def cell_text(value: object) -> str:
    """A cell as text, for headers and labels: numbers as written, not '2023.0'."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value):
            return str(int(value))
        return repr(value)
    return str(value)


# --- amounts -------------------------------------------------------------------------------


def amount_from_cell(raw: object, unit: Decimal) -> tuple[Amount | None, str | None]:
    """A non-blank cell of an amount column in kroner, or (None, why not) in Norwegian.

    Numbers and number-like text ('228 052 000', '228 052 000 kr', '(1 308 000)', '−1 308 000')
    are in the column's `unit`; text that states its own 'mill.'/'mrd.' keeps it. A dash alone is
    0, as finance offices write it. Precision is half the unit (half the last decimal shown).
    """
    if isinstance(raw, bool):
        return None, f"{'SANN' if raw else 'USANN'} er en sannhetsverdi, ikke et beløp"
    if isinstance(raw, (int, float)):
        if isinstance(raw, float):
            if not math.isfinite(raw):
                return None, f"{raw!r} er ikke et beløp"
            value = decimal_from_float(raw)
        else:
            value = Decimal(raw)
        return _scaled(value, unit, cell_text(raw)), None
    if isinstance(raw, str):
        text = raw.strip()
        if text in _DASHES:
            return Amount(ZERO, ZERO, text), None
        amount = parse_amount(text)
        if amount is None:
            return None, f"«{_short(text)}» er ikke et beløp"
        if amount.precision > 0:  # '10,1 mill.' states its own unit and precision
            return amount, None
        return _scaled(amount.value, unit, text), None
    if isinstance(raw, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        return None, f"{raw} er en dato eller tid, ikke et beløp"
    return None, f"{_short(str(raw))} er ikke et beløp"


def _scaled(value: Decimal, unit: Decimal, text: str) -> Amount:
    try:
        kroner = _normal(value * unit)
        precision = ZERO if unit == ONE else half_unit(_decimals(value), unit)
    except InvalidOperation:
        return Amount(value * unit, ZERO, text)
    return Amount(kroner, precision, text)


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _normal(value: Decimal) -> Decimal:
    """228052000, not 2.28052E+8; 12.5, not 12.50; never -0."""
    if value == value.to_integral_value():
        value = value.quantize(ONE)
    else:
        value = value.normalize()
    return value + 0


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- calamine ------------------------------------------------------------------------------

_VISIBILITY = {"Visible": "visible", "Hidden": "hidden", "VeryHidden": "very hidden"}
_KINDS = {
    "WorkSheet": "worksheet",
    "DialogSheet": "dialogsheet",
    "MacroSheet": "macrosheet",
    "ChartSheet": "chartsheet",
    "Vba": "vba",
}


@dataclass(frozen=True, slots=True)
class SheetMeta:
    name: str
    visibility: str
    kind: str


def open_workbook(path: Path, *, by_content: bool) -> python_calamine.CalamineWorkbook:
    """Open with calamine; `by_content` when the file's name does not tell its format."""
    try:
        if by_content:
            with path.open("rb") as handle:
                return python_calamine.CalamineWorkbook.from_filelike(handle)
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError as error:
        raise InputError("password-protected workbook: save a copy without a password and read that", path) from error
    except Exception as error:  # CalamineError, XmlError, ZipError, OSError, ...
        raise InputError(f"cannot read the workbook: {in_words(error)}", path) from error
    except BaseException as error:  # a panic inside the Rust reader (pyo3 PanicException)
        if isinstance(error, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        raise InputError(f"cannot read the workbook: {in_words(error)}", path) from error


def sheets(workbook: python_calamine.CalamineWorkbook) -> list[SheetMeta]:
    result = []
    for meta in workbook.sheets_metadata:
        visibility = _VISIBILITY.get(_enum_name(meta.visible), "visible")
        kind = _KINDS.get(_enum_name(meta.typ), "worksheet")
        result.append(SheetMeta(meta.name, visibility, kind))
    return result


def _enum_name(value: object) -> str:
    """'Hidden' from SheetVisibleEnum.Hidden (the pyo3 enums have no .name)."""
    return getattr(value, "name", None) or str(value).rpartition(".")[2]


@dataclass(frozen=True, slots=True)
class Grid:
    """A loaded sheet: its used range and merged cells (0-based, inclusive)."""

    sheet: python_calamine.CalamineSheet
    first_row: int
    first_column: int
    height: int
    width: int
    merged: tuple[tuple[int, int, int, int], ...]  # (row0, col0, row1, col1)

    def rows(self) -> Iterator[tuple[int, list]]:
        """(1-based row number, values indexed by sheet column), every row of the used range.

        python-calamine's `iter_rows()` yields the rows above the used range first (as empty rows
        of its width; not the columns left of it): they are numbered from row 1 and passed over."""
        numbered = islice(enumerate(self.sheet.iter_rows(), 1), self.first_row, None)
        if not self.first_column:
            return numbered
        pad = [""] * self.first_column
        return ((row, pad + values) for row, values in numbered)


def load_grid(workbook: python_calamine.CalamineWorkbook, name: str) -> Grid:
    """Load a sheet; raises `SheetUnreadable` (a problem to report, not to stop on)."""
    try:
        sheet = workbook.get_sheet_by_name(name)
        start = sheet.start
        merged = sheet.merged_cell_ranges or []
    except Exception as error:
        raise SheetUnreadable(in_words(error)) from error
    except BaseException as error:
        if isinstance(error, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        raise SheetUnreadable(in_words(error)) from error
    if start is None:
        return Grid(sheet, 0, 0, 0, 0, ())
    return Grid(
        sheet,
        start[0],
        start[1],
        sheet.height,
        sheet.width,
        tuple((r0, c0, r1, c1) for (r0, c0), (r1, c1) in merged),
    )


class SheetUnreadable(Exception):
    pass


# python-calamine's errors start with the part of it that failed ("Cfb error: Sector 19 points past
# end of file"): what each means for the user, said first; the reader's own words follow in brackets.
_IN_WORDS = (
    ("cfb", "the .xls file is damaged or truncated: its inner file structure (OLE2) cannot be followed"),
    ("codepage", "the .xls text cannot be decoded: password-protected (obfuscated) or damaged"),
    ("password", "password-protected workbook: save a copy without a password and read that"),
    ("zip", "the zip archive of the workbook is damaged"),
    ("cell limit exceeded", "a sheet spans more cells than can be read (a value far out in the sheet?)"),
    ("unrecognized sheet", "it has a sheet of a kind that cannot be read"),
    ("relationship", "the workbook names a part its package does not have"),
    ("file not found", "a part the workbook names is missing from the package"),
    ("unsupported cell error value", "a cell holds an error value the reader does not know"),
    ("string index", "a cell refers to a shared text that does not exist"),
    ("xml", "a part of the workbook is not well-formed XML"),
    ("syntax error", "a part of the workbook is not well-formed XML"),
)


def in_words(error: BaseException) -> str:
    """python-calamine's error as one line that says what is wrong in words."""
    detail = one_line(error)
    lowered = detail.lower()
    for key, words in _IN_WORDS:
        if key in lowered:
            for prefix in ("Xls error: ", "Xlsx error: ", "Xlsb error: ", "Ods error: ", "Cfb error: ",
                           "Xml error: ", "Zip error: "):
                detail = detail.replace(prefix, "")
            return f"{words} ({detail[:1].lower()}{detail[1:]})"
    return detail


def one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 200 else text[:199] + "…"
