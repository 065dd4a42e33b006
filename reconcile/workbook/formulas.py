"""Cells python-calamine reports empty that are not: formulas with no stored value, error values.

A workbook written by a library (openpyxl, some exporters) and never opened in Excel holds
formulas without a cached value: `<c r="C7"><f>SUM(C3:C6)</f></c>` or `<v></v>`. python-calamine
reads such a cell as empty, and so does an error value (`<c t="e"><v>#REF!</v></c>`). Neither may
be read as 0 or blank, so for .xlsx/.xlsm the sheet's XML part is streamed once and just those
cells are returned: by `BadCellScanner`, fed by the container check's own pass over the part
(`container.inspect`), or by `scan_bad_cells`. The patterns only match such cells, so the scan
runs at regex speed even over a sheet of a million formulas that do have values.
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
    scanner = BadCellScanner()
    with zipfile.ZipFile(path) as archive, archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            scanner.feed(chunk)
    return scanner.close(zero_formulas=zero_formulas)


class BadCellScanner:
    """`scan_bad_cells` fed chunk by chunk, so that a pass that unpacks the part anyway (the
    container's safety check) finds the bad cells too, without unpacking it again.

    Whether formulas stored as 0 count is known only after the workbook part has been read, so
    both answers are kept, each built exactly as a scan with that setting builds it."""

    def __init__(self) -> None:
        self._plain: dict[tuple[int, int], BadCell] = {}
        self._with_zero: dict[tuple[int, int], BadCell] = {}
        self._rest = b""
        self.ok = True  # False once a chunk could not be scanned: scan_bad_cells says why

    def feed_safely(self, chunk: bytes) -> None:
        """`feed`, for a pass with another purpose: a failure here only drops this scanner."""
        if self.ok:
            try:
                self.feed(chunk)
            except Exception:  # belt and braces: the patterns only read bytes
                self.ok = False
                self._rest = b""

    def feed(self, chunk: bytes) -> None:
        window = self._rest + chunk if self._rest else chunk
        cut = _last_row_end(window)
        if cut == 0 and len(window) > 8 * _CHUNK:  # one giant row: take what is complete
            cut = window.rfind(b"c>") + 2
        _scan(window[:cut] if cut < len(window) else window, self._plain, self._with_zero)
        self._rest = window[cut:]

    def close(self, *, zero_formulas: bool) -> dict[tuple[int, int], BadCell]:
        if self._rest:
            _scan(self._rest, self._plain, self._with_zero)
            self._rest = b""
        return self._with_zero if zero_formulas else self._plain


def _last_row_end(window: bytes) -> int:
    position = window.rfind(b"row>")
    while position > 0:
        match = _ROW_END.match(window, window.rfind(b"</", 0, position))
        if match and match.end() == position + 4:
            return match.end()
        position = window.rfind(b"row>", 0, position)
    return 0


def _scan(body: bytes, plain: dict[tuple[int, int], BadCell], with_zero: dict[tuple[int, int], BadCell]) -> None:
    """The bad cells of `body` into `plain` (a scan without formula_zero) and `with_zero` (one with)."""
    # "f" alone first: one memchr, where the two-byte searches are many times slower.
    if (b"f" not in body or (b"<f" not in body and b":f" not in body)) and b't="e"' not in body:
        return
    without_value = []
    for match in _FORMULA_WITHOUT_VALUE.finditer(body):
        attributes = match.group(1)
        kind = _TYPE.search(attributes)
        if kind and kind.group(1) == b"str" and match.group(3):
            continue  # a formula whose stored result is the empty string
        without_value.append((attributes, "formula_without_value", _text(match.group(2) or b"")))
    zeros = [(match.group(1), "formula_zero", _text(match.group(2) or b"")) for match in _FORMULA_ZERO.finditer(body)]
    errors = []
    for match in _ERROR_CELL.finditer(body):
        value = _ERROR_VALUE.search(match.group(2))
        errors.append((match.group(1), "error", _text(value.group(1)) if value else "#?"))
    for found, found_kinds in ((plain, (without_value, errors)), (with_zero, (without_value, zeros, errors))):
        for cells in found_kinds:
            for attributes, kind, detail in cells:
                _add(found, attributes, kind, detail)


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
