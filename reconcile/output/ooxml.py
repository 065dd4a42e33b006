"""The OOXML package as a zip of named parts: guarded reading, relationships, names, cell refs.

Transitional (schemas.openxmlformats.org) and Strict (purl.oclc.org) workbooks are both read;
a `Dialect` carries the namespace and relationship-type spellings to use for anything written
into the package, so added parts match the workbook they join.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import unquote

from reconcile.errors import InputError
from reconcile.output import xmltext

# Zip-bomb guards: the sum of all parts' declared sizes, one part's size, and the inflation ratio
# allowed for a large part. Sheet XML compresses well (100:1 is common), bombs go far beyond.
MAX_TOTAL_BYTES = 2 * 1024**3
MAX_PART_BYTES = 1024**3
MAX_RATIO = 1000
RATIO_CHECK_FROM = 16 * 1024**2
MAX_PARTS = 100_000

CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Dialect:
    """Namespace spellings of one OOXML conformance class."""

    name: str
    main_ns: str
    rel_ns: str
    rel_type_base: str

    def rel_type(self, kind: str) -> str:
        return self.rel_type_base + kind


TRANSITIONAL = Dialect(
    "transitional",
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/",
)
STRICT = Dialect(
    "strict",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/",
)
DIALECTS = (TRANSITIONAL, STRICT)


def rel_kind(rel_type: str) -> str:
    """The last segment of a relationship type: 'worksheet', 'comments', 'vmlDrawing', ..."""
    return rel_type.rstrip("/").rpartition("/")[2]


# --- cell references -----------------------------------------------------------------------

MAX_ROW = 1_048_576
MAX_COL = 16_384
_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
_COL = re.compile(r"^\$?([A-Za-z]{1,3})$")
_ROW = re.compile(r"^\$?([0-9]{1,7})$")


def col_to_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def index_to_col(index: int) -> str:
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def parse_cell(ref: str) -> tuple[int, int] | None:
    """'C7' or '$C$7' -> (row 7, column 3); None if not a valid single-cell reference."""
    m = _CELL.match(ref.strip())
    if not m:
        return None
    col, row = col_to_index(m.group(1)), int(m.group(2))
    if not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COL):
        return None
    return row, col


def cell_name(row: int, col: int) -> str:
    return f"{index_to_col(col)}{row}"


@dataclass(frozen=True)
class Area:
    """A rectangle of cells, inclusive, 1-based."""

    row1: int
    col1: int
    row2: int
    col2: int

    def contains(self, row: int, col: int) -> bool:
        return self.row1 <= row <= self.row2 and self.col1 <= col <= self.col2


def parse_area(ref: str) -> Area | None:
    """'A1:B5', 'A1', 'A:C' (columns), '3:5' (rows) -> Area; None if unreadable."""
    first, _, last = ref.strip().partition(":")
    last = last or first
    a, b = parse_cell(first), parse_cell(last)
    if a and b:
        return Area(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
    ca, cb = _COL.match(first), _COL.match(last)
    if ca and cb:
        c1, c2 = col_to_index(ca.group(1)), col_to_index(cb.group(1))
        return Area(1, min(c1, c2), MAX_ROW, max(c1, c2))
    ra, rb = _ROW.match(first), _ROW.match(last)
    if ra and rb:
        r1, r2 = int(ra.group(1)), int(rb.group(1))
        return Area(min(r1, r2), 1, max(r1, r2), MAX_COL)
    return None


def parse_sqref(sqref: str) -> list[Area]:
    return [a for a in (parse_area(p) for p in sqref.split()) if a is not None]


def quote_sheet_name(name: str) -> str:
    """A sheet name as written in a formula or hyperlink location: always quoted, ' doubled."""
    return "'" + name.replace("'", "''") + "'"


# --- part names ----------------------------------------------------------------------------

def logical_name(stored: str) -> str:
    """A zip entry's name as a part name: "/" between folders (a backslash is one too), no leading "/"."""
    return stored.replace("\\", "/").lstrip("/")


def rels_name_for(part: str) -> str:
    folder, _, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def resolve_target(source_part: str, target: str) -> str:
    """A relationship target made into a part name (no leading slash)."""
    target = unquote(target)
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    folder = posixpath.dirname(source_part)
    return posixpath.normpath(posixpath.join(folder, target))


def relative_target(source_part: str, part: str) -> str:
    return posixpath.relpath(part, posixpath.dirname(source_part) or ".")


# --- relationships -------------------------------------------------------------------------

@dataclass(frozen=True)
class Relationship:
    id: str
    type: str
    target: str  # resolved part name for internal targets, as written for external ones
    external: bool

    @property
    def kind(self) -> str:
        return rel_kind(self.type)


def parse_relationships(data: bytes, rels_part: str, source_part: str) -> tuple[Relationship, ...]:
    try:
        text, _ = xmltext.decode_part(data)
        root = xmltext.parse(text)
    except (xmltext.XmlTextError, UnicodeDecodeError, LookupError) as exc:
        raise InputError(f"unreadable relationships part {rels_part}: {exc}") from exc
    out = []
    for node in root.find_all("Relationship"):
        external = node.attrs.get("TargetMode", "") == "External"
        target = node.attrs.get("Target", "")
        out.append(Relationship(
            node.attrs.get("Id", ""),
            node.attrs.get("Type", ""),
            target if external else resolve_target(source_part, target),
            external,
        ))
    return tuple(out)


def relationship_xml(rel_id: str, rel_type: str, target: str) -> str:
    return (f'<Relationship Id="{xmltext.escape_attr(rel_id)}" Type="{xmltext.escape_attr(rel_type)}"'
            f' Target="{xmltext.escape_attr(target)}"/>')


def new_relationships_part(rels: list[str]) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{PKG_REL_NS}">' + "".join(rels) + "</Relationships>"
    ).encode("utf-8")


def add_relationships(data: bytes, rels: list[str]) -> bytes:
    """Append `<Relationship>` elements to an existing relationships part."""
    text, encoding = xmltext.decode_part(data)
    root = xmltext.parse(text)
    edits = xmltext.Edits()
    pfx = root.prefix
    body = "".join(r.replace("<Relationship ", f"<{xmltext.qualify(pfx, 'Relationship')} ", 1)
                   for r in rels)
    xmltext.append_child(edits, root, body)
    return xmltext.encode_part(edits.apply(text), encoding)


def unused_rel_id(existing: set[str]) -> str:
    n = len(existing) + 1
    while f"rId{n}" in existing:
        n += 1
    return f"rId{n}"


# --- the package ---------------------------------------------------------------------------

class Package:
    """A read-only view of the source zip with size guards and case-insensitive part lookup."""

    def __init__(self, path: Path):
        self.path = path
        try:
            with open(path, "rb") as fh:
                head = fh.read(8)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", path) from exc
        if head == _OLE_MAGIC:
            raise InputError(
                "the file is encrypted (password-protected) or in the old .xls format: "
                "save it as .xlsx without a password", path)
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise InputError(f"not a valid .xlsx/.xlsm file (zip): {exc}", path) from exc
        try:
            self.infos = self.zip.infolist()
            self._check_sizes()
        except InputError:
            self.zip.close()
            raise
        # Part names as the package means them: some writers store `xl\\workbook.xml`, and Excel
        # and python-calamine read a backslash as a folder separator. Stored names are kept as they
        # are (the copy keeps the package's own paths); lookups go through the logical name.
        self._by_lower: dict[str, str] = {}
        for info in self.infos:
            self._by_lower.setdefault(logical_name(info.filename).lower(), info.filename)
        self._next_free: dict[str, int] = {}
        stored = [info.filename for info in self.infos]
        self.backslashes = any("\\" in n for n in stored) and not any("/" in n for n in stored)

    def _check_sizes(self) -> None:
        if len(self.infos) > MAX_PARTS:
            raise InputError(f"too many parts in the package ({len(self.infos)})", self.path)
        names = [i.filename for i in self.infos]
        if len(set(logical_name(n).lower() for n in names)) != len(names):
            raise InputError("the package has several parts with the same name", self.path)
        total = 0
        for info in self.infos:
            if info.flag_bits & 0x1:
                raise InputError("the package has encrypted parts", self.path)
            if info.file_size > MAX_PART_BYTES:
                raise InputError(f"part {info.filename} is too large ({info.file_size} bytes)",
                                 self.path)
            if (info.file_size > RATIO_CHECK_FROM
                    and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
                raise InputError(f"part {info.filename} inflates suspiciously far (zip bomb?)",
                                 self.path)
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise InputError(f"the package is too large unpacked ({total} bytes)", self.path)

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> "Package":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def name(self, part: str) -> str | None:
        """The package's spelling of a part name (its case, "/" between folders), looked up
        case-insensitively."""
        stored = self._by_lower.get(logical_name(part).lower())
        return None if stored is None else logical_name(stored)

    def stored_name(self, part: str) -> str | None:
        """The name a part is stored under in the zip, as it is there."""
        return self._by_lower.get(logical_name(part).lower())

    def has(self, part: str) -> bool:
        return logical_name(part).lower() in self._by_lower

    def read(self, part: str) -> bytes:
        stored = self.stored_name(part)
        if stored is None:
            raise InputError(f"part {part} is missing from the package", self.path)
        try:
            return self.zip.read(stored)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
            raise InputError(f"cannot unpack {part}: {exc}", self.path) from exc

    def open(self, part: str) -> IO[bytes]:
        stored = self.stored_name(part)
        if stored is None:
            raise InputError(f"part {part} is missing from the package", self.path)
        try:
            return self.zip.open(stored)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
            raise InputError(f"cannot unpack {part}: {exc}", self.path) from exc

    def relationships(self, source_part: str) -> tuple[Relationship, ...]:
        rels = rels_name_for(source_part) if source_part else "_rels/.rels"
        if not self.has(rels):
            return ()
        return parse_relationships(self.read(rels), rels, source_part)

    def parse(self, part: str) -> tuple[str, str, xmltext.Node]:
        """(text, encoding, root) of a small XML part; InputError if unreadable."""
        try:
            text, encoding = xmltext.decode_part(self.read(part))
            return text, encoding, xmltext.parse(text)
        except (xmltext.XmlTextError, UnicodeDecodeError, LookupError) as exc:
            raise InputError(f"unreadable XML in {part}: {exc}", self.path) from exc

    def unused_name(self, pattern: str, taken: set[str]) -> str:
        """The first `pattern.format(n)` (n = 1, 2, ...) not in the package nor in `taken`.

        Names are only ever added, so the search goes on from the last name given for `pattern`:
        a thousand sheets' comment parts cost a thousand looks, not half a million."""
        n = self._next_free.get(pattern, 1)
        while True:
            candidate = pattern.format(n)
            if not self.has(candidate) and candidate.lower() not in taken:
                taken.add(candidate.lower())
                self._next_free[pattern] = n + 1
                return candidate
            n += 1
