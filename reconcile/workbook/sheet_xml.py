"""The project's own reading of an .xlsx/.xlsm sheet, for where python-calamine gives up.

python-calamine refuses a whole sheet for one error value it does not know (`#GETTING_DATA`,
which Excel writes while a linked data type loads) and a whole workbook for one Excel 4 macro
sheet. Neither may leave a sheet unread, so such a sheet is streamed here from its XML part,
found through the package's relationships (`container.inspect`), into the same `Grid` python-
calamine gives: rows padded to sheet columns, '' for empty, numbers as floats, dates as datetimes,
error values as '' with the error kept aside (`XmlGrid.errors`) so that it is reported per cell
like `#N/A` and never read as an amount. Cells without a reference take the position after the
previous one, as the format says. The part was checked (size, CRC, DOCTYPE) before it gets here.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reconcile.workbook.cells import SheetMeta, SheetUnreadable
from reconcile.workbook.container import column_number

_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
# Built-in number formats that show a date or time (ECMA-376 18.8.30).
_DATE_FORMAT_IDS = {14: "date", 15: "date", 16: "date", 17: "date", 18: "time", 19: "time", 20: "time", 21: "time",
                    22: "date", 27: "date", 30: "date", 36: "date", 45: "time", 46: "duration", 47: "time", 50: "date",
                    57: "date"}
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_ELAPSED = re.compile(r"\[(?:h+|m+|s+)\]", re.IGNORECASE)
_NUMBER_PLACEHOLDER = re.compile(r"[#?0]")
_FRACTION_OF_SECOND = re.compile(r"s\.0+")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


@dataclass
class XmlGrid:
    """A sheet read from its XML: what `cells.Grid` gives, plus the error cells by (row, column)."""

    first_row: int  # 0-based, as calamine's `start`
    first_column: int
    height: int
    width: int
    merged: tuple[tuple[int, int, int, int], ...]
    # (1-based row, 0-based column) -> (kind, detail): "error" and its value, or
    # "formula_without_value" and the formula, as formulas.BadCell has them
    errors: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    _rows: dict[int, dict[int, object]] = field(default_factory=dict)

    def rows(self) -> Iterator[tuple[int, list]]:
        blank = [""] * (self.first_column + self.width)
        for number in range(self.first_row + 1, self.first_row + self.height + 1):
            cells = self._rows.get(number)
            if not cells:
                yield number, list(blank)
                continue
            values = list(blank)
            for column, value in cells.items():
                values[column] = value
            yield number, values


class XmlWorkbook:
    """The sheets of an .xlsx/.xlsm package, read from their parts (see the module's docstring)."""

    def __init__(self, path: Path, found):
        self.path = path
        self.found = found  # container.Container
        self._archive: zipfile.ZipFile | None = None  # opened once: its directory is read once
        self._strings: list[str] | None = None
        self._date_styles: dict[int, str] | None = None

    def sheets(self) -> list[SheetMeta]:
        return [SheetMeta(entry.name, entry.visibility, entry.kind) for entry in self.found.sheets]

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None

    def load_grid(self, name: str) -> XmlGrid:
        part = self.found.sheet_parts.get(name)
        if part is None:
            raise SheetUnreadable("arket finnes ikke i pakken")
        try:
            if self._archive is None:
                self._archive = zipfile.ZipFile(self.path)
            archive = self._archive
            strings = self._shared_strings(archive)
            dates = self._date_style_ids(archive)
            with archive.open(part) as stream:
                return _read_sheet(stream, strings, dates, self.found.date1904)
        except SheetUnreadable:
            raise
        except ET.ParseError as error:
            raise SheetUnreadable(f"XML-en i arket er skadet ({error})") from error
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError) as error:
            raise SheetUnreadable(f"arket kan ikke pakkes ut ({error})") from error

    def _shared_strings(self, archive: zipfile.ZipFile) -> list[str]:
        if self._strings is None:
            strings: list[str] = []
            part = self.found.shared_strings
            if part is not None:
                with archive.open(part) as stream:
                    for _, element in ET.iterparse(stream, ("end",)):
                        if _local(element.tag) == "si":
                            strings.append(_text_of(element))
                            element.clear()
            self._strings = strings
        return self._strings

    def _date_style_ids(self, archive: zipfile.ZipFile) -> dict[int, str]:
        """Cell style index -> "date", "time" or "duration" for the styles that show a number so."""
        if self._date_styles is None:
            dates: dict[int, str] = {}
            part = self.found.styles
            if part is not None:
                root = ET.fromstring(archive.read(part))
                custom = {element.get("numFmtId", ""): _format_kind(element.get("formatCode", ""))
                          for element in root.iter() if _local(element.tag) == "numFmt"}
                cell_xfs = next((e for e in root.iter() if _local(e.tag) == "cellXfs"), None)
                for index, xf in enumerate(cell_xfs if cell_xfs is not None else ()):
                    format_id = xf.get("numFmtId", "0")
                    kind = custom[format_id] if format_id in custom else (
                        _DATE_FORMAT_IDS.get(int(format_id)) if format_id.isdigit() else None)
                    if kind is not None:
                        dates[index] = kind
            self._date_styles = dates
        return self._date_styles


def _format_kind(code: str) -> str | None:
    """"date", "time", "duration" or None (a number) for a number format code, first section only."""
    section = code.split(";")[0]
    if _ELAPSED.search(section):
        return "duration"
    plain = _FRACTION_OF_SECOND.sub("s", _QUOTED.sub("", section).lower())
    if _NUMBER_PLACEHOLDER.search(plain):
        return None
    if "d" in plain or "y" in plain or ("m" in plain and "h" not in plain and "s" not in plain):
        return "date"
    if "h" in plain or "s" in plain:
        return "time"
    return None


def _text_of(element: ET.Element) -> str:
    """A string item's text: its `<t>` and its runs' `<t>`, not phonetic runs (`<rPh>`)."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


def _read_sheet(stream, strings: list[str], date_styles: dict[int, str], date1904: bool) -> XmlGrid:
    rows: dict[int, dict[int, object]] = {}
    errors: dict[tuple[int, int], str] = {}
    merged: list[tuple[int, int, int, int]] = []
    row_number = 0
    column = -1
    first_row = first_column = None
    last_row = last_column = -1
    for event, element in ET.iterparse(stream, ("start", "end")):
        name = _local(element.tag)
        if event == "start":
            if name == "row":
                row_number = int(element.get("r") or row_number + 1)
                column = -1
            elif name == "c":
                ref = element.get("r")
                if ref:
                    match = _CELL_REF.match(ref)
                    if match is None:
                        raise SheetUnreadable(f"ugyldig cellereferanse «{ref[:20]}»")
                    column = _column_index(match.group(1))
                    row_number = int(match.group(2))
                else:
                    column += 1
            continue
        if name == "c":
            value, error = _value(element, strings, date_styles, date1904)
            element_kind = element.get("t", "n")
            had_value = any(_local(child.tag) in ("v", "is") for child in element)
            element.clear()
            if error is not None:
                errors[(row_number, column)] = error
            if value == "" and error is None and not _holds_value(element_kind, had_value):
                continue
            rows.setdefault(row_number, {})[column] = value
            first_row = row_number if first_row is None else min(first_row, row_number)
            first_column = column if first_column is None else min(first_column, column)
            last_row = max(last_row, row_number)
            last_column = max(last_column, column)
        elif name == "row":
            element.clear()
        elif name == "mergeCell":
            area = _area(element.get("ref", ""))
            if area is not None:
                merged.append(area)
    if first_row is None:
        return XmlGrid(0, 0, 0, 0, tuple(merged))
    return XmlGrid(first_row - 1, first_column, last_row - first_row + 1, last_column - first_column + 1,
                   tuple(merged), errors, rows)


def _holds_value(kind: str, had_value: bool) -> bool:
    """Whether python-calamine keeps an empty cell in the used range: an empty text (a formula's
    empty result, an empty inline string) is a cell, an empty number is not."""
    return had_value and kind in ("str", "inlineStr", "s")


def _value(element: ET.Element, strings: list[str], date_styles: dict[int, str], date1904: bool):
    """(value as calamine gives it, error text or None) of one `<c>`."""
    kind = element.get("t", "n")
    raw = formula = None
    inline = None
    for child in element:
        name = _local(child.tag)
        if name == "v":
            raw = child.text or ""
        elif name == "is":
            inline = _text_of(child)
        elif name == "f":
            formula = child.text or ""
    if kind == "inlineStr":
        return inline or "", None
    if (raw is None or (raw == "" and kind != "str")) and formula is not None:
        return "", ("formula_without_value", formula)  # never read as 0 or blank
    if raw is None:
        return "", None
    if kind == "e":
        return "", ("error", raw.strip() or "#?")
    if kind == "s":
        try:
            return strings[int(raw)], None
        except (ValueError, IndexError):
            raise SheetUnreadable(f"cellen viser til delt tekst nr. {raw[:12]}, som ikke finnes") from None
    if kind in ("str", "d"):
        return raw, None
    if kind == "b":
        return raw.strip() in ("1", "true"), None
    try:
        number = float(raw)
    except ValueError:
        return raw, None
    style = element.get("s")
    kind = date_styles.get(int(style)) if style is not None and style.isdigit() else None
    if kind is not None:
        return _excel_date(number, date1904, kind), None
    return number, None


def _excel_date(serial: float, date1904: bool, kind: str):
    """A serial number shown as a date, time or duration, as python-calamine gives it (to the
    millisecond; a whole day a date)."""
    if kind == "duration":
        return dt.timedelta(milliseconds=round(serial * 86_400_000))
    epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    if not date1904 and 0 < serial < 60:
        serial += 1  # Excel's 29 February 1900, which never was
    try:
        moment = epoch + dt.timedelta(milliseconds=round(serial * 86_400_000))
    except OverflowError:
        return serial
    if kind == "time" or 0 <= serial < 1:
        return moment.time()
    return moment.date() if serial == int(serial) else moment


def _column_index(letters: str) -> int:
    return column_number(letters.upper()) - 1


def _area(ref: str) -> tuple[int, int, int, int] | None:
    first, _, last = ref.partition(":")
    a, b = _CELL_REF.match(first), _CELL_REF.match(last or first)
    if a is None or b is None:
        return None
    return (int(a.group(2)) - 1, _column_index(a.group(1)), int(b.group(2)) - 1, _column_index(b.group(1)))
