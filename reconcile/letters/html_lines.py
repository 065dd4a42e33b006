"""An HTML page (a letter or decision saved from a ministry's or the parliament's web site) as lines.

The page is parsed with the standard library's html.parser into a small tree, forgiving the
end tags real pages leave out (`<p>`, `<li>`, `<td>`, `<tr>` closed by the next one), and then
laid out as the other readers lay out their formats for the letter reader:

- a paragraph, heading, list item or other block is one line; a `<br>` starts a new line;
- a table row is one line, its non-empty cells joined with a single space, as the DOCX reader
  joins the cells of a Word table row (a cell's own lines and breaks become spaces); a table
  whose cells hold another table is page layout, and its cells are read as blocks;
- a blank line follows each paragraph, heading, list and table, where the page leaves space;
- scripts, styles, the page head, navigation, forms' controls and hidden elements are dropped;
- entities are decoded; runs of HTML white space become one space, but a no-break space
  (`&nbsp;`) is kept, since amounts group their digits with it ("61&nbsp;985&nbsp;000").

Each line carries the line of the file where its text begins, as an editor shows the saved
page (a blank line the number of the line above it); page is None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from reconcile.letters.document import TextLine

_VOID = frozenset(
    "area base br col embed hr img input keygen link meta param source track wbr".split()
)
# Elements that are never text of the letter: code, styling, the head, navigation and controls.
_DROPPED = frozenset(
    "script style noscript template head title nav svg math iframe object embed select button "
    "datalist textarea canvas audio video map".split()
)
_BLOCKS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu ol p "
    "pre section summary table tbody td tfoot th thead tr ul".split()
)
# Blocks after which a page leaves space, as a blank line in a text letter.
_PARAGRAPHS = frozenset("p h1 h2 h3 h4 h5 h6 table ul ol dl blockquote pre figure hr".split())
# A start tag of these closes an open <p> (HTML's implied end tag).
_CLOSES_P = _BLOCKS - {"td", "th", "tr", "tbody", "thead", "tfoot", "caption", "body", "html"}
# An open element of these kinds is closed by the start of a sibling, up to the boundary given.
_IMPLIED = {
    "li": ({"li"}, {"ul", "ol", "menu", "dir", "table"}),
    "dt": ({"dt", "dd"}, {"dl", "table"}),
    "dd": ({"dt", "dd"}, {"dl", "table"}),
    "tr": ({"tr", "td", "th"}, {"table", "thead", "tbody", "tfoot"}),
    "td": ({"td", "th"}, {"tr", "table"}),
    "th": ({"td", "th"}, {"tr", "table"}),
    "thead": ({"thead", "tbody", "tfoot", "tr", "td", "th"}, {"table"}),
    "tbody": ({"thead", "tbody", "tfoot", "tr", "td", "th"}, {"table"}),
    "tfoot": ({"thead", "tbody", "tfoot", "tr", "td", "th"}, {"table"}),
}
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's white space; U+00A0 is not among it
_EDGE_SPACE = " \u00a0"
_ROW_PARTS = frozenset({"thead", "tbody", "tfoot"})
_CELLS = frozenset({"td", "th"})
# Old pages leave inline tags open (a <font> per paragraph, never closed); past this depth an
# element keeps no children of its own, so the layout's recursion stays well within Python's limit.
_MAX_DEPTH = 200


@dataclass(slots=True)
class _Text:
    text: str
    line: int


@dataclass(slots=True)
class _Element:
    tag: str
    line: int
    hidden: bool = False
    children: list[_Element | _Text] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root", 1)
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._open(tag, attrs) is self.stack[-1]:
            self.stack.pop()  # "<div/>": opened and closed at once

    def _open(self, tag: str, attrs: list[tuple[str, str | None]]) -> _Element:
        self._close_implied(tag)
        hidden = any(name == "hidden" for name, _ in attrs)
        element = _Element(tag, self.getpos()[0], hidden)
        self.stack[-1].children.append(element)
        if tag not in _VOID and len(self.stack) < _MAX_DEPTH:
            self.stack.append(element)
        return element

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return
        # An end tag with no open element is ignored, as browsers do (</p> aside).

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(_Text(data, self.getpos()[0]))

    def _close_implied(self, tag: str) -> None:
        if tag in _CLOSES_P:
            self._close({"p"}, {"td", "th", "table", "li", "button"})
        if tag in _IMPLIED:
            closed, boundary = _IMPLIED[tag]
            self._close(closed, boundary)

    def _close(self, closed: set[str] | frozenset[str], boundary: set[str] | frozenset[str]) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[depth].tag
            if tag in boundary:
                return
            if tag in closed:
                del self.stack[depth:]
                return


def _parse_html(text: str) -> _Element:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def html_lines(text: str) -> list[TextLine]:
    """The page's text as lines (see the module's description)."""
    layout = _Layout()
    layout.walk(_parse_html(text))
    layout.end_line()
    return layout.lines


def looks_like_html(text: str) -> bool:
    """The text is a web page: a doctype, or an <html>, <head> or <body> first tag."""
    start = text.lstrip()
    while start.startswith(("<!--", "<?xml")):
        end = start.find("-->" if start.startswith("<!--") else "?>")
        if end < 0:
            return False
        start = start[end + 3 if start.startswith("<!--") else end + 2 :].lstrip()
    return re.match(r"<(!doctype\s+html|html|head|body)[\s>]", start[:64], re.IGNORECASE) is not None


class _Layout:
    def __init__(self) -> None:
        self.lines: list[TextLine] = []
        self._pieces: list[str] = []
        self._first_line: int | None = None

    # -- lines -----------------------------------------------------------------------------

    def add(self, text: str, line: int) -> None:
        if self._first_line is None:
            self._first_line = _line_of_first_word(text, line)
        self._pieces.append(text)

    def end_line(self) -> None:
        text = _HTML_SPACE.sub(" ", "".join(self._pieces)).strip(_EDGE_SPACE)
        if text:
            self.lines.append(TextLine(text, None, self._first_line or 1))
        self._pieces, self._first_line = [], None

    def blank_line(self) -> None:
        self.end_line()
        if self.lines and self.lines[-1].text:
            self.lines.append(TextLine("", None, self.lines[-1].line))

    def row(self, cells: list[str], line: int) -> None:
        self.end_line()
        text = " ".join(cell for cell in cells if cell)
        if text:
            self.lines.append(TextLine(text, None, line))

    # -- the tree --------------------------------------------------------------------------

    def walk(self, element: _Element) -> None:
        for child in element.children:
            if isinstance(child, _Text):
                self.add(child.text, child.line)
            elif not _skipped(child):
                self._element(child)

    def _element(self, element: _Element) -> None:
        tag = element.tag
        if tag == "br":
            self.end_line()
        elif tag == "pre":
            self.end_line()
            self._preformatted(element)
        elif tag == "table" and not _holds_table(element):
            self.end_line()
            self._table(element)
        elif tag in _BLOCKS:
            self.end_line()
            self.walk(element)
            self.end_line()
        else:
            self.walk(element)
        if tag in _PARAGRAPHS:
            self.blank_line()

    def _preformatted(self, element: _Element) -> None:
        for text, line in _texts(element):
            for number, piece in enumerate(text.split("\n")):
                if number:
                    self._flush_preformatted()
                if piece:
                    if self._first_line is None and piece.strip():
                        self._first_line = line + number
                    self._pieces.append(piece)
        self._flush_preformatted()

    def _flush_preformatted(self) -> None:
        text = "".join(self._pieces).rstrip()
        if text.strip(_EDGE_SPACE):
            self.lines.append(TextLine(text, None, self._first_line or 1))
        self._pieces, self._first_line = [], None

    def _table(self, table: _Element) -> None:
        for part in table.children:
            if isinstance(part, _Text) or _skipped(part):
                continue
            if part.tag == "caption":
                self.row([_cell_text(part)], _first_text_line(part))
            elif part.tag == "tr":
                self._row(part)
            elif part.tag in _ROW_PARTS:
                for row in part.children:
                    if isinstance(row, _Element) and row.tag == "tr" and not _skipped(row):
                        self._row(row)

    def _row(self, row: _Element) -> None:
        cells = [
            _cell_text(cell) for cell in row.children
            if isinstance(cell, _Element) and cell.tag in _CELLS and not _skipped(cell)
        ]
        self.row(cells, _first_text_line(row))


def _skipped(element: _Element) -> bool:
    return element.tag in _DROPPED or element.hidden


def _holds_table(element: _Element) -> bool:
    return any(
        isinstance(child, _Element) and not _skipped(child) and (child.tag == "table" or _holds_table(child))
        for child in element.children
    )


def _texts(element: _Element):
    """(text, line) of the element's visible text in document order; a break is a newline."""
    for child in element.children:
        if isinstance(child, _Text):
            yield child.text, child.line
        elif not _skipped(child):
            if child.tag == "br":
                yield "\n", child.line
            else:
                yield from _texts(child)


def _cell_text(cell: _Element) -> str:
    """A cell's text on one line: its blocks and breaks are spaces, as in a Word table cell."""
    return _HTML_SPACE.sub(" ", "".join(_cell_pieces(cell))).strip(_EDGE_SPACE)


def _cell_pieces(element: _Element):
    for child in element.children:
        if isinstance(child, _Text):
            yield child.text
        elif not _skipped(child):
            if child.tag == "br" or child.tag in _BLOCKS:
                yield " "
            yield from _cell_pieces(child)
            if child.tag in _BLOCKS:
                yield " "


def _first_text_line(element: _Element) -> int:
    for text, line in _texts(element):
        found = _line_of_first_word(text, line)
        if found is not None:
            return found
    return element.line


def _line_of_first_word(text: str, line: int) -> int | None:
    """The file line of the text's first non-space character; None for white space only."""
    stripped = text.lstrip(" \t\n\r\f")
    if not stripped:
        return None
    return line + text[: len(text) - len(stripped)].count("\n")
