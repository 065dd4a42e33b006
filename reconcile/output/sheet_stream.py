"""Stream a worksheet part: scan it for what annotation needs, then rewrite only marked cells.

A sheet can hold a million rows, so neither pass builds a tree. A cursor reads the decompressed
part in chunks; rows without marks are passed through as they are; only a row holding a marked cell
is buffered whole (a row is bounded). All bytes not changed are copied as they were, in order.
Where every row states its number (`<row r="7"`, as Excel and every library write it), the rows
between two marked rows are passed in one regular-expression search for the next row that is not
such a row (`_skip_pattern`), at C speed; otherwise each row start is looked at in Python.

Two passes, because what decides how a cell is marked comes after the cells in the schema:
`mergeCells` (a mark inside a merged range goes to its top-left cell) and conditional
formatting (a cell under it gets a border instead of a fill, which the rule would paint over).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import IO, Callable

from reconcile.output import ooxml, xmltext

CHUNK = 1 << 20
MAX_TOKEN = 64 * 1024 * 1024  # one tag or one row larger than this is refused

# Children of <worksheet> that come after <legacyDrawing> in the schema.
AFTER_LEGACY_DRAWING = frozenset({
    "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
    "tableParts", "extLst",
})

_START = re.compile(rb"""<([^\s/>!?="'<]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(/?)>""")
_END = re.compile(rb"""</([^\s/>!?="'<]+)\s*>""")
_PI = re.compile(rb"<\?.*?\?>", re.S)
_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_CDATA = re.compile(rb"<!\[CDATA\[.*?\]\]>", re.S)
_ATTR = re.compile(rb"""([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_LT = re.compile(rb"<")
_ROW_NUMBER = re.compile(rb"""(?:^|\s)r\s*=\s*["']\s*([0-9]+)\s*["']""")


class SheetError(ValueError):
    """The sheet part cannot be streamed (malformed, DOCTYPE, an unsupported encoding)."""


def _attrs(raw: bytes) -> dict[str, str]:
    return {m.group(1).decode("utf-8", "replace"): xmltext.unescape(
        (m.group(2) if m.group(2) is not None else m.group(3)).decode("utf-8", "replace"))
        for m in _ATTR.finditer(raw)}


def _local(qname: bytes) -> bytes:
    return qname.rpartition(b":")[2]


@dataclass
class _Token:
    kind: str           # "start", "end", "other"
    name: bytes         # qualified name for start/end
    length: int
    attrs: bytes = b""
    empty: bool = False


class _Cursor:
    """A window on a byte stream; passed bytes are copied to `out` lazily (or dropped if None)."""

    def __init__(self, src: IO[bytes], out: IO[bytes] | None):
        self.src, self.out = src, out
        self.buf = b""
        self.pos = 0
        self.emitted = 0
        self.eof = False

    def _fill(self) -> bool:
        if self.eof:
            return False
        data = self.src.read(CHUNK)
        if self.out is not None and self.emitted < self.pos:
            self.out.write(self.buf[self.emitted:self.pos])
        self.buf = self.buf[self.pos:] + data
        self.pos = self.emitted = 0
        if len(self.buf) > MAX_TOKEN:
            raise SheetError("et element i arket er for stort til å leses")
        if not data:
            self.eof = True
            return False
        return True

    def search(self, pattern: re.Pattern[bytes], margin: int = 64) -> re.Match[bytes] | None:
        """Pass bytes up to the next match of `pattern` (which becomes `pos`); None at the end."""
        while True:
            m = pattern.search(self.buf, self.pos)
            if m:
                self.pos = m.start()
                return m
            self.pos = max(self.pos, len(self.buf) - margin)
            if not self._fill():
                m = pattern.search(self.buf, self.pos)
                if m:
                    self.pos = m.start()
                return m

    def find_ahead(self, pattern: re.Pattern[bytes], offset: int) -> tuple[int, int] | None:
        """Find `pattern` at or after `pos + offset` without passing anything; offsets from pos."""
        while True:
            m = pattern.search(self.buf, self.pos + offset)
            if m:
                return m.start() - self.pos, m.end() - self.pos
            offset = max(offset, len(self.buf) - self.pos - 64)
            if not self._fill():
                m = pattern.search(self.buf, self.pos + offset)
                return (m.start() - self.pos, m.end() - self.pos) if m else None

    def _match_here(self, pattern: re.Pattern[bytes], offset: int = 0) -> re.Match[bytes] | None:
        while True:
            m = pattern.match(self.buf, self.pos + offset)
            if m or not self._fill():
                return m

    def _ensure(self, n: int) -> None:
        while len(self.buf) - self.pos < n and self._fill():
            pass

    def token(self, offset: int = 0) -> _Token:
        """The markup token starting at `pos + offset` (which must be a '<')."""
        self._ensure(offset + 9)
        at = self.pos + offset
        head = self.buf[at:at + 9]
        if head.startswith(b"<?"):
            m = self._match_here(_PI, offset)
        elif head.startswith(b"<!--"):
            m = self._match_here(_COMMENT, offset)
        elif head.startswith(b"<![CDATA["):
            m = self._match_here(_CDATA, offset)
        elif head.startswith(b"<!"):
            raise SheetError("arket har en DOCTYPE-erklæring; den avvises")
        elif head.startswith(b"</"):
            m = self._match_here(_END, offset)
            if m is None:
                raise SheetError("uleselig slutt-tagg i arket")
            return _Token("end", m.group(1), m.end() - m.start())
        else:
            m = self._match_here(_START, offset)
            if m is None:
                raise SheetError("uleselig tagg i arket")
            return _Token("start", m.group(1), m.end() - m.start(), m.group(2), bool(m.group(3)))
        if m is None:
            raise SheetError("uavsluttet kommentar eller instruksjon i arket")
        return _Token("other", b"", m.end() - m.start())

    def next_lt(self) -> bool:
        return self.search(_LT, margin=1) is not None

    def bytes_ahead(self, start: int, end: int) -> bytes:
        return self.buf[self.pos + start:self.pos + end]

    def advance(self, n: int) -> None:
        self.pos += n

    def replace(self, n: int, data: bytes) -> None:
        if self.out is not None:
            self.out.write(self.buf[self.emitted:self.pos])
            self.out.write(data)
        self.pos += n
        self.emitted = self.pos

    def insert(self, data: bytes) -> None:
        self.replace(0, data)

    def copy_rest(self) -> None:
        while True:
            self.pos = len(self.buf)
            if not self._fill():
                break
        if self.out is not None:
            self.out.write(self.buf[self.emitted:self.pos])
        self.emitted = self.pos


def _check_encoding(cur: _Cursor) -> None:
    cur._ensure(200)
    head = cur.buf[:200]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SheetError("arket er lagret som UTF-16, som ikke støttes for merking")
    m = re.match(rb"""(?:\xef\xbb\xbf)?\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)""", head)
    if m and m.group(1).lower() not in (b"utf-8", b"utf8"):
        raise SheetError(f"arket har tegnkodingen {m.group(1).decode()}, som ikke støttes")


@dataclass
class _Root:
    prefix: bytes
    nsmap: dict[str, str]

    @property
    def p(self) -> bytes:
        return self.prefix + b":" if self.prefix else b""

    @property
    def rel_ns(self) -> str:
        main = self.nsmap.get(self.prefix.decode(), "")
        return ooxml.STRICT.rel_ns if main == ooxml.STRICT.main_ns else ooxml.TRANSITIONAL.rel_ns


def _read_root(cur: _Cursor) -> _Root:
    """Pass the prolog and the root start tag; return the root's prefix and namespaces."""
    while cur.next_lt():
        tok = cur.token()
        if tok.kind == "start":
            if _local(tok.name) != b"worksheet":
                raise SheetError(f"rotelementet er {tok.name.decode()}, ikke worksheet")
            attrs = _attrs(tok.attrs)
            nsmap = {("" if k == "xmlns" else k[6:]): v for k, v in attrs.items()
                     if k == "xmlns" or k.startswith("xmlns:")}
            prefix = tok.name.rpartition(b":")[0]
            cur.advance(tok.length)
            if tok.empty:
                raise SheetError("arket er tomt (ingen sheetData)")
            return _Root(prefix, nsmap)
        cur.advance(tok.length)
    raise SheetError("fant ikke worksheet-elementet")


# --- pass 1: scan --------------------------------------------------------------------------

@dataclass
class SheetScan:
    """What the rest of annotation needs to know about a sheet, read without keeping its cells."""

    merges: list[ooxml.Area] = field(default_factory=list)
    conditional: list[ooxml.Area] = field(default_factory=list)
    legacy_drawing_rid: str | None = None
    has_sheet_data: bool = False
    # Every row start tag in sheetData begins `<row r="N"`: the rewriter may pass unmarked rows
    # in one search (rewrite_sheet's rows_numbered).
    rows_numbered: bool = False

    def top_left(self, row: int, col: int) -> tuple[int, int]:
        for area in self.merges:
            if area.contains(row, col):
                return area.row1, area.col1
        return row, col

    def under_conditional_format(self, row: int, col: int) -> bool:
        return any(area.contains(row, col) for area in self.conditional)


def scan_sheet(src: IO[bytes]) -> SheetScan:
    cur = _Cursor(src, None)
    _check_encoding(cur)
    root = _read_root(cur)
    scan = SheetScan()
    depth = 1
    # Head: up to <sheetData>.
    while True:
        if not cur.next_lt():
            return scan
        tok = cur.token()
        if tok.kind == "start" and depth == 1 and _local(tok.name) == b"sheetData":
            scan.has_sheet_data = True
            cur.advance(tok.length)
            if tok.empty:
                scan.rows_numbered = True
            else:
                scan.rows_numbered = _pass_sheet_data(cur, root.p)
            break
        depth += _depth_change(tok)
        cur.advance(tok.length)
        if depth <= 0:
            return scan
    # Tail: everything after the cells.
    stack: list[bytes] = [b"worksheet"]
    while cur.next_lt():
        tok = cur.token()
        cur.advance(tok.length)
        if tok.kind == "end":
            if stack:
                stack.pop()
            continue
        if tok.kind != "start":
            continue
        local = _local(tok.name)
        if local == b"mergeCell":
            area = ooxml.parse_area(_attrs(tok.attrs).get("ref", ""))
            if area:
                scan.merges.append(area)
        elif local == b"conditionalFormatting":
            scan.conditional.extend(ooxml.parse_sqref(_attrs(tok.attrs).get("sqref", "")))
        elif local == b"sqref" and b"conditionalFormatting" in stack and not tok.empty:
            found = cur.find_ahead(_LT, 0)
            if found:
                text = cur.bytes_ahead(0, found[0]).decode("utf-8", "replace")
                scan.conditional.extend(ooxml.parse_sqref(xmltext.unescape(text)))
        elif local == b"legacyDrawing" and len(stack) == 1:
            scan.legacy_drawing_rid = _rel_id(_attrs(tok.attrs), root)
        if not tok.empty:
            stack.append(local)
    return scan


def _pass_sheet_data(cur: _Cursor, p: bytes) -> bool:
    """Pass the cells up to and with </sheetData>; whether every row start states its number first
    (`<row r="N"`, read by _ROW_NUMBER as N)."""
    margin = len(p) + 32
    closing = re.compile(rb"</" + re.escape(p) + rb"sheetData\s*>")
    unnumbered = re.compile(rb"<(?:" + re.escape(p) + rb"row(?=[\s/>])(?! r=\"\s*[0-9]+\s*\")|/"
                            + re.escape(p) + rb"sheetData\s*>)")
    numbered = True
    while True:
        m = cur.search(unnumbered if numbered else closing, margin)
        if m is None:
            raise SheetError("arket mangler </sheetData>")
        if cur.buf.startswith(b"</", cur.pos):
            cur.advance(m.end() - m.start())
            return numbered
        cur._ensure(margin)  # a row tag cut at the window's end is looked at whole
        if unnumbered.match(cur.buf, cur.pos):
            numbered = False
        cur.advance(1)


def _depth_change(tok: _Token) -> int:
    if tok.kind == "start" and not tok.empty:
        return 1
    if tok.kind == "end":
        return -1
    return 0


def _rel_id(attrs: dict[str, str], root: _Root) -> str | None:
    rel_namespaces = {ooxml.TRANSITIONAL.rel_ns, ooxml.STRICT.rel_ns}
    for key, value in attrs.items():
        pfx, _, loc = key.rpartition(":")
        if loc == "id" and pfx and root.nsmap.get(pfx) in rel_namespaces:
            return value
    for key, value in attrs.items():  # a prefix declared on the element itself
        if key.endswith(":id"):
            return value
    return None


# --- pass 2: rewrite -----------------------------------------------------------------------

StyleFor = Callable[[int, int, int], int]   # (row, col, existing xf) -> new xf


@dataclass
class RewriteResult:
    styled: set[tuple[int, int]] = field(default_factory=set)
    created: set[tuple[int, int]] = field(default_factory=set)
    legacy_drawing_added: bool = False
    problems: list[str] = field(default_factory=list)


class _ColumnStyles:
    def __init__(self) -> None:
        self.ranges: list[tuple[int, int, int]] = []

    def add(self, attrs: dict[str, str]) -> None:
        try:
            lo, hi = int(attrs.get("min", "0")), int(attrs.get("max", "0"))
            style = int(attrs.get("style", "0"))
        except ValueError:
            return
        if style:
            self.ranges.append((lo, hi, style))

    def style(self, col: int) -> int:
        for lo, hi, style in self.ranges:
            if lo <= col <= hi:
                return style
        return 0


def rewrite_sheet(
    src: IO[bytes],
    out: IO[bytes],
    cells: set[tuple[int, int]],
    style_for: StyleFor,
    legacy_drawing_rid: str | None,
    *,
    rows_numbered: bool = False,
) -> RewriteResult:
    """Copy the sheet to `out`, giving each cell in `cells` the xf `style_for` returns.

    A cell that does not exist is created (and its row, in row order); `legacy_drawing_rid`, if
    given, adds `<legacyDrawing r:id=…/>` at its place in the schema order. `rows_numbered`
    (`SheetScan.rows_numbered` of the same part) lets unmarked rows be passed in one search; the
    output is the same byte for byte.
    """
    return _Rewriter(src, out, cells, style_for, rows_numbered).run(legacy_drawing_rid)


class _Rewriter:
    def __init__(self, src, out, cells, style_for: StyleFor, rows_numbered: bool = False):
        self.cur = _Cursor(src, out)
        self.style_for = style_for
        self.cells = cells
        self.by_row: dict[int, list[int]] = {}
        for row, col in sorted(cells):
            self.by_row.setdefault(row, []).append(col)
        self.pending_rows = sorted(self.by_row)
        self.marked_rows = sorted(self.by_row)
        self.rows_numbered = rows_numbered
        self._skips: dict[tuple[int | None, int | None], re.Pattern[bytes]] = {}
        self.done_rows: set[int] = set()
        self.columns = _ColumnStyles()
        self.result = RewriteResult()
        self.p = b""

    def run(self, legacy_drawing_rid: str | None) -> RewriteResult:
        cur = self.cur
        _check_encoding(cur)
        root = _read_root(cur)
        self.p = root.p
        depth = 1
        # Head: up to <sheetData>; note column styles, widen <dimension> if marks fall outside.
        while True:
            if not cur.next_lt():
                raise SheetError("arket mangler sheetData")
            tok = cur.token()
            local = _local(tok.name)
            if tok.kind == "start" and depth == 1 and local == b"sheetData":
                if tok.empty:
                    rows = self._new_rows(None)
                    if rows:
                        opened = cur.bytes_ahead(0, tok.length)[:-2].rstrip() + b">"
                        cur.replace(tok.length, opened + rows + b"</%ssheetData>" % self.p)
                    else:
                        cur.advance(tok.length)
                else:
                    cur.advance(tok.length)
                    self._rows()
                break
            if tok.kind == "start" and local == b"col":
                self.columns.add(_attrs(tok.attrs))
            if tok.kind == "start" and local == b"dimension" and depth == 1 and self.cells:
                tag = cur.bytes_ahead(0, tok.length)
                new_tag = _widened_dimension(tag, self.cells)
                if new_tag != tag:
                    depth += _depth_change(tok)
                    cur.replace(tok.length, new_tag)
                    continue
            depth += _depth_change(tok)
            cur.advance(tok.length)
            if depth <= 0:
                raise SheetError("arket mangler sheetData")
        if legacy_drawing_rid is not None:
            _insert_legacy_drawing(cur, root, legacy_drawing_rid)
            self.result.legacy_drawing_added = True
        cur.copy_rest()
        return self.result

    def _new_cell(self, row: int, col: int, base: int) -> bytes:
        xf = self.style_for(row, col, base)
        self.result.styled.add((row, col))
        self.result.created.add((row, col))
        return b'<%sc r="%s" s="%d"/>' % (self.p, ooxml.cell_name(row, col).encode(), xf)

    def _new_rows(self, upto: int | None) -> bytes:
        parts = []
        while self.pending_rows and (upto is None or self.pending_rows[0] < upto):
            row = self.pending_rows.pop(0)
            self.done_rows.add(row)
            body = b"".join(self._new_cell(row, col, self.columns.style(col))
                            for col in self.by_row[row])
            parts.append(b'<%srow r="%d">%s</%srow>' % (self.p, row, body, self.p))
        return b"".join(parts)

    def _rows(self) -> None:
        cur, p = self.cur, self.p
        # Row starts and the end of the cells (not </row>: one search per row is enough).
        row_or_end = re.compile(rb"<(?:" + re.escape(p) + rb"(row)(?=[\s/>])|/" + re.escape(p)
                                + rb"(sheetData)\s*>)")
        row_close = re.compile(rb"</" + re.escape(p) + rb"row\s*>")
        margin = len(p) + 16
        prev_row = 0
        while True:
            if self.rows_numbered:
                # Pass every row the loop below would pass untouched, in one search.
                if cur.search(self._skip_pattern(), margin) is None:
                    raise SheetError("arket mangler </sheetData>")
            m = cur.search(row_or_end, margin)
            if m is None:
                raise SheetError("arket mangler </sheetData>")
            if m.group(2):
                rows = self._new_rows(None)
                if rows:
                    cur.insert(rows)
                cur.advance(m.end() - m.start())
                return
            # Fast path, once per row: the start tag and its r attribute, nothing more.
            tm = _START.match(cur.buf, cur.pos) or cur._match_here(_START)
            if tm is None:
                raise SheetError("uleselig rad-tagg i arket")
            rm = _ROW_NUMBER.search(tm.group(2))
            row = int(rm.group(1)) if rm else prev_row + 1
            prev_row = row
            if self.pending_rows and self.pending_rows[0] < row:
                cur.insert(self._new_rows(row))
            if row not in self.by_row:
                cur.pos = tm.end()
                continue
            tok = _Token("start", tm.group(1), tm.end() - tm.start(), tm.group(2),
                         bool(tm.group(3)))
            if row in self.done_rows:
                self.result.problems.append(
                    f"rad {row} står i feil rekkefølge eller to ganger i arket; "
                    "merkingen ble lagt på den første")
                cur.advance(tok.length)
                continue
            self.done_rows.add(row)
            if self.pending_rows and self.pending_rows[0] == row:
                self.pending_rows.pop(0)
            if tok.empty:
                length = tok.length
            else:
                found = cur.find_ahead(row_close, tok.length)
                if found is None:
                    raise SheetError(f"rad {row} i arket er ikke avsluttet")
                length = found[1]
            row_bytes = cur.bytes_ahead(0, length)
            cur.replace(length, self._row(row_bytes, tok, row))

    def _skip_pattern(self) -> re.Pattern[bytes]:
        """The next row start the loop in `_rows` would act on, or </sheetData>.

        With N the next marked row still to come and M the marked row before it, a row the loop
        passes untouched is one numbered M < r < N whose start tag `_START` reads: it neither
        comes after a row to be created (r > N), nor is marked, nor repeats a marked row. Every
        other row start (and the end of the cells) is found by this search."""
        upper = self.pending_rows[0] if self.pending_rows else None
        marked = self.marked_rows
        at = bisect_left(marked, upper) if upper is not None else len(marked)
        lower = marked[at - 1] if at else None
        pattern = self._skips.get((lower, upper))
        if pattern is None:
            p = re.escape(self.p)
            passed = (rb' r="0*+(?=(?:' + _above(lower or 0) + rb')")(?:' + _below(upper) + rb')"'
                      + rb"""(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>""")
            pattern = re.compile(rb"<(?:" + p + rb"row(?=[\s/>])(?!" + passed + rb")|/" + p + rb"sheetData\s*>)")
            self._skips[(lower, upper)] = pattern
        return pattern

    def _row(self, row_bytes: bytes, tok: _Token, row: int) -> bytes:
        p = self.p
        attrs = _attrs(tok.attrs)
        row_style = 0
        if attrs.get("customFormat", "0").lower() in ("1", "true"):
            try:
                row_style = int(attrs.get("s", "0"))
            except ValueError:
                row_style = 0
        pending = list(self.by_row[row])
        added: list[int] = []

        def make_new(col: int) -> bytes:
            added.append(col)
            return self._new_cell(row, col, row_style or self.columns.style(col))

        cell_open = re.compile(rb"<" + re.escape(p) + rb"c(?=[\s/>])")
        cell_close = re.compile(rb"</" + re.escape(p) + rb"c\s*>")
        ext_open = re.compile(rb"<" + re.escape(p) + rb"extLst(?=[\s/>])")
        start_tag = row_bytes[:tok.length]
        if tok.empty:
            body, tail = b"", b"</%srow>" % p
            start_tag = start_tag[:-2].rstrip() + b">"
        else:
            close = row_bytes.rfind(b"</")
            body, tail = row_bytes[tok.length:close], row_bytes[close:]
        out: list[bytes] = []
        pos = 0
        prev_col = 0
        search_from = 0
        cells_end = len(body)
        while True:
            m = cell_open.search(body, search_from)
            # A row's own extLst follows its cells (a cell's extLst is skipped with the cell).
            ext = ext_open.search(body, search_from, m.start() if m else len(body))
            if ext is not None:
                cells_end = ext.start()
                break
            if m is None:
                break
            tm = _START.match(body, m.start())
            if tm is None:
                raise SheetError(f"uleselig celle i rad {row}")
            cattrs = _attrs(tm.group(2))
            ref = ooxml.parse_cell(cattrs["r"]) if "r" in cattrs else None
            col = ref[1] if ref else prev_col + 1
            prev_col = col
            while pending and pending[0] < col:
                out.append(body[pos:m.start()])
                pos = m.start()
                out.append(make_new(pending.pop(0)))
            if pending and pending[0] == col:
                pending.pop(0)
                try:
                    base = int(cattrs.get("s", "0"))
                except ValueError:
                    base = 0
                xf = self.style_for(row, col, base)
                tag = tm.group(0).decode("utf-8")
                out.append(body[pos:m.start()])
                out.append(xmltext.set_attrs(tag, {"s": str(xf)}).encode("utf-8"))
                pos = tm.end()
                self.result.styled.add((row, col))
            if tm.group(3):
                search_from = tm.end()
            else:
                cm = cell_close.search(body, tm.end())
                if cm is None:
                    raise SheetError(f"uavsluttet celle i rad {row}")
                search_from = cm.end()
        out.append(body[pos:cells_end])
        for col in pending:
            out.append(make_new(col))
        out.append(body[cells_end:])
        if added and "spans" in attrs:
            start_tag = _widened_spans(start_tag, attrs["spans"], added)
        return start_tag + b"".join(out) + tail


def _above(low: int) -> bytes:
    """A pattern for the decimal numbers (no leading zero) greater than `low` (≥ 0)."""
    digits = str(low)
    alternatives = [f"[1-9][0-9]{{{len(digits)},}}"]
    for position, char in enumerate(digits):
        if char != "9":
            rest = len(digits) - position - 1
            alternatives.append(f"{digits[:position]}[{int(char) + 1}-9]" + (f"[0-9]{{{rest}}}" if rest else ""))
    return "|".join(alternatives).encode("ascii")


def _below(high: int | None) -> bytes:
    """A pattern for the decimal numbers (no leading zero, at least 1) less than `high` (None: any)."""
    if high is None:
        return rb"[1-9][0-9]*"
    digits = str(high)
    alternatives = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for position, char in enumerate(digits):
        least = 1 if position == 0 else 0
        if int(char) > least:
            rest = len(digits) - position - 1
            alternatives.append(f"{digits[:position]}[{least}-{int(char) - 1}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    return "|".join(alternatives).encode("ascii") if alternatives else rb"(?!)"


def _widened_dimension(tag: bytes, cells: set[tuple[int, int]]) -> bytes:
    area = ooxml.parse_area(_attrs(tag[1:]).get("ref", ""))
    if area is None:
        return tag
    rows = [r for r, _ in cells]
    cols = [c for _, c in cells]
    new = ooxml.Area(min(area.row1, *rows), min(area.col1, *cols),
                     max(area.row2, *rows), max(area.col2, *cols))
    if new == area:
        return tag
    ref = f"{ooxml.cell_name(new.row1, new.col1)}:{ooxml.cell_name(new.row2, new.col2)}"
    return xmltext.set_attrs(tag.decode("utf-8"), {"ref": ref}).encode("utf-8")


def _widened_spans(start_tag: bytes, spans: str, added: list[int]) -> bytes:
    ranges: list[tuple[int, int]] = []
    for part in spans.split():
        lo, _, hi = part.partition(":")
        if lo.isdigit() and hi.isdigit():
            ranges.append((int(lo), int(hi)))
    if not ranges or all(any(lo <= c <= hi for lo, hi in ranges) for c in added):
        return start_tag
    bounds = [b for r in ranges for b in r] + added
    new = f"{min(bounds)}:{max(bounds)}"
    return xmltext.set_attrs(start_tag.decode("utf-8"), {"spans": new}).encode("utf-8")


def _insert_legacy_drawing(cur: _Cursor, root: _Root, rid: str) -> None:
    r_prefix = next((k for k, v in root.nsmap.items() if v == root.rel_ns and k), None)
    if r_prefix:
        element = b'<%slegacyDrawing %s:id="%s"/>' % (root.p, r_prefix.encode(), rid.encode())
    else:
        element = b'<%slegacyDrawing xmlns:r="%s" r:id="%s"/>' % (
            root.p, root.rel_ns.encode(), rid.encode())
    depth = 1
    while cur.next_lt():
        tok = cur.token()
        if depth == 1 and tok.kind == "end":
            cur.insert(element)
            return
        if depth == 1 and tok.kind == "start":
            local = _local(tok.name).decode("utf-8", "replace")
            if local in AFTER_LEGACY_DRAWING or (
                    local == "AlternateContent" and _alternate_content_local(cur, tok)
                    in AFTER_LEGACY_DRAWING):
                cur.insert(element)
                return
        depth += _depth_change(tok)
        cur.advance(tok.length)
    raise SheetError("arket mangler </worksheet>")


_ANY_START = re.compile(rb"<([^\s/>!?=\"'<]+)")


def _alternate_content_local(cur: _Cursor, tok: _Token) -> str | None:
    """The first real element inside an mc:AlternateContent (what it stands in for)."""
    offset = tok.length
    while True:
        found = cur.find_ahead(_ANY_START, offset)
        if found is None:
            return None
        name = cur.bytes_ahead(found[0] + 1, found[1])
        local = _local(name).decode("utf-8", "replace")
        if local not in ("AlternateContent", "Choice", "Fallback"):
            return local
        offset = found[1]
