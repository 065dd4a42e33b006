"""Formula cells: a formula without a stored value is reported and flagged, never read as 0.

openpyxl writes formulas with no cached value (`<f>…</f><v></v>`), as a library-written workbook
that was never opened in Excel has them. Amounts are made up."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter

from reconcile.posts import Post
from reconcile.workbook import read_workbook


@pytest.fixture
def uncalculated_workbook(tmp_path):
    """Written by openpyxl: the Samlet tildeling column and the total row are formulas, never
    calculated; C3 holds the error value #REF!.

    Expected reading:
    - posts 671/21 (row 2) and 671/60 (row 3); total row 4 "Sum"
    - E2, E3 (Samlet tildeling) and C4, D4, E4 (the Sum row): formula_without_value=True, raw None,
      amount None (not 0), one issue "formula_without_value" per cell, naming the cell
    - C2 and D2 read as 1 000 and 250; C3: error "#REF!", amount None, an issue "error"
    """
    path = tmp_path / "uberegnet.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Oversikt"
    sheet.append(["Kap./post", "Postnavn", "Tildelingsbrev", "Tillegg 1", "Samlet tildeling"])
    sheet.append(["671/21", "Drift", 1000, 250, "=C2+D2"])
    sheet.append(["671/60", "Tilskudd", "#REF!", 0, "=C3+D3"])
    sheet.append(["Sum", None, "=SUM(C2:C3)", "=SUM(D2:D3)", "=SUM(E2:E3)"])
    workbook.save(path)
    return path


def test_formula_without_cached_value_is_reported_not_read_as_zero(uncalculated_workbook):
    read = read_workbook(uncalculated_workbook)
    (table,) = read.tables
    assert table.posts == (Post(671, 21), Post(671, 60))
    total = table.column("total")
    for row in table.rows:
        cell = row.cell(total)
        assert cell.formula_without_value and cell.raw is None and cell.amount is None
    (sum_row,) = table.total_rows
    assert sum_row.label == "Sum"
    assert all(sum_row.cells[index].formula_without_value for index in (2, 3, 4))
    flagged = sorted(i.cell for i in read.issues if i.kind == "formula_without_value")
    assert flagged == ["C4", "D4", "E2", "E3", "E4"]
    message = next(i.message for i in read.issues if i.cell == "E2")
    assert "=C2+D2" in message and "Ikke lest som 0" in message
    assert table.rows[0].cell(2).amount.value == Decimal(1000)


def test_error_value_is_reported_not_read_as_blank(uncalculated_workbook):
    read = read_workbook(uncalculated_workbook)
    table = read.tables[0]
    cell = table.rows[1].cell(table.column("original"))
    assert cell.error == "#REF!" and cell.amount is None and not cell.formula_without_value
    (issue,) = [i for i in read.issues if i.kind == "error"]
    assert (issue.sheet, issue.cell) == ("Oversikt", "C3")


def test_formula_key_without_value_says_the_row_was_not_read(tmp_path):
    """A post key computed by a formula never calculated: the row cannot be a post; the issue says so."""
    path = tmp_path / "nokkel.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Kap./post", "Tildelingsbrev"])
    sheet.append(["671/21", 5])
    sheet.append(['="671/"&"60"', 6])
    sheet.append(["671/70", 7])
    workbook.save(path)
    read = read_workbook(path)
    assert read.tables[0].posts == (Post(671, 21), Post(671, 70))
    (issue,) = [i for i in read.issues if i.kind == "formula_without_value"]
    assert issue.cell == "A3" and "rad 3 er ikke lest som post" in issue.message


def test_xlsxwriter_formula_with_stored_zero_is_flagged_as_unverified(tmp_path):
    """xlsxwriter stores 0 for a formula and asks Excel to recalculate on opening (fullCalcOnLoad):
    the 0 may never have been calculated (an info issue, as the column has other amounts). A formula
    written with its value (=B2*2 → 14) is fine."""
    path = tmp_path / "null.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Ark1")
    sheet.write_row(0, 0, ["Kap./post", "Tildelingsbrev", "Samlet tildeling"])
    sheet.write_row(1, 0, ["671/21", 7])
    sheet.write_formula(1, 2, "=B2*2", None, 14)
    sheet.write_row(2, 0, ["671/60", 8])
    sheet.write_formula(2, 2, "=B3*2")
    workbook.close()
    read = read_workbook(path)
    table = read.tables[0]
    assert table.rows[0].cell(2).amount.value == 14
    assert table.rows[1].cell(2).amount.value == 0  # what the file says, with an issue
    assert [(i.cell, i.severity) for i in read.issues if i.kind == "formula_zero"] == [("C3", "info")]


def test_stored_zero_consistent_with_the_column_is_not_reported(tmp_path):
    """A Sum formula storing 0 over a column whose posts are all 0 is a true 0: no issue."""
    path = tmp_path / "ekte-null.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Ark1")
    sheet.write_row(0, 0, ["Kap./post", "Tillegg 2"])
    sheet.write_row(1, 0, ["671/21", 0])
    sheet.write_row(2, 0, ["671/60", 0])
    sheet.write(3, 0, "Sum")
    sheet.write_formula(3, 1, "=SUM(B2:B3)")
    workbook.close()
    read = read_workbook(path)
    assert read.tables[0].total_rows[0].cell(1).amount.value == 0
    assert "formula_zero" not in [i.kind for i in read.issues]


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_container_pass_finds_the_bad_cells_a_scan_of_their_own_finds(uncalculated_workbook, tmp_path, chunk,
                                                                        monkeypatch):
    """The container's one pass over a sheet part finds the same bad cells as scan_bad_cells,
    with and without fullCalcOnLoad, whatever the chunks."""
    from pathlib import Path

    from reconcile.workbook import container, formulas

    zero_path = tmp_path / "null.xlsx"
    workbook = xlsxwriter.Workbook(zero_path)
    sheet = workbook.add_worksheet("Ark1")
    sheet.write_row(0, 0, ["Kap./post", "Tildelingsbrev", "Samlet tildeling"])
    sheet.write_row(1, 0, ["671/21", 7])
    sheet.write_formula(1, 2, "=B2*2")
    sheet.write_formula(2, 2, "=1/0", None, "#DIV/0!")
    workbook.close()
    monkeypatch.setattr(container, "_CHUNK", chunk)
    monkeypatch.setattr(formulas, "_CHUNK", chunk)
    for path in (Path(uncalculated_workbook), zero_path):
        found = container.inspect(path)
        part = next(iter(found.sheet_parts.values()))
        assert found.bad_cells[part] == formulas.scan_bad_cells(path, part, zero_formulas=found.full_calc_on_load)
        assert found.bad_cells[part]
