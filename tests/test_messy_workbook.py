"""A workbook as finance offices really keep them, reconciled end to end.

The fixture has a title block, a merged two-row header ("Tillegg nr. 7" over "Endring" and "Sum
etter"), amounts written as text in 1 000 kr, and separate Kap and Post columns with Kap only on
each group's first row. Its one known difference: 671/71's "Sum etter" holds the figure from
before letter 7 (stale).
"""

from decimal import Decimal

import pytest
import xlsxwriter

from reconcile.amounts import format_nok
from reconcile.ledger.build import build_ledger
from reconcile.ledger.expected import expected_values, make_key
from reconcile.letters.loading import load_letters


@pytest.fixture(scope="module")
def figures():
    letter_set = load_letters()
    ledger = build_ledger(letter_set)
    return expected_values(ledger, letter_set)


def _thousands(value: Decimal) -> str:
    return format_nok((value / 1000).quantize(Decimal(1)))


@pytest.fixture
def messy_workbook(tmp_path, figures):
    path = tmp_path / "budsjett.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Budsjett 2023")
    bold = workbook.add_format({"bold": True})
    merged = workbook.add_format({"bold": True, "align": "center", "border": 1})
    sheet.write(0, 0, "Integrerings- og mangfoldsdirektoratet", bold)
    sheet.write(1, 0, "Oppfølging av bevilgninger 2023 (i 1 000 kr)")
    sheet.merge_range(3, 0, 4, 0, "Kap", merged)
    sheet.merge_range(3, 1, 4, 1, "Post", merged)
    sheet.merge_range(3, 2, 4, 2, "Postnavn", merged)
    sheet.merge_range(3, 3, 3, 4, "Tillegg nr. 7", merged)
    sheet.write(4, 3, "Endring", merged)
    sheet.write(4, 4, "Sum etter", merged)
    posts = ["671/60", "671/61", "671/71", "671/73", "672/60"]
    previous_kap = None
    for index, post in enumerate(posts):
        row = 5 + index
        kap, number = post.split("/")
        if kap != previous_kap:
            sheet.write_string(row, 0, kap)
        previous_kap = kap
        sheet.write_string(row, 1, number)
        sheet.write_string(row, 2, f"Post {post}")
        change = figures[make_key(post, "change", 7)].amount.value
        total = figures[make_key(post, "total", 7)].amount.value
        if post == "671/71":
            total = figures[make_key(post, "total", 6)].amount.value
        sheet.write_string(row, 3, _thousands(change))
        sheet.write_string(row, 4, _thousands(total))
    workbook.close()
    return path


def test_messy_workbook_is_read_and_its_one_stale_figure_found(messy_workbook):
    from reconcile.pipeline import Options, check_workbook, prepare

    prepared = prepare(Options(annotate=False))
    result = check_workbook(messy_workbook, prepared, Options(annotate=False))
    failing = [(f.cell, f.post, f.role, f.letter, f.cause) for f in result.findings if f.failing and f.cell]
    assert failing == [("E8", "671/71", "total", 7, "stale")]
    # The posts this workbook does not track are reported as missing, not as errors in cells.
    missing = {f.post for f in result.findings if f.status == "missing"}
    assert missing == {"670/01", "671/21", "671/45", "671/62", "671/70", "671/72", "672/61"}
    checked = {(f.post, f.role) for f in result.findings}
    assert ("672/60", "change") in checked and ("671/61", "total") in checked
    assert sum(1 for f in result.findings if f.cell) == 10


@pytest.fixture
def millions_workbook(tmp_path, figures, request):
    """Letter labels merged over "Endring" / "Sum etter", Kapittel and Post named only in that lower
    header row, every post of the letters, amounts in mill. kr with one decimal (openpyxl, as a
    script would write it). "Sum etter" holds this year's allocation, without carry-over. With
    `stale`, 671/60's "Sum etter" for letter 7 holds the figure after letter 3."""
    from decimal import Decimal

    import openpyxl

    from reconcile.ledger.build import build_ledger
    from reconcile.letters.loading import load_letters

    stale = getattr(request, "param", False)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "RNB og nysaldering"
    sheet["B1"] = "Bevilgninger 2023 (i mill. kr)"
    sheet.merge_cells("C3:D3")
    sheet["C3"] = "Tillegg nr. 3 (RNB)"
    sheet.merge_cells("E3:F3")
    sheet["E3"] = "Tillegg nr. 7 (nysaldering)"
    for cell, text in (("A4", "Kapittel"), ("B4", "Post"), ("C4", "Endring"), ("D4", "Sum etter"),
                       ("E4", "Endring"), ("F4", "Sum etter")):
        sheet[cell] = text

    def millions(key):
        value = figures.get(key)
        if value is None or value.amount.value == 0:
            return None
        return float((value.amount.value / Decimal(1_000_000)).quantize(Decimal("0.1")))

    posts = build_ledger(load_letters()).posts
    for row, post in enumerate(posts, start=5):
        sheet.cell(row, 1, str(post.kap))
        sheet.cell(row, 2, f"{post.post:02d}")
        after_seven = make_key(post, "allocation", 3 if stale and str(post) == "671/60" else 7)
        for column, key in ((3, make_key(post, "change", 3)), (4, make_key(post, "allocation", 3)),
                            (5, make_key(post, "change", 7)), (6, after_seven)):
            sheet.cell(row, column, millions(key))
    path = tmp_path / "millioner.xlsx"
    workbook.save(path)
    return path, len(posts)


def test_key_named_in_the_lower_header_row_and_amounts_in_millions_reconcile(millions_workbook):
    from reconcile.pipeline import Options, check_workbook, prepare
    from reconcile.workbook import read_workbook

    path, post_count = millions_workbook
    [table] = read_workbook(path).tables
    roles = {column.letter: column.role for column in table.columns}
    assert roles == {"A": "kap", "B": "post_no", "C": "change", "D": "total_after", "E": "change", "F": "total_after"}
    assert len(table.posts) == post_count and table.unit == 1_000_000
    result = check_workbook(path, prepare(Options(annotate=False)), Options(annotate=False))
    assert not result.failing, [f for f in result.findings if f.failing]
    # "Sum etter" rounded to 0,1 mill. is read as this year's allocation: the reading that fits
    assert "RNB og nysaldering!F «Tillegg nr. 7 (nysaldering) / Sum etter»: lest som årets tildeling etter tillegg nr. 7" \
        in result.layout_notes
    assert result.summary()["checked"] > 2 * post_count


@pytest.mark.parametrize("millions_workbook", [True], indirect=True)
def test_a_stale_figure_in_millions_is_found(millions_workbook):
    from reconcile.pipeline import Options, check_workbook, prepare

    path, _ = millions_workbook
    result = check_workbook(path, prepare(Options(annotate=False)), Options(annotate=False))
    failing = [(f.cell, f.post, f.role, f.letter, f.cause) for f in result.findings if f.failing]
    assert failing == [("F8", "671/60", "allocation", 7, "stale")]
