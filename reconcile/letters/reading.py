"""Read a letter file (.txt, .html, .pdf, .docx) into a Document of numbered lines.

The format is decided by the content, not the name: `%PDF` is a PDF, a zip archive holding
`word/document.xml` is a DOCX, text that opens with a doctype or an <html>, <head> or <body>
tag is a web page (so is any markup in a file named .html or .htm), anything else must be text.
A file named .pdf, .docx, .html or .htm whose content is not that is refused rather than read
as text. Every problem with the file is an `InputError` naming it; pdfplumber and python-docx
are imported only when a letter needs them.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from reconcile.errors import InputError
from reconcile.letters.document import Document, TextLine
from reconcile.letters.html_lines import html_lines, looks_like_html
from reconcile.textfile import decode_text

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, and password-protected .docx
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_DOCX_MAIN_PART = "word/document.xml"
_BINARY = "binary data, not a letter (expected text, HTML, PDF or DOCX)"
_HTML_SUFFIXES = (".html", ".htm")


def read_document(path: str | Path) -> Document:
    path = Path(path)
    if path.is_dir():
        raise InputError("is a directory, not a letter file", path)
    if not path.exists():
        raise InputError("no such file", path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", path) from error
    if not data:
        raise InputError("the letter file is empty (0 bytes)", path)
    lines = _lines(data, path)
    digest = hashlib.sha256(data).hexdigest()
    return Document(path=str(path), name=path.name, sha256=digest, lines=tuple(lines))


def _lines(data: bytes, path: Path) -> list[TextLine]:
    suffix = path.suffix.lower()
    if b"%PDF-" in data[:1024]:  # the header may follow a little junk (PDF 32000-1, annex H)
        return _pdf_lines(data, path)
    if data.startswith(_ZIP_MAGICS):
        return _docx_lines(data, path)
    if data.startswith(_OLE2_MAGIC):
        raise InputError(
            "a Word 97-2003 .doc or a password-protected Office file, not a letter this tool "
            "can read: save it as an unprotected .docx or PDF",
            path,
        )
    if suffix == ".pdf":
        raise InputError("named .pdf but the content is not a PDF (no %PDF header)", path)
    if suffix == ".docx":
        raise InputError("named .docx but the content is not a DOCX (not a zip archive)", path)
    text = decode_text(data, path, _BINARY)
    if looks_like_html(text) or (suffix in _HTML_SUFFIXES and text.lstrip().startswith("<")):
        return _html_lines(text, path)
    if suffix in _HTML_SUFFIXES:
        raise InputError(f"named {suffix} but the content is not a web page (no HTML markup)", path)
    return _text_lines(text, path)


# --- text ----------------------------------------------------------------------------------


def _text_lines(text: str, path: Path) -> list[TextLine]:
    """One TextLine per line of the file; a form feed starts a new page.

    Line numbers count lines in the file (what an editor shows), also when there are pages.
    Pages are numbered only when the file has a form feed; otherwise page is None.
    """
    if not text.strip():
        raise InputError("the letter file contains only whitespace", path)
    # Split on line ends only: str.splitlines() would also split on \f, \v, \x85, U+2028 ...
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if text.endswith(("\n", "\r")):
        raw_lines.pop()
    page = 1 if "\f" in text else None
    lines = []
    for number, raw in enumerate(raw_lines, start=1):
        if "\f" not in raw:
            lines.append(TextLine(raw, page, number))
            continue
        # Text before a form feed stays on the current page, text after it starts the next.
        first, *rest = raw.split("\f")
        if first:
            lines.append(TextLine(first, page, number))
        for piece in rest:
            page += 1
            if piece:
                lines.append(TextLine(piece, page, number))
    return lines


# --- HTML ----------------------------------------------------------------------------------


def _html_lines(text: str, path: Path) -> list[TextLine]:
    """The page's blocks and table rows as lines numbered by their line in the file."""
    try:
        lines = html_lines(text.replace("\r\n", "\n").replace("\r", "\n"))
    except Exception as error:  # html.parser is forgiving, but a page can still break it
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InputError(f"the web page is unreadable ({detail})", path) from error
    if not any(line.text.strip() for line in lines):
        raise InputError("the web page has no text (only markup, scripts or images?)", path)
    return lines


# --- PDF -----------------------------------------------------------------------------------


def _pdf_lines(data: bytes, path: Path) -> list[TextLine]:
    """The text lines of each page in reading order, with a blank line where a paragraph breaks.

    Line numbers restart on each page and count text lines, as a reader counts them on the
    printed page; a blank line carries the number of the line above it.
    """
    # A truncated file loses its trailer; pdfminer would then read whatever objects it can
    # find and give a partial letter without a word. Readers expect %%EOF in the last 1024 bytes.
    if b"%%EOF" not in data[-1024:]:
        raise InputError("the PDF is truncated or corrupt (no %%EOF at the end)", path)
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    lines: list[TextLine] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
            for page in pdf.pages:
                rows = page.extract_text_lines(layout=False, strip=True, return_chars=False)
                lines.extend(_page_lines(rows, page.page_number))
                page.close()  # frees the page's cached layout objects
    except PdfminerException as error:
        raise InputError(_pdf_problem(error.args[0] if error.args else error), path) from error
    except Exception as error:  # pdfminer raises many kinds on malformed input
        raise InputError(_pdf_problem(error), path) from error
    if pages == 0:
        raise InputError("the PDF has no pages", path)
    if not any(line.text.strip() for line in lines):
        raise InputError(
            "the PDF has no text layer (a scanned letter?): run OCR on it first", path
        )
    return lines


# A paragraph break: the distance from one line to the next is this many times the usual.
_PARAGRAPH_PITCH = 1.3


def _page_lines(rows: list[dict], page: int) -> list[TextLine]:
    """TextLines for pdfplumber's text lines of one page (dicts with text, top, bottom).

    PDFs have no blank lines, but the letter reader ends lists and paragraphs at them, so a
    vertical step clearly larger than the usual one from line to line becomes one blank line.
    The usual step is a low percentile of the page's steps (a page of table rows set apart may
    have few lines that follow each other closely), and at least the usual line height (so
    that lines split a little apart, like superscripts, do not make every step look large).
    """
    steps = sorted(b["top"] - a["top"] for a, b in zip(rows, rows[1:]) if b["top"] > a["top"])
    heights = sorted(row["bottom"] - row["top"] for row in rows)
    usual = None
    if steps:
        usual = max(steps[len(steps) // 5], heights[len(heights) // 2])
    lines = []
    for number, row in enumerate(rows, start=1):
        if number > 1 and usual is not None:
            step = row["top"] - rows[number - 2]["top"]
            if step > _PARAGRAPH_PITCH * usual:
                lines.append(TextLine("", page, number - 1))
        lines.append(TextLine(row["text"], page, number))
    return lines


def _pdf_problem(error: object) -> str:
    kind = type(error).__name__
    if "Password" in kind or "Encrypt" in kind:
        return "the PDF is encrypted (password-protected): save an unprotected copy"
    detail = str(error).strip().splitlines()[0] if str(error).strip() else kind
    return f"the PDF is corrupt or unreadable ({detail})"


# --- DOCX ----------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Elements whose children are blocks of the same level (content controls, custom XML).
_BLOCK_WRAPPERS = frozenset({_W + "sdt", _W + "sdtContent", _W + "customXml"})
# Parts of a paragraph whose text is not the paragraph's: deleted text, text boxes, and
# the fallback copy of a drawing (mc:AlternateContent holds the same thing twice).
_SKIPPED_IN_PARAGRAPH = frozenset(
    {_W + "del", _W + "moveFrom", _W + "txbxContent", _W + "pPr", _W + "rPr", _MC + "Fallback"}
)


def _docx_lines(data: bytes, path: Path) -> list[TextLine]:
    """Paragraphs and table rows in document order; line = running block number, page = None.

    A paragraph with line breaks gives several lines with the same number; a table row is one
    line, its cells joined with a single space.
    """
    is_docx_name = path.suffix.lower() == ".docx"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as error:
        if is_docx_name:
            message = "the DOCX is corrupt or truncated (not a readable zip archive)"
        else:
            message = "a damaged zip archive, not a letter (expected text, HTML, PDF or DOCX)"
        raise InputError(message, path) from error
    if _DOCX_MAIN_PART not in names:
        if is_docx_name:
            message = f"the DOCX is corrupt: the zip archive has no {_DOCX_MAIN_PART}"
        else:
            message = f"a zip archive without {_DOCX_MAIN_PART}, not a DOCX letter"
        raise InputError(message, path)
    import docx

    try:
        body = docx.Document(io.BytesIO(data)).element.body
        blocks = list(_blocks(body))
        lines = []
        for number, block in enumerate(blocks, start=1):
            text = _paragraph_text(block) if block.tag == _W + "p" else _row_text(block)
            lines.extend(TextLine(piece, None, number) for piece in text.split("\n"))
    except Exception as error:  # python-docx and lxml raise many kinds on malformed parts
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InputError(f"the DOCX is corrupt or unreadable ({detail})", path) from error
    if not any(line.text.strip() for line in lines):
        raise InputError("the DOCX has no text (only images? a scanned letter?)", path)
    return lines


def _blocks(container) -> Iterator:
    """Paragraphs (w:p) and table rows (w:tr) of a body or cell, in document order."""
    for child in container.iterchildren():
        if child.tag == _W + "p":
            yield child
        elif child.tag == _W + "tbl":
            yield from _rows(child)
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _blocks(child)


def _rows(table) -> Iterator:
    for child in table.iterchildren():
        if child.tag == _W + "tr":
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _rows(child)


def _cells(row) -> Iterator:
    for child in row.iterchildren():
        if child.tag == _W + "tc":
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _cells(child)


def _row_text(row) -> str:
    """The row's non-empty cells joined with a space; a cell's own lines joined with a space."""
    cells = []
    for cell in _cells(row):
        parts = []
        for block in _blocks(cell):
            text = _paragraph_text(block) if block.tag == _W + "p" else _row_text(block)
            parts.append(" ".join(text.split()))
        text = " ".join(part for part in parts if part)
        if text:
            cells.append(text)
    return " ".join(cells)


def _paragraph_text(paragraph) -> str:
    """The paragraph's visible text; tabs kept, line and page breaks as newlines.

    python-docx's Paragraph.text reads only direct runs and hyperlinks, missing the text in
    content controls and tracked insertions, so the runs are collected here.
    """
    out: list[str] = []
    _collect_text(paragraph, out)
    return "".join(out)


def _collect_text(element, out: list[str]) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED_IN_PARAGRAPH:
            continue  # comments and processing instructions have a non-string tag
        if tag == _W + "t":
            out.append(child.text or "")
        elif tag == _W + "tab":
            out.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            out.append("\n")
        elif tag == _W + "noBreakHyphen":
            out.append("-")
        else:
            _collect_text(child, out)
