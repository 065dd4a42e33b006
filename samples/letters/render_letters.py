"""Render a letter text file as PDF and DOCX (and, from Python, HTML), to test reading letters in those formats.

    python samples/letters/render_letters.py samples/letters/imdi-2023-tillegg-1-7.txt OUT_DIR

writes OUT_DIR/<stem>.pdf and OUT_DIR/<stem>.docx. The PDF is A4, one text line per line of the
file (stripped), 60 lines to a page, a form feed starting a new page; the DOCX is one paragraph
per line. Both are byte-for-byte the same on every run on the same machine: the PDF is written
with reportlab's invariant mode, the DOCX zip with fixed timestamps. render_html() writes the
letter as a web page: each run of non-blank lines one <p>, its lines separated by <br>.

Text is drawn in DejaVu Sans when the font is installed, so "−", "•", "–" and the narrow
no-break space survive; otherwise in Helvetica, with characters outside Latin-1 replaced by
ASCII equivalents (reportlab would draw cp1252's extras, but pdfminer reads some of them back
wrongly: the bullet as "(cid:127)").
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

LINES_PER_PAGE = 60
FONT_SIZE = 9
MIN_FONT_SIZE = 6
LEADING = 12
MARGIN_LEFT = 56
MARGIN_RIGHT = 56
MARGIN_TOP = 56
TTF_NAME = "DejaVuSans"
TTF_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/Library/Fonts/DejaVuSans.ttf",
)
# Characters outside Latin-1 seen in letters, as they are drawn in Helvetica.
ASCII_EQUIVALENTS = {
    "\u2212": "-",  # minus sign
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2022": "-",  # bullet
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2009": " ",  # thin space
    "\u202f": " ",  # narrow no-break space
    "\u2007": " ",  # figure space
    "\u2032": "'",  # prime
    "\u2044": "/",  # fraction slash
}
DOCX_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


def read_lines(src: str | Path) -> list[list[str]]:
    """The file's pages (split at form feeds), each a list of stripped lines."""
    text = Path(src).read_text(encoding="utf-8-sig")
    text = text.replace("\r\n", "\n").replace("\r", "\n").removesuffix("\n")
    pages = text.split("\f")
    return [[line.strip() for line in page.split("\n")] for page in pages]


def find_ttf() -> Path | None:
    for candidate in TTF_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    if shutil.which("fc-match"):
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", "DejaVu Sans:style=Book"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if found.lower().endswith("dejavusans.ttf") and Path(found).is_file():
            return Path(found)
    return None


def to_latin1(text: str) -> str:
    """Replace what cannot go through Helvetica with an ASCII equivalent ("?" when none)."""
    out = []
    for char in text:
        char = ASCII_EQUIVALENTS.get(char, char)
        try:
            char.encode("latin-1")
        except UnicodeEncodeError:
            ascii_form = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            char = ascii_form or "?"
        out.append(char)
    return "".join(out)


def render_pdf(src: str | Path, dst: str | Path, *, use_ttf: bool = True) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    ttf = find_ttf() if use_ttf else None
    if ttf is not None:
        if TTF_NAME not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(TTF_NAME, str(ttf)))
        font, prepare = TTF_NAME, str
    else:
        font, prepare = "Helvetica", to_latin1
    width, height = A4
    usable = width - MARGIN_LEFT - MARGIN_RIGHT
    dst = Path(dst)
    canvas = Canvas(str(dst), pagesize=A4, invariant=1)
    canvas.setTitle(Path(src).stem)
    first = True
    for page_lines in read_lines(src):
        # A form feed starts a page; so does every 60th line.
        for start in range(0, max(len(page_lines), 1), LINES_PER_PAGE):
            if not first:
                canvas.showPage()
            first = False
            y = height - MARGIN_TOP
            for line in page_lines[start : start + LINES_PER_PAGE]:
                text = prepare(line)
                if text:
                    size = FONT_SIZE
                    # A line too long for the page is drawn smaller, never wrapped.
                    while size > MIN_FONT_SIZE and _width(text, font, size) > usable:
                        size -= 0.5
                    canvas.setFont(font, size)
                    canvas.drawString(MARGIN_LEFT, y, text)
                y -= LEADING
    canvas.save()
    return dst


def _width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)


def render_docx(src: str | Path, dst: str | Path) -> Path:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.styles["Normal"].font.size = Pt(10)
    document.core_properties.title = Path(src).stem
    document.core_properties.author = "render_letters.py"
    for page_number, page_lines in enumerate(read_lines(src)):
        if page_number:
            document.add_page_break()
        for line in page_lines:
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    dst = Path(dst)
    dst.write_bytes(_with_fixed_timestamps(buffer.getvalue()))
    return dst


def render_html(src: str | Path, dst: str | Path) -> Path:
    """A page with one <p> per paragraph (a run of non-blank lines), each line on its own file line."""
    from html import escape

    body = []
    for page_lines in read_lines(src):
        paragraph: list[str] = []
        for line in [*page_lines, ""]:
            if line:
                paragraph.append(escape(line, quote=False))
            elif paragraph:
                body.append("<p>" + "<br>\n".join(paragraph) + "</p>")
                paragraph = []
    title = escape(Path(src).stem, quote=False)
    page = (
        f'<!DOCTYPE html>\n<html lang="nb">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
        "</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )
    dst = Path(dst)
    dst.write_text(page, encoding="utf-8")
    return dst


def _with_fixed_timestamps(docx_bytes: bytes) -> bytes:
    """The same zip with every member dated 1980-01-01, so saving twice gives the same bytes."""
    import datetime as dt

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as source:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename == "docProps/core.xml":
                    data = _fix_core_dates(data, dt.datetime(*DOCX_TIMESTAMP))
                fixed = zipfile.ZipInfo(info.filename, date_time=DOCX_TIMESTAMP)
                fixed.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(fixed, data)
    return out.getvalue()


def _fix_core_dates(core_xml: bytes, when) -> bytes:
    from lxml import etree

    root = etree.fromstring(core_xml)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    for element in root:
        if etree.QName(element).localname in ("created", "modified"):
            element.text = stamp
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src", type=Path, help="the letter as a UTF-8 text file")
    parser.add_argument("out_dir", type=Path, help="where to write <stem>.pdf and <stem>.docx")
    parser.add_argument(
        "--no-ttf",
        action="store_true",
        help="draw the PDF in Helvetica even if DejaVu Sans is installed",
    )
    args = parser.parse_args(argv)
    if not args.src.is_file():
        parser.error(f"{args.src}: no such file")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    stem = args.src.stem
    for written in (
        render_pdf(args.src, args.out_dir / f"{stem}.pdf", use_ttf=not args.no_ttf),
        render_docx(args.src, args.out_dir / f"{stem}.docx"),
    ):
        print(written)
    return 0


if __name__ == "__main__":
    sys.exit(main())
