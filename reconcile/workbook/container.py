"""Is this file a workbook we can read safely? What kind, and where are its sheets?

Everything here runs before python-calamine sees the file, and every answer "no" is an
`InputError` with a one-line message:

* missing file, directory, empty file, unreadable file;
* not a spreadsheet: a CSV, HTML page, PDF or Word file renamed to .xlsx (sniffed from the bytes);
* a password-protected workbook (an encrypted OOXML file is an OLE2 container with an
  "EncryptionInfo" stream);
* a damaged or truncated zip; a zip bomb (declared or actual uncompressed size far beyond sane);
* an XML part with a DOCTYPE or ENTITY declaration (XXE): refused, never resolved.

Every XML part of a zip workbook is streamed once through zipfile, which checks its CRC and that it
does not inflate beyond its declared size. Worksheet parts are also measured on the way (`Extent`):
python-calamine allocates the whole used range of a sheet at once, so a stray value in XFD1048576
would ask for 17 billion cells and abort the process; such a sheet is skipped instead. The same
pass finds the cells python-calamine reads as empty that are not (`formulas.BadCellScanner`), so a
sheet of a million rows is unpacked once here, not twice.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from reconcile.errors import InputError
from reconcile.workbook.formulas import BadCell, BadCellScanner

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Sanity limits. A real budget workbook is a few megabytes of XML; a sheet of 1 048 576 rows by a
# dozen columns is a few hundred.
MAX_TOTAL_UNCOMPRESSED = 2 * 1024**3  # bytes over all parts
MAX_RATIO = 500  # uncompressed / compressed, for a part larger than RATIO_MIN_SIZE
RATIO_MIN_SIZE = 20 * 1024**2
MAX_ENTRIES = 20_000
# The most cells python-calamine may allocate for one sheet (about 32 bytes each).
MAX_SHEET_CELLS = 20_000_000

_CHUNK = 1 << 20
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_FORBIDDEN = [token.encode(codec) for token in ("<!DOCTYPE", "<!ENTITY") for codec in ("ascii", "utf-16-le", "utf-16-be")]
_OVERLAP = 32

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


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


@dataclass(frozen=True, slots=True)
class Container:
    """What kind of workbook a file is, and (for .xlsx/.xlsm) where each sheet's XML part is."""

    format: str  # "xlsx", "xlsm", "xlsb", "ods", "xls"
    sheet_parts: dict[str, str] = field(default_factory=dict)  # sheet name -> zip part
    extents: dict[str, Extent] = field(default_factory=dict)  # zip part -> extent
    full_calc_on_load: bool = False
    suffix_mismatch: bool = False  # the file's name says another format than its bytes
    # zip part -> its formulas without a stored value and error cells (formulas.scan_bad_cells),
    # found on the way; a part missing here was not scanned.
    bad_cells: dict[str, dict[tuple[int, int], BadCell]] = field(default_factory=dict)

    def sheet_extent(self, sheet: str) -> Extent | None:
        part = self.sheet_parts.get(sheet)
        return self.extents.get(part) if part else None


_SUFFIX_FORMATS = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsm",
    ".xltx": "xlsx",
    ".xltm": "xlsm",
    ".xlsb": "xlsb",
    ".xls": "xls",
    ".xla": "xls",
    ".ods": "ods",
}


def inspect(path: Path) -> Container:
    """Check `path` and say what it is; raise InputError if it is not a workbook we can read."""
    if path.is_dir():
        raise InputError("is a directory, not a workbook", path)
    if not path.exists():
        raise InputError("no such file", path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path) from error
    if size == 0:
        raise InputError("the workbook file is empty (0 bytes)", path)
    if head.startswith(ZIP_MAGICS):
        container = _inspect_zip(path)
    elif head.startswith(OLE2_MAGIC):
        container = _inspect_ole2(path)
    else:
        raise InputError(_not_a_spreadsheet(head, path), path)
    expected = _SUFFIX_FORMATS.get(path.suffix.lower())
    mismatch = expected is not None and expected != container.format and {expected, container.format} != {"xlsx", "xlsm"}
    if mismatch or expected is None:
        container = Container(
            container.format, container.sheet_parts, container.extents, container.full_calc_on_load, True,
            container.bad_cells,
        )
    return container


def _not_a_spreadsheet(head: bytes, path: Path) -> str:
    named = f"named {path.suffix} but " if path.suffix else ""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"%PDF-" in head[:1024]:
        return f"{named}a PDF, not a spreadsheet"
    if text.startswith((b"<!doctype html", b"<html")) or b"<html" in text[:2048]:
        return f"{named}an HTML page, not a spreadsheet (saved from a web page?): save it as .xlsx"
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in text:
        return f"{named}an Excel 2003 XML spreadsheet, which cannot be read: save it as .xlsx"
    if text.startswith(b"{\\rtf"):
        return f"{named}an RTF document, not a spreadsheet"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_like_text(head):
        return f"{named}a text file (CSV?), not a spreadsheet: open it in Excel and save it as .xlsx"
    return f"{named}not a spreadsheet (unknown file format)"


def _looks_like_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = head.decode("cp1252", errors="replace")
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\r\n\f")
    return controls <= len(text) * 0.01


# --- zip (xlsx, xlsm, xlsb, ods) -----------------------------------------------------------


def _inspect_zip(path: Path) -> Container:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, struct.error) as error:
        # NotImplementedError: a damaged "version needed" field; ValueError: a damaged name (UTF-8 flag).
        raise InputError("damaged or truncated workbook: not a complete zip archive", path) from error
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path) from error
    with archive:
        infos = archive.infolist()
        if any(not info.filename for info in infos):  # zipfile's ZipInfo.is_dir() fails on it
            raise InputError("damaged workbook: the zip archive lists a part without a name", path)
        names = {info.filename for info in infos}
        fmt = _zip_format(archive, names, path)
        _check_sizes(infos, path)
        extents: dict[str, Extent] = {}
        scanners: dict[str, BadCellScanner] = {}
        for info in infos:
            if info.is_dir() or not info.filename.lower().endswith(_XML_SUFFIXES):
                continue
            is_sheet = fmt in ("xlsx", "xlsm") and info.filename.startswith("xl/worksheets/")
            scanner = BadCellScanner() if is_sheet else None
            extent = _stream_part(archive, info, path, measure=is_sheet, scanner=scanner)
            if extent is not None:
                extents[info.filename] = extent
            if scanner is not None and scanner.ok:
                scanners[info.filename] = scanner
        sheet_parts: dict[str, str] = {}
        full_calc = False
        if fmt in ("xlsx", "xlsm"):
            sheet_parts, full_calc = _sheet_parts(archive, names, path)
    bad_cells = {part: scanner.close(zero_formulas=full_calc) for part, scanner in scanners.items()}
    return Container(fmt, sheet_parts, extents, full_calc, bad_cells=bad_cells)


def _zip_format(archive: zipfile.ZipFile, names: set[str], path: Path) -> str:
    if "xl/workbook.xml" in names:
        macro = "xl/vbaProject.bin" in names or path.suffix.lower() in (".xlsm", ".xltm")
        return "xlsm" if macro else "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "content.xml" in names:
        if "mimetype" in names:
            try:
                mime = archive.read("mimetype")[:200].strip()
            except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, NotImplementedError, EOFError) as error:
                raise InputError("damaged workbook: cannot read its mimetype", path) from error
            if mime == _ODS_MIME:
                return "ods"
            raise InputError(f"an OpenDocument file of another kind ({mime.decode('ascii', 'replace')}), not a spreadsheet", path)
        return "ods"
    if "word/document.xml" in names:
        raise InputError("a Word document (.docx), not a spreadsheet", path)
    if any(name.startswith("ppt/") for name in names):
        raise InputError("a PowerPoint presentation, not a spreadsheet", path)
    raise InputError("a zip archive, but not a spreadsheet (no workbook inside)", path)


def _check_sizes(infos: list[zipfile.ZipInfo], path: Path) -> None:
    if len(infos) > MAX_ENTRIES:
        raise InputError(f"refused: the archive has {len(infos)} parts, far more than a workbook", path)
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise InputError(
            f"refused: the workbook would unpack to {total // 1024**2} MB, far beyond a sane size (zip bomb?)", path
        )
    for info in infos:
        if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(
                f"refused: part {info.filename} unpacks from {info.compress_size} bytes to "
                f"{info.file_size // 1024**2} MB (zip bomb?)",
                path,
            )


# A cell with content (not self-closing): its column letters and row number.
_VALUE_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})(\d{1,7})"(?:[^>]*[^/>])?>')
_TAIL = 4096  # bytes from the end of a chunk first looked at for its last value cell


def _stream_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, *, measure: bool,
                 scanner: BadCellScanner | None = None) -> Extent | None:
    """Read one XML part to its end: CRC, declared size, DOCTYPE/ENTITY; measure a worksheet, and
    feed it to `scanner` (bad cells) on the way."""
    extent = _Measure() if measure else None
    tail = b""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                window = tail + chunk
                if b"!" in window:  # every forbidden token holds the byte "!" (one memchr)
                    for token in _FORBIDDEN:
                        if token in window:
                            raise InputError(
                                f"refused: part {info.filename} declares a DOCTYPE or ENTITY (XXE risk); "
                                "a workbook saved by Excel or LibreOffice has none",
                                path,
                            )
                if scanner is not None:
                    scanner.feed_safely(chunk)
                if extent is not None:
                    cut = window.rfind(b">") + 1  # whole tags only; a partial tag waits for the next chunk
                    if len(window) - cut > 4 * _CHUNK:  # no tag end in megabytes: not a worksheet we measure
                        cut = len(window) - _OVERLAP
                    extent.add(window[:cut])
                    tail = window[cut:]
                else:
                    tail = window[-_OVERLAP:]
            if extent is not None and tail:
                extent.add(tail)
    except InputError:
        raise
    except Exception as error:  # BadZipFile (CRC, size), zlib.error, EOFError, OSError, ...
        raise InputError(f"damaged workbook: part {info.filename} cannot be unpacked ({error})", path) from error
    if extent is None:
        return None
    return Extent(extent.first_row, extent.last_row, extent.last_column)


class _Measure:
    """The value cells' first row, last row and widest column, folded in chunk by chunk.

    What `_VALUE_CELL.findall` over every chunk would give (rows are written in order), without
    visiting each of a million rows' cells in Python: the first row from the first value cell, the
    last row from the chunk's last one (looked for from its end), and the widest column from a
    search, at the speed of a literal prefix, for a value cell in a column further right than the
    widest so far; a sheet finds its widest column in its first rows and the search then finds
    nothing."""

    __slots__ = ("first_row", "last_row", "last_column", "_wider")

    def __init__(self) -> None:
        self.first_row = self.last_row = self.last_column = 0
        self._wider: re.Pattern[bytes] | None = None

    def add(self, body: bytes) -> None:
        first = _VALUE_CELL.search(body)
        if first is None:
            return
        if self.first_row == 0:
            self.first_row = int(first.group(2))
        last = _last_value_cell(body, first.start())
        self.last_row = max(self.last_row, int(last.group(2)))
        self._widen(_column_number(first.group(1)))
        self._widen(_column_number(last.group(1)))
        position = first.start()
        while True:
            candidate = self._wider.search(body, position)
            if candidate is None:
                return
            position = candidate.start() + 1
            if candidate.start() == 0 or body[candidate.start() - 1] not in _SPACE:
                continue
            # The cell's own start tag, read as _VALUE_CELL reads it.
            cell = _VALUE_CELL.match(body, body.rfind(b"<", 0, candidate.start()))
            if cell is not None and cell.end() > candidate.start():
                self._widen(_column_number(cell.group(1)))

    def _widen(self, column: int) -> None:
        if column > self.last_column or self._wider is None:
            self.last_column = max(self.last_column, column)
            self._wider = _wider_pattern(self.last_column)


_SPACE = frozenset(b" \t\r\n")


def _last_value_cell(body: bytes, first: int) -> re.Match[bytes]:
    """The last `_VALUE_CELL` match in `body` (one is known to start at `first`)."""
    size = _TAIL
    while True:
        start = max(first, len(body) - size)
        if start > first:
            start = body.find(b"<", start)  # start at a tag (no "<" inside attribute values or text)
            if start < 0:
                start = first
        last = None
        for last in _VALUE_CELL.finditer(body, start):  # noqa: B007 (the loop keeps the last match)
            pass
        if last is not None:
            return last
        size *= 4


def _wider_pattern(column: int) -> re.Pattern[bytes]:
    """`r="…"` naming a cell in a column right of `column` (1-based), in a tag that is not
    self-closing: candidates for a wider value cell, checked one by one."""
    letters = column_letters(column)
    alternatives = [f"[A-Z]{{{len(letters) + 1},3}}"] if len(letters) < 3 else []
    for position, char in enumerate(letters):
        if char != "Z":
            rest = len(letters) - position - 1
            alternatives.append(f"{letters[:position]}[{chr(ord(char) + 1)}-Z]" + (f"[A-Z]{{{rest}}}" if rest else ""))
    if not alternatives:
        return re.compile(rb"(?!)")
    return re.compile(rb'r="(?:' + "|".join(alternatives).encode("ascii") + rb')\d{1,7}"(?:[^>]*[^/>])?>')


def column_letters(number: int) -> str:
    """1 -> 'A', 27 -> 'AA'; 0 -> ''."""
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _column_number(letters: bytes | str) -> int:
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def _sheet_parts(archive: zipfile.ZipFile, names: set[str], path: Path) -> tuple[dict[str, str], bool]:
    """Sheet name -> part, from xl/workbook.xml and its relationships; and fullCalcOnLoad."""
    try:
        workbook = ET.fromstring(archive.read("xl/workbook.xml"))
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels")) if "xl/_rels/workbook.xml.rels" in names else None
    except ET.ParseError as error:
        raise InputError(f"damaged workbook: xl/workbook.xml is not well-formed XML ({error})", path) from error
    targets: dict[str, str] = {}
    if rels is not None:
        for rel in rels.iter(f"{{{_NS_PKG_REL}}}Relationship"):
            target = rel.get("Target", "")
            if target.startswith("/"):
                part = target.lstrip("/")
            else:
                part = posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id", "")] = part
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{{{_NS_MAIN}}}sheet"):
        rel_id = sheet.get(f"{{{_NS_REL}}}id", "")
        if rel_id in targets and targets[rel_id] in names:
            parts[sheet.get("name", "")] = targets[rel_id]
    full_calc = False
    for calc in workbook.iter(f"{{{_NS_MAIN}}}calcPr"):
        full_calc = calc.get("fullCalcOnLoad") in ("1", "true")
    return parts, full_calc


# --- OLE2 (xls, encrypted OOXML) -----------------------------------------------------------

_ENDOFCHAIN = 0xFFFFFFFE
_MAX_SECTORS = 1 << 22


def _inspect_ole2(path: Path) -> Container:
    names = ole2_stream_names(path)
    lowered = {name.lower() for name in names}
    if "encryptioninfo" in lowered or "encryptedpackage" in lowered:
        raise InputError(
            "password-protected (encrypted) workbook: save a copy without a password and read that", path
        )
    if "workbook" in lowered or "book" in lowered:
        return Container("xls")
    if "worddocument" in lowered:
        raise InputError("a Word 97-2003 document (.doc), not a spreadsheet", path)
    if "powerpoint document" in lowered:
        raise InputError("a PowerPoint 97-2003 presentation, not a spreadsheet", path)
    raise InputError("an OLE2 (Office 97-2003) file without a workbook stream, not a spreadsheet", path)


def ole2_stream_names(path: Path) -> set[str]:
    """The names in an OLE2 compound file's directory (falls back to a byte search if damaged)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path) from error
    try:
        return _ole2_directory(data)
    except (struct.error, IndexError, ValueError):
        found = set()
        for name in ("EncryptionInfo", "EncryptedPackage", "Workbook", "Book", "WordDocument"):
            if name.encode("utf-16-le") + b"\x00\x00" in data:
                found.add(name)
        return found


def _ole2_directory(data: bytes) -> set[str]:
    if len(data) < 512:
        raise ValueError("short header")
    sector_size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    if sector_size not in (512, 4096):
        raise ValueError("bad sector size")
    num_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    first_difat, num_difat = struct.unpack_from("<II", data, 0x44)
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _ENDOFCHAIN]
    difat = first_difat
    per_sector = sector_size // 4 - 1
    for _ in range(min(num_difat, _MAX_SECTORS)):
        if difat >= _ENDOFCHAIN:
            break
        entries = struct.unpack_from(f"<{per_sector + 1}I", data, (difat + 1) * sector_size)
        fat_sectors.extend(s for s in entries[:per_sector] if s < _ENDOFCHAIN)
        difat = entries[per_sector]
    fat_sectors = fat_sectors[: max(num_fat, 0)] if num_fat else fat_sectors
    fat: list[int] = []
    for sector in fat_sectors:
        offset = (sector + 1) * sector_size
        if offset + sector_size > len(data):
            raise ValueError("FAT beyond end")
        fat.extend(struct.unpack_from(f"<{sector_size // 4}I", data, offset))
    names: set[str] = set()
    sector = first_dir
    seen = set()
    while sector < _ENDOFCHAIN and sector not in seen and len(seen) < _MAX_SECTORS:
        seen.add(sector)
        offset = (sector + 1) * sector_size
        if offset + sector_size > len(data):
            raise ValueError("directory beyond end")
        for entry in range(0, sector_size, 128):
            base = offset + entry
            length = struct.unpack_from("<H", data, base + 0x40)[0]
            kind = data[base + 0x42]
            if kind in (1, 2, 5) and 2 <= length <= 64:
                names.add(data[base : base + length - 2].decode("utf-16-le", errors="replace"))
        sector = fat[sector] if sector < len(fat) else _ENDOFCHAIN
    if not names:
        raise ValueError("empty directory")
    return names
