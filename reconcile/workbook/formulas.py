"""Cells python-calamine reports empty that are not: formulas with no stored value, error values.

A workbook written by a library (openpyxl, some exporters) and never opened in Excel holds
formulas without a cached value: `<c r="C7"><f>SUM(C3:C6)</f></c>` or `<v></v>`. python-calamine
reads such a cell as empty, and so does an error value (`<c t="e"><v>#REF!</v></c>`). Neither may
be read as 0 or blank, so for .xlsx/.xlsm this module streams the sheet's XML part once and
returns just those cells. The patterns only match such cells, so the scan runs at regex speed
even over a sheet of a million formulas that do have values.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

_CHUNK = 1 << 20
_P = rb"(?:\w+:)?"  # an optional namespace prefix: <x:c>, <x:f>
_FORMULA_WITHOUT_VALUE = re.compile(
    rb"<" + _P + rb"c\b([^>]*[^/>])>\s*"
    rb"(?:<" + _P + rb"f\b[^>]*/>|<" + _P + rb"f\b[^>]*>([^<]*)</" + _P + rb"f>)\s*"
    rb"(<" + _P + rb"v\s*/>|<" + _P + rb"v>\s*</" + _P + rb"v>)?\s*"
    rb"</" + _P + rb"c>"
)
# A formula whose stored value is 0: what xlsxwriter writes for every formula it cannot compute.
_FORMULA_ZERO = re.compile(
    rb"<" + _P + rb"c\b([^>]*[^/>])>\s*"
    rb"(?:<" + _P + rb"f\b[^>]*/>|<" + _P + rb"f\b[^>]*>([^<]*)</" + _P + rb"f>)\s*"
    rb"<" + _P + rb"v>0</" + _P + rb"v>\s*</" + _P + rb"c>"
)
_ERROR_CELL = re.compile(rb"<" + _P + rb"c\b([^>]*\bt=\"e\"(?:[^>]*[^/>])?)>(.*?)</" + _P + rb"c>", re.DOTALL)
_ERROR_VALUE = re.compile(rb"<" + _P + rb"v>([^<]*)</" + _P + rb"v>")
_REF = re.compile(rb"\br=\"([A-Z]{1,3})(\d{1,7})\"")
_TYPE = re.compile(rb"\bt=\"(\w+)\"")
_ROW_END = re.compile(rb"</" + _P + rb"row>")


@dataclass(frozen=True, slots=True)
class BadCell:
    """A cell whose value cannot be taken as read.

    `kind` is "formula_without_value" or "error" (calamine reports both as empty), or
    "formula_zero" (a stored 0 in a workbook that asks to be recalculated on opening)."""

    ref: str  # "C7"
    row: int  # 1-based
    column: int  # 0-based
    kind: str
    detail: str  # the formula, or the error value ("#REF!")


def scan_bad_cells(path: Path, part: str, *, zero_formulas: bool = False) -> dict[tuple[int, int], BadCell]:
    """Formula cells without a stored value and error cells of one worksheet part, by (row, column).

    With `zero_formulas` (the workbook has fullCalcOnLoad set, as xlsxwriter writes it) formulas
    whose stored value is 0 are returned too: their value may never have been calculated."""
    found: dict[tuple[int, int], BadCell] = {}
    with zipfile.ZipFile(path) as archive, archive.open(part) as stream:
        rest = b""
        while chunk := stream.read(_CHUNK):
            window = rest + chunk
            cut = _last_row_end(window)
            if cut == 0 and len(window) > 8 * _CHUNK:  # one giant row: take what is complete
                cut = window.rfind(b"c>") + 2
            _scan(window[:cut], found, zero_formulas)
            rest = window[cut:]
        _scan(rest, found, zero_formulas)
    return found


def _last_row_end(window: bytes) -> int:
    position = window.rfind(b"row>")
    while position > 0:
        match = _ROW_END.match(window, window.rfind(b"</", 0, position))
        if match and match.end() == position + 4:
            return match.end()
        position = window.rfind(b"row>", 0, position)
    return 0


def _scan(body: bytes, found: dict[tuple[int, int], BadCell], zero_formulas: bool) -> None:
    if b"<f" not in body and b":f" not in body and b't="e"' not in body:
        return
    for match in _FORMULA_WITHOUT_VALUE.finditer(body):
        attributes = match.group(1)
        kind = _TYPE.search(attributes)
        if kind and kind.group(1) == b"str" and match.group(3):
            continue  # a formula whose stored result is the empty string
        _add(found, attributes, "formula_without_value", _text(match.group(2) or b""))
    if zero_formulas:
        for match in _FORMULA_ZERO.finditer(body):
            _add(found, match.group(1), "formula_zero", _text(match.group(2) or b""))
    for match in _ERROR_CELL.finditer(body):
        value = _ERROR_VALUE.search(match.group(2))
        _add(found, match.group(1), "error", _text(value.group(1)) if value else "#?")


def _add(found: dict[tuple[int, int], BadCell], attributes: bytes, kind: str, detail: str) -> None:
    ref = _REF.search(attributes)
    if ref is None:
        return  # a cell without a reference cannot be placed; calamine counts those itself
    letters = ref.group(1).decode("ascii")
    row = int(ref.group(2))
    column = 0
    for char in letters:
        column = column * 26 + ord(char) - 64
    found[(row, column - 1)] = BadCell(f"{letters}{row}", row, column - 1, kind, detail)


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")
