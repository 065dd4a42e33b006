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
