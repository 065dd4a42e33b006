"""The used range of each sheet of an .xls, .xlsb or .ods, measured before python-calamine reads it.

python-calamine allocates a sheet's whole used range at once. One cell far out in the grid (an
.xls cell record in column 16 383, an .xlsb cell in XFD1048576 under a dimension record that says
A1) asks for billions of cells and the process aborts; the .xlsx guard is in `container`. Here each
format's cell positions are read from its own records, without their values:

* .xls: the BIFF records of the "Workbook" stream of the OLE2 file, sheet by sheet (BOUNDSHEET
  names each sheet's BOF offset); a FILEPASS record means the workbook is password-protected;
* .xlsb: the records of each worksheet part (row headers and cells);
* .ods: `content.xml`'s rows and cells with their repeat counts.

Each returns sheet name (or part) -> `Extent`, the same measure the .xlsx guard gives.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from typing import IO

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Extent:
    """The used range of a worksheet part as its XML states it: value cells only, 1-based."""

    first_row: int
    last_row: int
    last_column: int  # 1-based column number

    @property
    def cells(self) -> int:
        if self.last_row == 0:
            return 0
        return (self.last_row - self.first_row + 1) * self.last_column


class Unmeasurable(ValueError):
    """The records cannot be followed: the file is damaged."""


class Protected(Exception):
    """An .xls with a FILEPASS record: encrypted or obfuscated with a password."""


# --- OLE2 streams --------------------------------------------------------------------------

_FREE, _END = 0xFFFFFFFF, 0xFFFFFFFE
_MAX_CHAIN = 1 << 22


def ole2_stream(data: bytes, wanted: tuple[str, ...]) -> bytes:
    """The first stream named in `wanted` (case-insensitive) of an OLE2 compound file."""
    if len(data) < 512:
        raise Unmeasurable("short header")
    sector_size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
    if sector_size not in (512, 4096) or mini_size != 64:
        raise Unmeasurable("bad sector size")
    num_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    mini_cutoff, first_minifat, num_minifat, first_difat, num_difat = struct.unpack_from("<IIIII", data, 0x38)
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _END]
    per = sector_size // 4
    difat = first_difat
    for _ in range(min(num_difat, _MAX_CHAIN)):
        if difat >= _END:
            break
        entries = _unpack_sector(data, difat, sector_size)
        fat_sectors.extend(s for s in entries[: per - 1] if s < _END)
        difat = entries[per - 1]
    fat: list[int] = []
    for sector in fat_sectors[: num_fat or None]:
        fat.extend(_unpack_sector(data, sector, sector_size))

    def chain(start: int) -> Iterator[int]:
        seen = 0
        while start < _END:
            if start >= len(fat) or seen > _MAX_CHAIN:
                raise Unmeasurable("broken sector chain")
            yield start
            seen += 1
            start = fat[start]

    def read(start: int, size: int) -> bytes:
        out = bytearray()
        for sector in chain(start):
            offset = (sector + 1) * sector_size
            out += data[offset: offset + sector_size]
            if len(out) >= size:
                break
        if len(out) < size:
            raise Unmeasurable("stream shorter than its size")
        return bytes(out[:size])

    directory = b"".join(data[(s + 1) * sector_size: (s + 2) * sector_size] for s in chain(first_dir))
    entries = []
    for base in range(0, len(directory) - 127, 128):
        length = struct.unpack_from("<H", directory, base + 0x40)[0]
        kind = directory[base + 0x42]
        if kind not in (1, 2, 5) or not 2 <= length <= 64:
            continue
        name = directory[base: base + length - 2].decode("utf-16-le", errors="replace")
        start, size = struct.unpack_from("<II", directory, base + 0x74)
        entries.append((name, kind, start, size))
    root = next((entry for entry in entries if entry[1] == 5), None)
    for want in wanted:
        for name, kind, start, size in entries:
            if kind != 2 or name.lower() != want.lower():
                continue
            if size >= mini_cutoff:
                return read(start, size)
            if root is None:
                raise Unmeasurable("no root entry")
            mini_stream = read(root[2], root[3])
            minifat: list[int] = []
            for sector in chain(first_minifat):
                minifat.extend(_unpack_sector(data, sector, sector_size))
                if len(minifat) >= num_minifat * per:
                    break
            out = bytearray()
            mini = start
            while mini < _END and len(out) < size:
                if mini >= len(minifat):
                    raise Unmeasurable("broken mini stream chain")
                out += mini_stream[mini * 64: mini * 64 + 64]
                mini = minifat[mini]
            return bytes(out[:size])
    raise Unmeasurable("no workbook stream")


def _unpack_sector(data: bytes, sector: int, sector_size: int) -> tuple[int, ...]:
    offset = (sector + 1) * sector_size
    if offset + sector_size > len(data):
        raise Unmeasurable("sector beyond the end of the file")
    return struct.unpack_from(f"<{sector_size // 4}I", data, offset)


# --- .xls (BIFF5/8) ------------------------------------------------------------------------

_BOF, _EOF, _BOUNDSHEET, _FILEPASS = 0x0809, 0x000A, 0x0085, 0x002F
# Cell records that start with row and column (u16 each).
_CELLS = frozenset({0x0203, 0x00FD, 0x0204, 0x0201, 0x0205, 0x0006, 0x0406, 0x027E, 0x00D6, 0x0207})
_MULTI = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK: row, first column, ..., last column


def xls_extents(workbook: bytes) -> dict[str, Extent]:
    """Sheet name -> used range, from a BIFF5/BIFF8 Workbook stream. Raises `Protected` for a
    workbook with a password (FILEPASS), `Unmeasurable` for records that cannot be followed.

    Each sheet is measured from the offset its BOUNDSHEET gives, as the reader finds it, not from
    where a walk through the stream happens to meet a BOF."""
    sheets: list[tuple[int, str]] = []
    biff8 = True
    for kind, body, length in _biff_records(workbook, 0):
        if kind == _BOF and length >= 2:
            biff8 = struct.unpack_from("<H", workbook, body)[0] >= 0x0600
        elif kind == _FILEPASS:
            raise Protected()
        elif kind == _BOUNDSHEET and length >= 8:
            offset = struct.unpack_from("<I", workbook, body)[0]
            sheets.append((offset, _sheet_name(workbook[body + 6: body + length], biff8)))
        elif kind == _EOF:
            break
    extents: dict[str, Extent] = {}
    for offset, name in sheets:
        first = last = width = 0
        for kind, body, length in _biff_records(workbook, offset):
            if kind == _EOF:
                break
            if (kind in _CELLS or kind in _MULTI) and length >= 4:
                row, column = struct.unpack_from("<HH", workbook, body)
                if kind in _MULTI and length >= 6:
                    column = max(column, struct.unpack_from("<H", workbook, body + length - 2)[0])
                row += 1
                first = min(first, row) if first else row
                last = max(last, row)
                width = max(width, column + 1)
        previous = extents.get(name)
        extent = Extent(first, last, width)
        if previous is None or extent.cells > previous.cells:
            extents[name] = extent
    return extents


def _biff_records(stream: bytes, position: int) -> Iterator[tuple[int, int, int]]:
    """(record type, offset of its body, its length) from `position` to the end of the stream."""
    size = len(stream)
    while position + 4 <= size:
        kind, length = struct.unpack_from("<HH", stream, position)
        body = position + 4
        if body + length > size:
            raise Unmeasurable("a record runs past the end of the stream")
        yield kind, body, length
        position = body + length


def _sheet_name(raw: bytes, biff8: bool) -> str:
    """A BOUNDSHEET's name: BIFF8 has a flags byte (bit 0: UTF-16) after the length, BIFF5 not."""
    if not raw:
        return ""
    count = raw[0]
    if not biff8:
        return raw[1: 1 + count].decode("cp1252", errors="replace")
    if len(raw) >= 2 and raw[1] & 1:
        return raw[2: 2 + 2 * count].decode("utf-16-le", errors="replace")
    return raw[2: 2 + count].decode("latin-1")


# --- .xlsb ---------------------------------------------------------------------------------

_ROW_HEADER = 0x0000
_XLSB_CELLS = frozenset(range(0x01, 0x13))  # BrtCellBlank … BrtShortIsst: column (u32) first


def _record_header(data: bytes, position: int) -> tuple[int, int, int]:
    """The type and size of the .xlsb record at `position` (each a variable-length integer), and where
    its body starts."""
    size = len(data)
    kind = data[position]
    position += 1
    if kind & 0x80:
        if position >= size:
            raise Unmeasurable("a record type runs past the end")
        kind = (kind & 0x7F) | ((data[position] & 0x7F) << 7)
        position += 1
    length = shift = 0
    for _ in range(4):
        if position >= size:
            raise Unmeasurable("a record size runs past the end")
        byte = data[position]
        position += 1
        length |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    return kind, length, position


def xlsb_extent(stream: IO[bytes]) -> Extent:
    """The used range of one .xlsb worksheet part, from its row headers and cell records."""
    data = stream.read()
    size = len(data)
    position = 0
    row = -1
    first = last = width = 0
    while position < size:
        kind, length, position = _record_header(data, position)
        if position + length > size:
            raise Unmeasurable("a record runs past the end of the part")
        if kind == _ROW_HEADER and length >= 4:
            row = struct.unpack_from("<I", data, position)[0]
        elif kind in _XLSB_CELLS and length >= 4 and row >= 0:
            column = struct.unpack_from("<I", data, position)[0]
            number = row + 1
            first = min(first, number) if first else number
            last = max(last, number)
            width = max(width, column + 1)
        position += length
    return Extent(first, last, width)


def xlsb_sheet_targets(workbook_bin: bytes) -> dict[str, str]:
    """Sheet name -> relationship id, from the BrtBundleSh records of xl/workbook.bin."""
    found: dict[str, str] = {}
    data, position, size = workbook_bin, 0, len(workbook_bin)
    while position < size:
        try:
            kind, length, position = _record_header(data, position)
        except Unmeasurable:
            return found  # a cut-off last record: the sheets named before it stand
        if kind == 0x9C and length >= 12:
            at = position + 8
            count = struct.unpack_from("<I", data, at)[0]
            at += 4
            rel_id = ""
            if count != 0xFFFFFFFF:
                rel_id = data[at: at + 2 * count].decode("utf-16-le", errors="replace")
                at += 2 * count
            if at + 4 <= position + length:
                count = struct.unpack_from("<I", data, at)[0]
                name = data[at + 4: at + 4 + 2 * count].decode("utf-16-le", errors="replace")
                found[name] = rel_id
        position += length
    return found


# --- .ods ----------------------------------------------------------------------------------

_ODS_TAG = re.compile(
    rb"<(/?)table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*?)(/?)>")
_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="(\d{1,12})"')
_COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated="(\d{1,12})"')
_NAME = re.compile(rb'table:name="([^"]*)"')
_HAS_VALUE = re.compile(rb"office:value-type=")


def ods_extents(stream: IO[bytes], chunk_size: int = 1 << 20) -> dict[str, Extent]:
    """Table name -> used range, from content.xml: a row or cell repeated N times counts N times
    when it holds a value (a typed cell, or one with content) — as a reader expanding it would."""
    extents: dict[str, Extent] = {}
    name = None
    row = column = 0
    row_repeat = 1
    first = last = width = 0
    tail = b""
    while True:
        chunk = stream.read(chunk_size)
        window = tail + chunk
        cut = window.rfind(b">") + 1 if chunk else len(window)
        for tag in _ODS_TAG.finditer(window, 0, cut):
            closing, element, attributes, empty = tag.groups()
            if element == b"table":
                if closing:
                    if name is not None:
                        extents[name] = Extent(first, last, width)
                    name = None
                else:
                    found = _NAME.search(attributes)
                    name = _unescape(found.group(1)) if found else ""
                    row = column = first = last = width = 0
                continue
            if element == b"table-row":
                if closing:
                    row += row_repeat
                    continue
                repeat = _ROWS_REPEATED.search(attributes)
                row_repeat = int(repeat.group(1)) if repeat else 1
                column = 0
                if empty:
                    row += row_repeat
                continue
            if closing:
                continue
            repeat = _COLUMNS_REPEATED.search(attributes)
            count = int(repeat.group(1)) if repeat else 1
            if _HAS_VALUE.search(attributes) or not empty:
                top = row + 1
                bottom = row + row_repeat
                first = min(first, top) if first else top
                last = max(last, bottom)
                width = max(width, column + count)
            column += count
        tail = window[cut:]
        if not chunk:
            break
    return extents


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")
