"""Is this file a workbook we can read safely? What kind, and where are its sheets?

Everything here runs before python-calamine sees the file, and every answer "no" is an
`InputError` with a one-line message:

* missing file, directory, empty file, unreadable file;
* not a spreadsheet: a CSV, HTML page, PDF or Word file renamed to .xlsx (sniffed from the bytes);
* a password-protected workbook (an encrypted OOXML file is an OLE2 container with an
  "EncryptionInfo" stream);
* a damaged or truncated zip; a zip bomb (declared or actual uncompressed size far beyond sane);
* an XML part with a DOCTYPE or ENTITY declaration (XXE): refused, never resolved.

The parts of an .xlsx/.xlsm/.xlsb are found by following the package's relationships
(`_rels/.rels` → officeDocument → the workbook's relationships → sheets, shared strings, styles), as
the format says, never by fixed paths: a workbook part in a folder of its own, at the archive's
root, or stored with backslashes is read like any other. More than `MAX_SHEETS` sheets, or two sheet
entries pointing at one part, are refused.

Every XML part of a zip workbook is streamed once through zipfile, which checks its CRC and that it
does not inflate beyond its declared size. Worksheet parts are also measured on the way (`Extent`):
python-calamine allocates the whole used range of a sheet at once, so a stray value in XFD1048576
would ask for 17 billion cells and abort the process; such a sheet is skipped instead. A row or cell
whose position follows from the one before (no `r=`) is placed as the reader places it
(`_measure_implicit`); .xls, .xlsb and .ods sheets are measured from their own records (`extents`).
The same pass finds the cells python-calamine reads as empty that are not
(`formulas.BadCellScanner`), so a sheet of a million rows is unpacked once here, not twice.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from urllib.parse import unquote
from pathlib import Path

from reconcile.errors import InputError
from reconcile.workbook import extents
from reconcile.workbook.extents import Extent
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

_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


@dataclass(frozen=True, slots=True)
class SheetEntry:
    """A `<sheet>` of the workbook part: its name, the zip part its relationship names (None if
    none), its kind ("worksheet", "chartsheet", "dialogsheet", "macrosheet") and visibility."""

    name: str
    part: str | None
    kind: str
    visibility: str = "visible"


@dataclass(frozen=True, slots=True)
class Container:
    """What kind of workbook a file is, and (for .xlsx/.xlsm) where each sheet's XML part is,
    found by following the package's relationships (`_rels/.rels` → workbook → sheets)."""

    format: str  # "xlsx", "xlsm", "xlsb", "ods", "xls"
    sheet_parts: dict[str, str] = field(default_factory=dict)  # sheet name -> zip part
    extents: dict[str, Extent] = field(default_factory=dict)  # zip part -> extent
    full_calc_on_load: bool = False
    suffix_mismatch: bool = False  # the file's name says another format than its bytes
    # zip part -> its formulas without a stored value and error cells (formulas.scan_bad_cells),
    # found on the way; a part missing here was not scanned.
    bad_cells: dict[str, dict[tuple[int, int], BadCell]] = field(default_factory=dict)
    sheets: tuple[SheetEntry, ...] = ()
    workbook_part: str | None = None
    shared_strings: str | None = None  # zip part
    styles: str | None = None
    date1904: bool = False
    # zip parts with a row or cell whose position follows from the one before (no r="..."): the
    # bad-cell scan cannot place those, so such a sheet is read by the own reader.
    implicit: frozenset[str] = frozenset()
    sheet_extents: dict[str, Extent] = field(default_factory=dict)  # .xls, .ods: sheet name -> extent

    def sheet_extent(self, sheet: str) -> Extent | None:
        part = self.sheet_parts.get(sheet)
        if part is not None:
            return self.extents.get(part)
        if self.sheet_extents:  # .xls/.ods: by name; a name not met is given the widest (never unguarded)
            return self.sheet_extents.get(sheet) or max(self.sheet_extents.values(), key=lambda extent: extent.cells)
        return None


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
        container = replace(container, suffix_mismatch=True)
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
        _check_sizes(infos, path)
        parts = _PartNames(infos)
        book = _workbook(archive, parts, path)
        fmt = book.format if book is not None else _zip_format(archive, parts, path)
        sheet_part_names = {entry.part for entry in book.sheets if entry.part and entry.kind in _CELL_KINDS} \
            if book is not None and fmt in ("xlsx", "xlsm") else set()
        measured: dict[str, Extent] = {}
        scanners: dict[str, BadCellScanner] = {}
        implicit: set[str] = set()
        for info in infos:
            if info.is_dir() or not info.filename.lower().endswith(_XML_SUFFIXES):
                continue
            is_sheet = info.filename in sheet_part_names
            scanner = BadCellScanner() if is_sheet else None
            extent = _stream_part(archive, info, path, measure=is_sheet, scanner=scanner)
            if extent is _IMPLICIT_POSITIONS:
                implicit.add(info.filename)
                extent = _measure_implicit(archive, info, path)
            if extent is not None:
                measured[info.filename] = extent
            if scanner is not None and scanner.ok:
                scanners[info.filename] = scanner
    if fmt == "ods":
        return Container(fmt, extents=measured, sheet_extents=_ods_extents(path, parts))
    if book is None:
        return Container(fmt, extents=measured)
    if fmt == "xlsb":
        return Container(fmt, extents=measured, workbook_part=book.workbook_part,
                         sheet_extents=_xlsb_extents(path, parts, book))
    full_calc = book.full_calc
    bad_cells = {part: scanner.close(zero_formulas=full_calc) for part, scanner in scanners.items()}
    sheet_parts = {entry.name: entry.part for entry in book.sheets if entry.part is not None}
    return Container(fmt, sheet_parts, measured, full_calc, bad_cells=bad_cells, sheets=book.sheets,
                     workbook_part=book.workbook_part, shared_strings=book.shared_strings, styles=book.styles,
                     date1904=book.date1904, implicit=frozenset(implicit))


class _PartNames:
    """The zip's part names as the package means them: a backslash is a folder separator (some
    writers store `xl\\workbook.xml`), no leading slash, any case; each mapped to the name stored."""

    def __init__(self, infos: list[zipfile.ZipInfo]):
        self.stored: dict[str, str] = {}
        for info in infos:
            self.stored.setdefault(_normal_name(info.filename), info.filename)

    def get(self, part: str) -> str | None:
        return self.stored.get(_normal_name(part))

    def __contains__(self, part: str) -> bool:
        return _normal_name(part) in self.stored

    def any_endswith(self, suffix: str) -> bool:
        return any(name.endswith(suffix) for name in self.stored)


def _normal_name(name: str) -> str:
    return name.replace("\\", "/").lstrip("/").lower()


@dataclass(frozen=True, slots=True)
class _Book:
    format: str
    workbook_part: str | None = None
    sheets: tuple[SheetEntry, ...] = ()
    shared_strings: str | None = None
    styles: str | None = None
    full_calc: bool = False
    date1904: bool = False


# Sheet kinds whose part holds cells (a macro sheet's too: measured, though never read for posts).
_CELL_KINDS = frozenset({"worksheet", "macrosheet"})
_SHEET_KINDS = {
    "worksheet": "worksheet",
    "chartsheet": "chartsheet",
    "dialogsheet": "dialogsheet",
    "xlMacrosheet": "macrosheet",
    "xlIntlMacrosheet": "macrosheet",
}
_VISIBILITY = {"hidden": "hidden", "veryHidden": "very hidden"}
# Excel itself sets no fixed limit (memory does); LibreOffice stops at 10 000 sheets. No workbook
# a finance office keeps comes near, and each sheet costs a read.
MAX_SHEETS = 10_000


def _workbook(archive: zipfile.ZipFile, parts: _PartNames, path: Path) -> _Book | None:
    """The workbook the package's relationships name (`_rels/.rels` → officeDocument → its
    sheets), or None for a package without them (an OpenDocument file, or one to sniff)."""
    office = None
    for rel in _relationships(archive, parts, "", path):
        if rel.kind == "officeDocument" and not rel.external:
            office = parts.get(rel.target)
            if office is not None:
                break
    if office is None:
        legacy = parts.get("xl/workbook.xml")  # a package without _rels/.rels, as some writers leave it
        if legacy is None:
            return None
        office = legacy
    if _normal_name(office).endswith(".bin"):
        return _Book("xlsb", office)
    root = _parse_small(archive, office, path)
    kind = root.tag.rpartition("}")[2]
    if kind == "document":
        raise InputError("a Word document (.docx), not a spreadsheet", path)
    if kind == "presentation":
        raise InputError("a PowerPoint presentation, not a spreadsheet", path)
    if kind != "workbook":
        raise InputError(f"a zip package whose main part is <{kind[:40]}>, not a workbook", path)
    macro = parts.any_endswith("vbaproject.bin") or path.suffix.lower() in (".xlsm", ".xltm")
    rels = {rel.id: rel for rel in _relationships(archive, parts, office, path)}
    sheets: list[SheetEntry] = []
    seen_parts: dict[str, str] = {}
    listed = next((element for element in root if element.tag.rpartition("}")[2] == "sheets"), ())
    for element in listed:
        if element.tag.rpartition("}")[2] != "sheet":
            continue
        if len(sheets) >= MAX_SHEETS:
            raise InputError(f"refused: the workbook lists more than {MAX_SHEETS:,} sheets, "
                             "more than a spreadsheet program opens".replace(",", " "), path)
        name = element.get("name", "")
        rel_id = next((value for key, value in element.attrib.items() if key.endswith("}id")), "")
        rel = rels.get(rel_id)
        part = parts.get(rel.target) if rel is not None and not rel.external else None
        kind = _SHEET_KINDS.get(rel.kind, rel.kind) if rel is not None else "missing"
        if part is not None:
            other = seen_parts.setdefault(_normal_name(part), name)
            if other != name:
                raise InputError(f"damaged workbook: the sheets {shown(other)} and {shown(name)} point at "
                                 f"the same part {shown(part)}", path)
        sheets.append(SheetEntry(name, part, kind, _VISIBILITY.get(element.get("state", ""), "visible")))
    shared = next((parts.get(r.target) for r in rels.values() if r.kind == "sharedStrings" and not r.external), None)
    styles = next((parts.get(r.target) for r in rels.values() if r.kind == "styles" and not r.external), None)
    full_calc = date1904 = False
    for element in root.iter():
        local = element.tag.rpartition("}")[2]
        if local == "calcPr":
            full_calc = element.get("fullCalcOnLoad") in ("1", "true")
        elif local == "workbookPr":
            date1904 = element.get("date1904") in ("1", "true")
    return _Book("xlsm" if macro else "xlsx", office, tuple(sheets), shared, styles, full_calc, date1904)


def _ods_extents(path: Path, parts: _PartNames) -> dict[str, Extent]:
    content = parts.get("content.xml")
    try:
        with zipfile.ZipFile(path) as archive, archive.open(content) as stream:
            return extents.ods_extents(stream)
    except Exception as error:  # checked on the first pass; belt and braces
        raise InputError(f"damaged workbook: content.xml cannot be read ({error})", path) from error


def _xlsb_extents(path: Path, parts: _PartNames, book: _Book) -> dict[str, Extent]:
    """Sheet name -> used range of an .xlsb, from its records, not its dimension record (which may
    say A1 of a sheet with a value in XFD1048576). A sheet part no name leads to is measured too,
    under its part name: a sheet name not met is given the widest range (`Container.sheet_extent`)."""
    sheet_parts: dict[str, str] = {}
    measured: dict[str, Extent] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            targets = extents.xlsb_sheet_targets(archive.read(book.workbook_part))
            rels = {rel.id: rel for rel in _relationships(archive, parts, book.workbook_part, path)}
            for name, rel_id in targets.items():
                rel = rels.get(rel_id)
                part = parts.get(rel.target) if rel is not None and not rel.external else None
                if part is not None:
                    sheet_parts[name] = part
            for info in archive.infolist():  # every worksheet-like part, named by the workbook or not
                if _normal_name(info.filename).endswith(".bin") and info.filename != book.workbook_part \
                        and "sheets/" in _normal_name(info.filename):
                    with archive.open(info) as stream:
                        measured[info.filename] = extents.xlsb_extent(stream)
    except InputError:
        raise
    except (extents.Unmeasurable, struct.error, IndexError) as error:
        raise InputError(f"damaged workbook: the .xlsb records cannot be followed ({error})", path) from error
    except Exception as error:  # BadZipFile, zlib.error, OSError, ...
        raise InputError(f"damaged workbook: a sheet part cannot be unpacked ({error})", path) from error
    for part in set(sheet_parts.values()) - set(measured):
        raise InputError(f"damaged workbook: sheet part {shown(part)} is not where the workbook says", path)
    by_name = {name: measured[part] for name, part in sheet_parts.items()}
    for part, extent in measured.items():
        by_name.setdefault(f"\0{part}", extent)
    return by_name


def shown(name: str, limit: int = 60) -> str:
    """A sheet or part name for a one-line message: quoted, line breaks and controls as spaces."""
    text = in_one_line(name)
    return "«" + (text if len(text) <= limit else text[: limit - 1] + "…") + "»"


def in_one_line(text: str) -> str:
    """`text` as it may stand in one line of a message: line breaks and controls as spaces (a sheet
    name may hold them)."""
    return "".join(" " if ord(char) < 32 or char in "\u2028\u2029\x85" else char for char in text)


@dataclass(frozen=True, slots=True)
class _Relationship:
    id: str
    kind: str  # the type's last segment: officeDocument, worksheet, sharedStrings, ...
    target: str  # a part name for an internal target
    external: bool


def _relationships(archive: zipfile.ZipFile, parts: _PartNames, source: str, path: Path) -> list[_Relationship]:
    folder, _, base = _normal_name(source).rpartition("/") if source else ("", "", "")
    rels_part = parts.get(f"{folder}/_rels/{base}.rels" if folder else (f"_rels/{base}.rels" if base else "_rels/.rels"))
    if rels_part is None:
        return []
    root = _parse_small(archive, rels_part, path)
    found = []
    for element in root.iter():
        if element.tag.rpartition("}")[2] != "Relationship":
            continue
        target = unquote(element.get("Target", "")).replace("\\", "/")
        external = element.get("TargetMode", "") == "External"
        if not external:
            target = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))
        found.append(_Relationship(element.get("Id", ""), element.get("Type", "").rstrip("/").rpartition("/")[2],
                                   target, external))
    return found


def _parse_small(archive: zipfile.ZipFile, part: str, path: Path) -> ET.Element:
    """A small XML part (workbook, relationships), checked for DOCTYPE/ENTITY before parsing."""
    try:
        data = archive.read(part)
    except Exception as error:  # BadZipFile (CRC, size), zlib.error, EOFError, OSError, ...
        raise InputError(f"damaged workbook: part {part} cannot be unpacked ({error})", path) from error
    if b"!" in data and any(token in data for token in _FORBIDDEN):
        raise InputError(f"refused: part {part} declares a DOCTYPE or ENTITY (XXE risk); "
                         "a workbook saved by Excel or LibreOffice has none", path)
    try:
        return ET.fromstring(data)
    except ET.ParseError as error:
        raise InputError(f"damaged workbook: part {part} is not well-formed XML ({error})", path) from error


def _zip_format(archive: zipfile.ZipFile, parts: _PartNames, path: Path) -> str:
    if "xl/workbook.bin" in parts:
        return "xlsb"
    content = parts.get("content.xml")
    if content is not None:
        mimetype = parts.get("mimetype")
        if mimetype is not None:
            try:
                mime = archive.read(mimetype)[:200].strip()
            except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, NotImplementedError, EOFError) as error:
                raise InputError("damaged workbook: cannot read its mimetype", path) from error
            if mime == _ODS_MIME:
                return "ods"
            raise InputError(f"an OpenDocument file of another kind ({mime.decode('ascii', 'replace')}), not a spreadsheet", path)
        return "ods"
    if "word/document.xml" in parts:
        raise InputError("a Word document (.docx), not a spreadsheet", path)
    if any(name.startswith("ppt/") for name in parts.stored):
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


# A row or cell tag whose first attribute is not its reference in the usual spelling: its position
# may follow from the one before (legal: `<c>` after `<c r="B2">` is C2), or be spelled in a way the
# quick measure does not read but python-calamine does (`r="xfd1"`, `r="A0001048576"`). Excel,
# LibreOffice and the libraries write r= first, in capitals, so this finds nothing in their sheets
# at the cost of two searches with a literal start (one for cells, one for rows; a chunk that has
# a prefixed tag at all is searched with the prefix allowed, which is slower).
_CELL_NOT_PLACED = re.compile(rb'<c(?:[>/]|\s(?!r="[A-Z]{1,3}[1-9]\d{0,6}"))')
_ROW_NOT_PLACED = re.compile(rb'<row(?:[>/]|\s(?!r="[1-9]\d{0,6}"))')
_NOT_PLACED = re.compile(
    rb'<(?:\w+:)?(?:c(?:[>/]|\s(?!r="[A-Z]{1,3}[1-9]\d{0,6}"))|row(?:[>/]|\s(?!r="[1-9]\d{0,6}")))')


def _not_placed(body: bytes) -> bool:
    """Whether `body` has a row or cell tag `_Measure` cannot place (see `_NOT_PLACED`)."""
    if b":c" in body or b":row" in body:
        return _NOT_PLACED.search(body) is not None
    return _CELL_NOT_PLACED.search(body) is not None or _ROW_NOT_PLACED.search(body) is not None
_IMPLICIT_POSITIONS = Extent(-1, -1, -1)  # what _stream_part returns for a sheet it cannot measure so


def _stream_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, *, measure: bool,
                 scanner: BadCellScanner | None = None) -> Extent | None:
    """Read one XML part to its end: CRC, declared size, DOCTYPE/ENTITY; measure a worksheet, and
    feed it to `scanner` (bad cells) on the way. A worksheet with a position to work out
    (`_NOT_PLACED`) gives `_IMPLICIT_POSITIONS`: `_measure_implicit` then measures it."""
    extent = _Measure() if measure else None
    implicit = False
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
                    body = window[:cut]
                    if not implicit and _not_placed(body):
                        implicit = True
                    extent.add(body)
                    tail = window[cut:]
                else:
                    tail = window[-_OVERLAP:]
            if extent is not None and tail:
                implicit = implicit or _not_placed(tail)
                extent.add(tail)
    except InputError:
        raise
    except Exception as error:  # BadZipFile (CRC, size), zlib.error, EOFError, OSError, ...
        raise InputError(f"damaged workbook: part {info.filename} cannot be unpacked ({error})", path) from error
    if extent is None:
        return None
    if implicit:
        return _IMPLICIT_POSITIONS
    return Extent(extent.first_row, extent.last_row, extent.last_column)


_TAG = re.compile(rb'<(?:\w+:)?(row|c)(?=[\s/>])([^>]*?)(/?)>')
_REFERENCE = re.compile(rb'\sr="([A-Za-z]*)(\d+)"')


def _measure_implicit(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> Extent:
    """The used range of a worksheet part whose rows or cells may lack a reference (or spell it
    unusually), each tag placed as python-calamine places it: a row after the row before, a cell
    right of the cell before. Slower than `_Measure` (every tag is looked at), and only for such
    sheets."""
    first_row = last_row = last_column = 0
    row = column = 0
    tail = b""
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                window = tail + chunk
                cut = window.rfind(b">") + 1 if chunk else len(window)
                if chunk and len(window) - cut > 4 * _CHUNK:
                    cut = len(window) - _OVERLAP
                for tag in _TAG.finditer(window, 0, cut):
                    reference = _REFERENCE.search(tag.group(2))
                    if tag.group(1) == b"row":
                        row = int(reference.group(2)) if reference and not reference.group(1) else row + 1
                        column = 0
                        continue
                    if reference and reference.group(1):
                        column = column_number(reference.group(1).upper())
                        row = int(reference.group(2))
                    else:
                        column += 1
                    if not tag.group(3):  # not self-closing: it may hold a value
                        first_row = min(first_row, row) if first_row else row
                        last_row = max(last_row, row)
                        last_column = max(last_column, column)
                tail = window[cut:]
                if not chunk:
                    break
    except Exception as error:  # checked on the first pass; belt and braces
        raise InputError(f"damaged workbook: part {info.filename} cannot be unpacked ({error})", path) from error
    return Extent(first_row, last_row, last_column)


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
        self._widen(column_number(first.group(1)))
        self._widen(column_number(last.group(1)))
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
                self._widen(column_number(cell.group(1)))

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


def column_number(letters: bytes | str) -> int:
    """'A' -> 1, b'AA' -> 27 (capital letters)."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


# --- OLE2 (xls, encrypted OOXML) -----------------------------------------------------------

_ENDOFCHAIN = 0xFFFFFFFE
_MAX_SECTORS = 1 << 22


def _inspect_ole2(path: Path) -> Container:
    names = ole2_stream_names(path)
    if not names:
        raise InputError("damaged or truncated Office 97-2003 file: its directory of streams cannot be read", path)
    lowered = {name.lower() for name in names}
    if "encryptioninfo" in lowered or "encryptedpackage" in lowered:
        raise InputError(
            "password-protected (encrypted) workbook: save a copy without a password and read that", path
        )
    if "workbook" in lowered or "book" in lowered:
        try:
            stream = extents.ole2_stream(path.read_bytes(), ("Workbook", "Book"))
            return Container("xls", sheet_extents=extents.xls_extents(stream))
        except extents.Protected:
            raise InputError("password-protected workbook (an .xls with a password to open or an obfuscated "
                             "one): save a copy without a password and read that", path) from None
        except (extents.Unmeasurable, struct.error, IndexError) as error:
            raise InputError(f"the .xls file is damaged or truncated: its inner file structure cannot be followed "
                             f"({error})", path) from error
        except OSError as error:
            raise InputError(f"cannot read: {error.strerror or error}", path) from error
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
