"""Reading letters (text, PDF, DOCX) into numbered lines, and refusing files that are not letters.

The PDF and DOCX are rendered from the bundled text sample once per module, into a temporary
directory, by samples/letters/render_letters.py, and read once; reading them back must give the
sample's lines.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import textwrap
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib import pdfencrypt
from reportlab.pdfgen.canvas import Canvas

from reconcile.errors import InputError
from reconcile.letters.document import Document
from reconcile.letters.reading import read_document

from sample_renderer import load_sample_renderer

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "samples" / "letters" / "imdi-2023-tillegg-1-7.txt"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


render_letters = load_sample_renderer("render_letters")


def normalized(texts) -> list[str]:
    """Non-blank lines with runs of whitespace (any kind) made one space."""
    return [" ".join(text.split()) for text in texts if text.strip()]


# Without DejaVu Sans the PDF is drawn in Helvetica, with "•" and "–" drawn as "-".
HAS_TTF = render_letters.find_ttf() is not None
as_drawn_in_pdf = str if HAS_TTF else render_letters.to_latin1


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("rendered")
    return {
        "pdf": render_letters.render_pdf(SAMPLE, out / f"{SAMPLE.stem}.pdf"),
        "docx": render_letters.render_docx(SAMPLE, out / f"{SAMPLE.stem}.docx"),
    }


@pytest.fixture(scope="module")
def read_back(rendered) -> dict[str, Document]:
    return {kind: read_document(path) for kind, path in rendered.items()}


@pytest.fixture(scope="module")
def sample_lines() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").split("\n")


# --- the sample, three ways ----------------------------------------------------------------


def test_sample_text_reads_every_line_of_the_file(sample_lines):
    # A final newline ends the last line rather than starting an empty one.
    expected = sample_lines[:-1] if sample_lines[-1] == "" else sample_lines
    document = read_document(SAMPLE)
    assert [line.text for line in document.lines] == expected
    assert [line.line for line in document.lines] == list(range(1, len(expected) + 1))
    assert {line.page for line in document.lines} == {None}
    assert document.name == SAMPLE.name
    assert len(document.sha256) == 64


def test_pdf_of_the_sample_reads_back_its_lines(read_back, sample_lines):
    document = read_back["pdf"]
    expected = normalized(as_drawn_in_pdf(text) for text in sample_lines)
    assert normalized(line.text for line in document.lines) == expected


def test_pdf_lines_carry_the_page_they_were_drawn_on(read_back, sample_lines):
    document = read_back["pdf"]
    per_page = render_letters.LINES_PER_PAGE
    drawn_on = [index // per_page + 1 for index, text in enumerate(sample_lines) if text.strip()]
    read = [line for line in document.lines if line.text.strip()]
    assert [line.page for line in read] == drawn_on
    assert max(drawn_on) > 1
    for page in set(drawn_on):
        numbers = [line.line for line in read if line.page == page]
        assert numbers == list(range(1, len(numbers) + 1))


def test_pdf_has_a_blank_line_where_the_text_had_one_between_lines_of_a_page(
    read_back, sample_lines
):
    per_page = render_letters.LINES_PER_PAGE
    expected, previous = [], None  # (text, blank line before it on the same page?)
    for index, text in enumerate(sample_lines):
        if text.strip():
            same_page = previous is not None and previous // per_page == index // per_page
            drawn = " ".join(as_drawn_in_pdf(text).split())
            expected.append((drawn, same_page and index - previous > 1))
            previous = index
    found, blank_before, page = [], False, None
    for line in read_back["pdf"].lines:
        if not line.text.strip():
            blank_before = True
            continue
        found.append((" ".join(line.text.split()), blank_before and line.page == page))
        blank_before, page = False, line.page
    assert found == expected
    assert sum(blank for _, blank in expected) > 100


@pytest.mark.skipif(not HAS_TTF, reason="DejaVu Sans is not installed")
def test_pdf_keeps_bullets_dashes_and_norwegian_letters(read_back):
    texts = [line.text for line in read_back["pdf"].lines]
    assert any(text.startswith("• ") for text in texts)
    assert any(" – " in text for text in texts)
    assert any("æ" in text and "ø" in text for text in texts)


def test_docx_of_the_sample_reads_back_its_lines(read_back, sample_lines):
    document = read_back["docx"]
    assert normalized(line.text for line in document.lines) == normalized(sample_lines)
    assert {line.page for line in document.lines} == {None}
    numbers = [line.line for line in document.lines]
    assert numbers == list(range(1, len(numbers) + 1))


def test_content_decides_the_format_not_the_name(rendered, read_back, tmp_path):
    disguised = tmp_path / "letter.txt"
    shutil.copyfile(rendered["docx"], disguised)
    assert read_document(disguised).lines == read_back["docx"].lines


# --- rendering ------------------------------------------------------------------------------


def test_rendering_twice_gives_the_same_bytes(tmp_path):
    src = tmp_path / "letter.txt"
    src.write_text("Tillegg nr. 2\n\nPost 21 økes med 1\u202f000 kroner.\n", encoding="utf-8")
    renderers = {".pdf": render_letters.render_pdf, ".docx": render_letters.render_docx}
    for suffix, render in renderers.items():
        first = render(src, tmp_path / f"a{suffix}").read_bytes()
        second = render(src, tmp_path / f"b{suffix}").read_bytes()
        assert first == second, suffix


def test_helvetica_fallback_maps_characters_outside_latin1_to_ascii(tmp_path):
    src = tmp_path / "letter.txt"
    src.write_text("  • Post 01 – endring \u22121\u202f000 kr, § 3 æøå  \n", encoding="utf-8")
    pdf = render_letters.render_pdf(src, tmp_path / "letter.pdf", use_ttf=False)
    assert normalized(line.text for line in read_document(pdf).lines) == [
        "- Post 01 - endring -1 000 kr, § 3 æøå"
    ]


def test_script_writes_pdf_and_docx_named_after_the_input(tmp_path, capsys):
    src = tmp_path / "brev.txt"
    src.write_text("Tillegg nr. 1\n", encoding="utf-8")
    assert render_letters.main([str(src), str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["brev.docx", "brev.pdf"]


# --- text -----------------------------------------------------------------------------------


def test_cp1252_letter_decodes_norwegian_letters(tmp_path):
    path = tmp_path / "letter.txt"
    text = "Tildelingsbrev – økning på 1\u00a0000 kr til Ålesund og Bærum"
    path.write_bytes(f"{text}\n".encode("cp1252"))
    assert [line.text for line in read_document(path).lines] == [text]


def test_utf8_bom_is_dropped(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "Tillegg nr. 3 – Bodø\n".encode("utf-8"))
    assert [line.text for line in read_document(path).lines] == ["Tillegg nr. 3 – Bodø"]


def test_utf16_with_bom_is_read(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_bytes("Tillegg nr. 3\r\nTromsø\r\n".encode("utf-16"))
    assert [line.text for line in read_document(path).lines] == ["Tillegg nr. 3", "Tromsø"]


def test_form_feeds_start_new_pages_and_lines_keep_file_numbers(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_bytes(b"one\r\ntwo\fthree\r\n\ffour\r\n")
    lines = read_document(path).lines
    assert [(line.text, line.page, line.line) for line in lines] == [
        ("one", 1, 1),
        ("two", 1, 2),
        ("three", 2, 2),
        ("four", 3, 3),
    ]


# Without cp1252's 0x80-0xBF characters (–, §, «, »): after Æ, Ø or Å (0xC6, 0xD8, 0xC5) they
# can make valid UTF-8 ("Å–" is "Ŗ"), the one case where trying UTF-8 first guesses wrong.
_NORWEGIAN = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzæøåÆØÅ ,.:0123456789"), min_size=1
).filter(str.strip)


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(_NORWEGIAN, min_size=1, max_size=5),
    encoding=st.sampled_from(["utf-8", "cp1252"]),
)
def test_norwegian_text_reads_back_in_either_encoding(lines, encoding):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "letter.txt"
        path.write_bytes("\n".join(lines).encode(encoding))
        assert [line.text for line in read_document(path).lines] == lines


# --- DOCX structure --------------------------------------------------------------------------


def test_docx_tables_are_one_line_per_row_in_document_order(tmp_path):
    document = docx.Document()
    document.add_paragraph("Tillegg nr. 4")
    table = document.add_table(rows=3, cols=3)
    values = [
        ("Post", "Betegnelse", "Beløp"),
        ("01", "Driftsutgifter", "1 000 000"),
        ("21", "Spesielle driftsutgifter", ""),
    ]
    for row, row_values in zip(table.rows, values):
        for cell, value in zip(row.cells, row_values):
            cell.text = value
    table.cell(0, 1).merge(table.cell(0, 2))  # a merged cell gives its text once
    document.add_paragraph("Med hilsen\u2028")
    document.paragraphs[-1].add_run().add_break()
    document.paragraphs[-1].add_run("Ola Nordmann")
    path = tmp_path / "letter.docx"
    document.save(path)
    lines = read_document(path).lines
    assert [(line.text, line.line) for line in lines] == [
        ("Tillegg nr. 4", 1),
        ("Post Betegnelse Beløp", 2),
        ("01 Driftsutgifter 1 000 000", 3),
        ("21 Spesielle driftsutgifter", 4),
        ("Med hilsen\u2028", 5),  # a soft break splits the paragraph, keeping its number
        ("Ola Nordmann", 5),
    ]


def test_docx_reads_text_in_content_controls_and_tracked_insertions(tmp_path):
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = docx.Document()
    document.add_paragraph("før")
    body = document.element.body
    sdt_xml = textwrap.dedent(f"""\
        <w:sdt xmlns:w="{w}"><w:sdtContent>
          <w:p><w:r><w:t xml:space="preserve">Post 01 </w:t></w:r>
            <w:ins w:id="1" w:author="x"><w:r><w:t>økes</w:t></w:r></w:ins>
            <w:del w:id="2" w:author="x"><w:r><w:delText>reduseres</w:delText></w:r></w:del>
            <w:sdt><w:sdtContent>
              <w:r><w:t xml:space="preserve"> med 5 mill.</w:t></w:r>
            </w:sdtContent></w:sdt>
          </w:p>
        </w:sdtContent></w:sdt>""")
    from lxml import etree

    body.insert(1, etree.fromstring(sdt_xml))
    document.add_paragraph("etter")
    path = tmp_path / "letter.docx"
    document.save(path)
    assert [line.text for line in read_document(path).lines] == [
        "før",
        "Post 01 økes med 5 mill.",
        "etter",
    ]


# --- not letters ------------------------------------------------------------------------------


def _pdf_with_only_a_rectangle(path: Path) -> None:
    canvas = Canvas(str(path))
    canvas.rect(72, 72, 200, 100, fill=1)
    canvas.save()


def _encrypted_pdf(path: Path) -> None:
    canvas = Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("hemmelig"))
    canvas.drawString(72, 720, "Tillegg nr. 5")
    canvas.save()


def _zip(path: Path, members: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)


def _small_docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Tillegg nr. 6")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("empty.txt", lambda p: p.write_bytes(b""), "empty"),
        ("blank.txt", lambda p: p.write_text(" \n\t\n\u00a0\n", "utf-8"), "only whitespace"),
        ("bom-only.txt", lambda p: p.write_bytes(b"\xef\xbb\xbf\n"), "only whitespace"),
        ("image.txt", lambda p: p.write_bytes(bytes(range(256)) * 4), "binary data, not a letter"),
        ("controls.txt", lambda p: p.write_bytes(bytes(range(1, 32)) * 8), "binary data"),
        ("scan.pdf", _pdf_with_only_a_rectangle, "no text layer (a scanned letter?): run OCR"),
        ("locked.pdf", _encrypted_pdf, "encrypted"),
        ("notes.pdf", lambda p: p.write_text("just text", encoding="utf-8"), "not a PDF"),
        ("hollow.pdf", lambda p: p.write_bytes(b"%PDF-1.4\n%%EOF\n"), "PDF is corrupt"),
        ("nodoc.docx", lambda p: _zip(p, {"word/other.xml": "<x/>"}), "no word/document.xml"),
        ("bad.docx", lambda p: _zip(p, {"word/document.xml": "<w:document"}), "DOCX is corrupt"),
        ("cut.docx", lambda p: p.write_bytes(_small_docx_bytes()[:2000]), "truncated"),
        ("archive.zip", lambda p: _zip(p, {"a.txt": "x"}), "zip archive without word/document.xml"),
        ("old.doc", lambda p: p.write_bytes(OLE2_MAGIC + bytes(512)), "Word 97-2003 .doc"),
        ("folder", lambda p: p.mkdir(), "is a directory"),
        ("missing.txt", lambda p: None, "no such file"),
    ],
)
def test_files_that_are_not_letters_raise_input_error_naming_the_problem(
    tmp_path, name, make, message
):
    path = tmp_path / name
    make(path)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert message in caught.value.message
    assert caught.value.path == str(path)
    assert "\n" not in str(caught.value)


def test_truncated_pdf_raises_input_error(rendered, tmp_path):
    data = rendered["pdf"].read_bytes()
    for cut in (len(data) // 2, len(data) - 10):
        path = tmp_path / f"cut-{cut}.pdf"
        path.write_bytes(data[:cut])
        with pytest.raises(InputError, match="PDF is truncated or corrupt"):
            read_document(path)
