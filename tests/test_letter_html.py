"""HTML letters and decisions, as saved from a ministry's or the parliament's web page.

Two things are pinned here. First, how a page is laid out as lines: blocks and table rows, what is
dropped, entities and no-break spaces, line numbers in the file, and the pages that are refused.
Second, the issue's "done when": a supplement written in another ministry's style (a test letter
from Kulturdepartementet to Norsk kulturråd, in nynorsk, with headings, change sentences and a
Kap. | Post | Nemning | Kroner table; its figures are made up) is rendered here as an HTML page,
a PDF (reportlab, table cells drawn in columns) and a DOCX (python-docx, a real Word table), and
all three give the same statements, which are the ones a reader lists from the letter.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from html import escape
from pathlib import Path

import docx
import pytest

from reconcile.errors import InputError
from reconcile.letters.loading import load_letters
from reconcile.letters.reading import read_document

from sample_renderer import load_sample_renderer

render_letters = load_sample_renderer("render_letters_for_html")


def lines_of(path: Path) -> list[tuple[str, int]]:
    return [(line.text, line.line) for line in read_document(path).lines]


# --- a page shaped like regjeringen.no and stortinget.no ---------------------------------------

STORTINGET_PAGE = """\
<!DOCTYPE html>
<html lang="no">
<head>
  <meta charset="utf-8">
  <title>Vedtak 491 - stortinget.no</title>
  <style>td.belop { text-align: right }</style>
  <script>window.dataLayer = [{"page": "<td>1</td>"}];</script>
</head>
<body>
<form id="aspnetForm" action="/no/Saker-og-publikasjoner/Vedtak/">
<nav class="breadcrumbs"><ul><li><a href="/">Forsiden</a></li><li>Vedtak</li></ul></nav>
<div class="page-content"><main>
  <h2 class="title">Omprioriteringer og tilleggsbevilgninger p&aring; statsbudsjettet 2000</h2>
  <p class="lead">St.prp. nr. 61 (1999&#8211;2000), Innst. S. nr. 220 (1999&ndash;2000)</p>
  <h3>Vedtak 491</h3>
  <p>P&aring; statsbudsjettet for 2000 gj&oslash;res
     f&oslash;lgende endringer:</p>
  <table class="vedtak">
    <thead>
      <tr><th>Kap.</th><th>Post</th><th>Form&aring;l</th><th>Kroner</th></tr>
    </thead>
    <tbody>
      <tr><td colspan="4"><em>Utgifter:</em></td></tr>
      <tr><td>20</td><td>&nbsp;</td><td><span>Statsministerens kontor</span> (jf. kap. 3020):</td><td></td></tr>
      <tr>
        <td></td>
        <td>1</td>
        <td>Driftsutgifter, <strong>forh&oslash;yes</strong> med</td>
        <td class="belop">3&nbsp;700&nbsp;000</td>
      </tr>
      <tr><td></td><td></td><td>fra kr 43&nbsp;321&nbsp;000 til kr 47&nbsp;021&nbsp;000</td><td></td></tr>
    </tbody>
  </table>
  <p>Vedtaket ble truffet<br>21. juni 2000.</p>
</main></div>
<footer><p hidden>Skjult tekst</p><button>Til toppen</button></footer>
</form>
</body>
</html>
"""


def test_a_vedtak_page_reads_as_headings_paragraphs_and_one_line_per_table_row(tmp_path):
    path = tmp_path / "vedtak-491.html"
    path.write_text(STORTINGET_PAGE, encoding="utf-8")
    assert lines_of(path) == [
        ("Omprioriteringer og tilleggsbevilgninger på statsbudsjettet 2000", 13),
        ("", 13),
        ("St.prp. nr. 61 (1999–2000), Innst. S. nr. 220 (1999–2000)", 14),
        ("", 14),
        ("Vedtak 491", 15),
        ("", 15),
        ("På statsbudsjettet for 2000 gjøres følgende endringer:", 16),
        ("", 16),
        ("Kap. Post Formål Kroner", 20),
        ("Utgifter:", 23),
        ("20 Statsministerens kontor (jf. kap. 3020):", 24),
        ("1 Driftsutgifter, forhøyes med 3\u00a0700\u00a0000", 27),
        ("fra kr 43\u00a0321\u00a0000 til kr 47\u00a0021\u00a0000", 31),
        ("", 31),
        ("Vedtaket ble truffet", 34),
        ("21. juni 2000.", 34),
        ("", 34),
    ]


def test_a_page_named_htm_is_a_document_without_pages(tmp_path):
    path = tmp_path / "vedtak-491.htm"
    path.write_text(STORTINGET_PAGE, encoding="utf-8")
    document = read_document(path)
    assert document.lines[0].text == "Omprioriteringer og tilleggsbevilgninger på statsbudsjettet 2000"
    assert {line.page for line in document.lines} == {None}
    assert document.name == "vedtak-491.htm"


PROP_S_PAGE = """\
<html><body>
<div class="doc-content">
<h2>2 Forslag under det enkelte departement</h2>
<h3>Kap. 100 Utenriksdepartementet</h3>
<h4>Post 01 Driftsutgifter</h4>
<p>Det foreslås å flytte 5 mill. kroner fra kap. 118, post 21 til kap. 100, post 01.
<p>Bevilgningen foreslås økt med 24,4 mill. kroner.
<ul><li>første punkt<li>andre <b>punkt</b></ul>
<pre>Kap.  Post  Beløp
100   01    29,0</pre>
</div>
</body></html>
"""


def test_end_tags_a_page_leaves_out_are_implied_and_preformatted_text_keeps_its_lines(tmp_path):
    path = tmp_path / "prop.html"
    path.write_text(PROP_S_PAGE, encoding="utf-8")
    assert lines_of(path) == [
        ("2 Forslag under det enkelte departement", 3),
        ("", 3),
        ("Kap. 100 Utenriksdepartementet", 4),
        ("", 4),
        ("Post 01 Driftsutgifter", 5),
        ("", 5),
        ("Det foreslås å flytte 5 mill. kroner fra kap. 118, post 21 til kap. 100, post 01.", 6),
        ("", 6),
        ("Bevilgningen foreslås økt med 24,4 mill. kroner.", 7),
        ("", 7),
        ("første punkt", 8),
        ("andre punkt", 8),
        ("", 8),
        ("Kap.  Post  Beløp", 9),
        ("100   01    29,0", 10),
        ("", 10),
    ]


def test_a_layout_table_holding_a_table_is_read_as_blocks(tmp_path):
    path = tmp_path / "oppsett.html"
    path.write_text(
        "<html><body><table><tr><td><p>Tillegg nr. 3</p><p>Vi viser til brevet.</p>\n"
        "<table><tr><td>670/01</td><td>Driftsutgifter</td><td>1&nbsp;000</td></tr></table>"
        "</td><td>Oslo</td></tr></table></body></html>",
        encoding="utf-8",
    )
    assert [text for text, _ in lines_of(path)] == [
        "Tillegg nr. 3", "", "Vi viser til brevet.", "", "670/01 Driftsutgifter 1\u00a0000", "", "Oslo", "",
    ]


def test_a_web_page_in_a_txt_file_is_read_as_html_and_cp1252_pages_decode(tmp_path):
    path = tmp_path / "lagret-side.txt"
    path.write_bytes(
        "<!-- saved from url=(0040)https://www.regjeringen.no/ -->\n<!DOCTYPE html>"
        "<html><body><p>Post 01 økes med 5&nbsp;000 kroner – straks.</p></body></html>".encode("cp1252")
    )
    assert lines_of(path) == [("Post 01 økes med 5\u00a0000 kroner – straks.", 2), ("", 2)]


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("tom.html", b"", "the letter file is empty (0 bytes)"),
        ("bilde.htm", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary data, not a letter (expected text, HTML, PDF or DOCX)"),
        ("bare-kode.html", b"<html><head><script>var a = 1;</script></head><body><nav>Meny</nav> </body></html>",
         "the web page has no text"),
        ("notat.html", "Tillegg nr. 2\n\nPost 01 økes med 5 mill. kroner.\n".encode(), "named .html but the content is not a web page"),
        ("pdf.html", b"%PDF-1.4\n", "the PDF is truncated or corrupt"),
    ],
    ids=["empty", "binary", "only-markup", "plain-text", "a-pdf"],
)
def test_files_named_html_that_are_not_web_pages_raise_input_error(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert says in str(caught.value)
    assert name in str(caught.value)


# --- one supplement, three formats -----------------------------------------------------------
# A test letter: the names are real, the figures are made up.

KAP_POST_TABLE = [
    ["Kap.", "Post", "Nemning", "Kroner"],
    ["320", "", "Norsk kulturråd", ""],
    ["", "01", "Driftsutgifter", "187\u00a0400\u00a0000"],
    ["", "55", "Norsk kulturfond", "1\u00a0080\u00a0300\u00a0000"],
    ["", "74", "Tilskot til organisasjonar og kompetansesenter", "42\u00a0750\u00a0000"],
]
SUPPLEMENT = [
    ("lines", ["Kulturdepartementet"]),
    ("lines", ["Norsk kulturråd", "Postboks 4808 Nydalen", "0422 OSLO"]),
    ("table", [["Dykkar ref", "Vår ref", "Dato"], ["", "24/1234", "12. september 2024"]]),
    ("h1", "Tillegg nr. 2 til tildelingsbrev for 2024 – Norsk kulturråd"),
    ("p", "Vi viser til tildelingsbrevet for 2024 og tillegg nr. 1 av 15. mars 2024."),
    ("h2", "1 Endringar i løyvinga"),
    ("h3", "Kap. 320 Norsk kulturråd"),
    ("h4", "Post 01 Driftsutgifter"),
    ("p", "Løyvinga på posten blir auka med 2,5 mill. kroner til arbeidet med den nye kulturmeldinga."),
    ("h4", "Post 55 Norsk kulturfond"),
    ("p", "Løyvinga på posten blir redusert med 1\u00a0200\u00a0000 kroner."),
    ("h4", "Post 74 Tilskot til organisasjonar og kompetansesenter"),
    ("p", "Løyvinga på posten blir auka med 750\u00a0000 kroner."),
    ("h2", "2 Løyvingar stilte til disposisjon"),
    ("p", "Etter endringane i dette tillegget stiller departementet dette til disposisjon for Norsk kulturråd:"),
    ("table", KAP_POST_TABLE),
    ("p", "Med helsing"),
    ("lines", ["Kari Nordmann", "ekspedisjonssjef"]),
]
# What a reader lists from the letter: (post, kind, amount, precision).
LISTED = Counter([
    ("320/01", "change", Decimal("2500000"), Decimal("50000")),
    ("320/55", "change", Decimal("-1200000"), Decimal("0")),
    ("320/74", "change", Decimal("750000"), Decimal("0")),
    ("320/01", "table_total", Decimal("187400000"), Decimal("0")),
    ("320/55", "table_total", Decimal("1080300000"), Decimal("0")),
    ("320/74", "table_total", Decimal("42750000"), Decimal("0")),
])


def render_html(blocks, dst: Path) -> Path:
    """A page as a ministry's site saves it: head, navigation, nested inline tags, &nbsp; in amounts."""
    def text(value: str) -> str:
        return escape(value).replace("\u00a0", "&nbsp;")

    body = []
    for kind, content in blocks:
        if kind == "lines":
            body.append("<p>" + "<br>\n".join(f"<span>{text(line)}</span>" for line in content) + "</p>")
        elif kind == "table":
            head, *rows = content
            body.append('<table class="budget">\n<thead><tr>' + "".join(f"<th>{text(c)}</th>" for c in head) + "</tr></thead>\n<tbody>")
            for row in rows:
                cells = "".join(f'<td class="{"belop" if i == len(row) - 1 else "tekst"}">{text(c)}</td>' for i, c in enumerate(row))
                body.append(f"  <tr>{cells}</tr>")
            body.append("</tbody>\n</table>")
        elif kind == "p":
            body.append(f"<p>{text(content)}</p>")
        else:
            body.append(f'<{kind} class="heading"><strong>{text(content)}</strong></{kind}>')
    page = (
        '<!DOCTYPE html>\n<html lang="nn">\n<head>\n<meta charset="utf-8">\n<title>Tillegg nr. 2</title>\n'
        "<style>.belop { text-align: right }</style>\n<script>var tracking = {page: 'tillegg'};</script>\n"
        '</head>\n<body>\n<nav><ul><li><a href="/">Regjeringen.no</a></li><li>Dokument</li></ul></nav>\n'
        '<main id="main"><article>\n' + "\n".join(body) + "\n</article></main>\n"
        "<footer><nav>Personvern</nav></footer>\n</body>\n</html>\n"
    )
    dst.write_text(page, encoding="utf-8")
    return dst


def render_docx(blocks, dst: Path) -> Path:
    document = docx.Document()
    for kind, content in blocks:
        if kind == "lines":
            paragraph = document.add_paragraph(content[0])
            for line in content[1:]:
                run = paragraph.add_run()
                run.add_break()
                run.add_text(line)
        elif kind == "table":
            table = document.add_table(rows=len(content), cols=len(content[0]))
            for row, values in zip(table.rows, content):
                for cell, value in zip(row.cells, values):
                    cell.text = value
        elif kind == "p":
            document.add_paragraph(content)
        else:
            document.add_heading(content, level=int(kind[1]))
    document.save(dst)
    return dst


def render_pdf(blocks, dst: Path) -> Path:
    """A4, a line per text line, table cells drawn at column positions, space after paragraphs."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    ttf = render_letters.find_ttf()
    if ttf is not None:
        if render_letters.TTF_NAME not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(render_letters.TTF_NAME, str(ttf)))
        font, prepare = render_letters.TTF_NAME, str
    else:
        font, prepare = "Helvetica", render_letters.to_latin1
    canvas = Canvas(str(dst), pagesize=A4, invariant=1)
    x, y, leading = 56, A4[1] - 56, 13
    columns = (0, 60, 120, 380)
    for kind, content in blocks:
        size = {"h1": 13, "h2": 12, "h3": 11, "h4": 10}.get(kind, 9.5)
        canvas.setFont(font, size)
        if kind == "table":
            for row in content:
                offsets = columns if len(row) == 4 else (0, 120, 240)
                for offset, value in zip(offsets, row):
                    if value:
                        canvas.drawString(x + offset, y, prepare(value))
                y -= leading
        else:
            for line in content if kind == "lines" else [content]:
                canvas.drawString(x, y, prepare(line))
                y -= leading
        y -= leading  # the space a paragraph, heading or table leaves after it
    canvas.save()
    return dst


@pytest.fixture(scope="module")
def supplement(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("kud-tillegg")
    return {
        "html": render_html(SUPPLEMENT, out / "tillegg-2.html"),
        "pdf": render_pdf(SUPPLEMENT, out / "tillegg-2.pdf"),
        "docx": render_docx(SUPPLEMENT, out / "tillegg-2.docx"),
    }


@pytest.fixture(scope="module")
def supplement_sets(supplement) -> dict:
    return {kind: load_letters([path]) for kind, path in supplement.items()}


def _statements(letter_set) -> Counter:
    return Counter(
        (str(s.post), str(s.kind), s.amount.value, s.amount.precision)
        for s in letter_set.statements if s.letter == 2 and s.amount
    )


@pytest.mark.parametrize("kind", ["html", "pdf", "docx"])
def test_the_supplement_gives_the_listed_statements_in_each_format(supplement_sets, kind):
    found = _statements(supplement_sets[kind])
    missed, extra = LISTED - found, found - LISTED
    assert not missed and not extra, f"missed: {sorted(missed.elements())}\nextra: {sorted(extra.elements())}"


def test_html_pdf_and_docx_give_the_same_statements_letters_and_dates(supplement_sets):
    def everything(letter_set):
        statements = Counter(
            (s.letter, str(s.post), str(s.kind), s.amount.value if s.amount else None,
             s.amount.precision if s.amount else None)
            for s in letter_set.statements
        )
        return statements, [(letter.number, letter.date) for letter in letter_set.letters]

    html = everything(supplement_sets["html"])
    assert html[1] == [(2, date(2024, 9, 12))]
    assert everything(supplement_sets["pdf"]) == html
    assert everything(supplement_sets["docx"]) == html


def test_html_statements_cite_the_line_of_the_page_where_the_amount_stands(supplement, supplement_sets):
    page = supplement["html"].read_text(encoding="utf-8").split("\n")
    statements = supplement_sets["html"].statements
    assert statements and all(s.source.page is None for s in statements)
    for statement in statements:
        amount = f"{abs(statement.amount.value):,}".replace(",", "&nbsp;").removesuffix(".0")
        if statement.amount.value % 1_000_000 == 500_000 and "mill." in statement.source.quote:
            amount = "2,5 mill."
        assert amount in page[statement.source.line - 1], (statement, page[statement.source.line - 1])


def test_a_folder_of_letters_takes_html_and_htm_files(tmp_path, supplement):
    folder = tmp_path / "brev"
    folder.mkdir()
    (folder / "tillegg-2.htm").write_bytes(supplement["html"].read_bytes())
    (folder / "les-meg.md").write_text("ikkje eit brev", encoding="utf-8")
    letter_set = load_letters([folder])
    assert [letter.number for letter in letter_set.letters] == [2]
    assert _statements(letter_set) == LISTED


def test_a_page_that_never_closes_its_inline_tags_is_still_read(tmp_path):
    path = tmp_path / "gammel.htm"
    paragraphs = "".join(f"<font face=Arial><b>Post {n:02} økes med {n} 000 kroner.<br>\n" for n in range(1, 3001))
    path.write_text(f"<html><body>{paragraphs}<div/><p>Slutt</p></body></html>", encoding="cp1252")
    lines = read_document(path).lines
    texts = [line.text for line in lines if line.text]
    assert texts[0] == "Post 01 økes med 1 000 kroner." and texts[2999] == "Post 3000 økes med 3000 000 kroner."
    assert texts[-1] == "Slutt"
    assert [line.line for line in lines if line.text][:3] == [1, 2, 3]
