"""The same letters as text, PDF, DOCX and HTML give the same statements.

The sample letters are rendered once per module into a temporary directory by
samples/letters/render_letters.py (PDF in DejaVu Sans where installed, and always once in
Helvetica, where characters outside Latin-1 are drawn as ASCII; DOCX one paragraph per line;
HTML one <p> per paragraph, its lines separated by <br>).
Statements are compared as multisets of (letter, post, kind, amount, precision): line numbers
differ between formats (the PDF counts lines per page, the DOCX counts paragraphs), so they are
not compared, but a PDF statement must say on which page it stands.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

import pytest

from reconcile.ledger.build import build_ledger
from reconcile.letters.loading import load_letters

from sample_renderer import load_sample_renderer

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "samples" / "letters" / "imdi-2023-tillegg-1-7.txt"


render_letters = load_sample_renderer("render_letters_for_formats")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("letter-formats")
    return {
        "pdf": render_letters.render_pdf(SAMPLE, out / f"{SAMPLE.stem}.pdf"),
        "pdf-helvetica": render_letters.render_pdf(SAMPLE, out / f"{SAMPLE.stem}-helvetica.pdf", use_ttf=False),
        "docx": render_letters.render_docx(SAMPLE, out / f"{SAMPLE.stem}.docx"),
        "html": render_letters.render_html(SAMPLE, out / f"{SAMPLE.stem}.html"),
    }


@pytest.fixture(scope="module")
def letter_sets(rendered) -> dict:
    sets = {kind: load_letters([path]) for kind, path in rendered.items()}
    sets["txt"] = load_letters([SAMPLE])
    return sets


def _rows(letter_set) -> Counter:
    return Counter(
        (s.letter, str(s.post), str(s.kind), s.amount.value if s.amount else None,
         s.amount.precision if s.amount else None)
        for s in letter_set.statements
    )


@pytest.mark.parametrize("kind", ["pdf", "pdf-helvetica", "docx", "html"])
def test_the_rendered_letters_give_the_same_statements_as_the_text(letter_sets, kind):
    expected, found = _rows(letter_sets["txt"]), _rows(letter_sets[kind])
    missed, extra = expected - found, found - expected
    assert not missed and not extra, f"missed: {sorted(missed.elements())}\nextra: {sorted(extra.elements())}"


@pytest.mark.parametrize("kind", ["pdf", "pdf-helvetica", "docx", "html"])
def test_the_rendered_letters_have_the_same_letters_dates_and_supersessions(letter_sets, kind):
    def letters(letter_set):
        return [(l.number, l.date, l.supersedes, l.revised, l.ministry) for l in letter_set.letters]

    assert letters(letter_sets[kind]) == letters(letter_sets["txt"])


@pytest.mark.parametrize("kind", ["pdf", "pdf-helvetica"])
def test_pdf_statements_carry_page_and_line_numbers(letter_sets, kind):
    statements = letter_sets[kind].statements
    assert statements
    assert all(isinstance(s.source.page, int) and s.source.page >= 1 for s in statements)
    assert all(s.source.line >= 1 for s in statements)
    # 60 lines to a page: the closing total of 671/71 (line 1390 of the text) is on page 24.
    [closing] = [s for s in statements if str(s.kind) == "new_total" and str(s.post) == "671/71"]
    assert closing.source.page == (1390 - 1) // render_letters.LINES_PER_PAGE + 1
    assert "228 052 000" in closing.source.quote


def test_docx_statements_have_no_pages_but_paragraph_numbers(letter_sets):
    statements = letter_sets["docx"].statements
    assert all(s.source.page is None and s.source.line >= 1 for s in statements)


def test_html_statements_cite_the_line_of_the_page_where_the_text_letter_has_them(rendered, letter_sets):
    """The page keeps each line of the letter on a line of its own, so a statement read from the
    page cites the file line holding the same words as the text letter's line."""
    page = rendered["html"].read_text(encoding="utf-8").split("\n")
    text = SAMPLE.read_text(encoding="utf-8").split("\n")

    def visible(line: str) -> str:
        return " ".join(html.unescape(re.sub(r"<[^>]+>", "", line)).split())

    statements = letter_sets["html"].statements
    assert all(s.source.page is None for s in statements)
    cited_in_page = Counter(visible(page[s.source.line - 1]) for s in statements)
    cited_in_text = Counter(" ".join(text[s.source.line - 1].split()) for s in letter_sets["txt"].statements)
    assert cited_in_page == cited_in_text
    [closing] = [s for s in statements if str(s.kind) == "new_total" and str(s.post) == "671/71"]
    assert "228 052 000" in page[closing.source.line - 1]


def test_the_ledger_is_the_same_whatever_the_format(letter_sets):
    def summary(letter_set):
        ledger = build_ledger(letter_set)
        totals = {(str(post), n): ledger.expected(post, as_of=n).total.value
                  for post in ledger.posts for n in ledger.letters if ledger.expected(post, as_of=n)}
        findings = Counter((str(f.post), f.letter, f.check, f.severity, f.difference) for f in ledger.audit)
        return totals, findings

    reference = summary(letter_sets["txt"])
    for kind in ("pdf", "pdf-helvetica", "docx", "html"):
        assert summary(letter_sets[kind]) == reference, kind
