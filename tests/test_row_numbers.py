"""A table that does not start in row 1 or column A keeps its own cell references.

python-calamine's `iter_rows()` yields the empty rows above a sheet's used range first (not the
columns left of it); found by reading every corpus sheet with the own reader (issue 15)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reconcile.workbook import read_workbook

sys.path.insert(0, str(Path(__file__).parent))
from hostile_files import soffice, table_rows, worksheet, write_xlsx  # noqa: E402

ROWS = [["Kap./post", "Tildelingsbrev"], ["671/21", 1000], ["671/60", 2000]]


def test_table_below_empty_rows_is_read_at_its_own_rows(tmp_path):
    path = write_xlsx(tmp_path / "lenger-ned.xlsx", [("Ark1", worksheet(table_rows(ROWS, first_row=3)))])
    [table] = read_workbook(path).tables
    assert table.header_rows == (3,)
    assert [str(row.key_source) for row in table.rows] == ["lenger-ned.xlsx!Ark1!A4", "lenger-ned.xlsx!Ark1!A5"]
    assert [row.cells[1].source.cell for row in table.rows] == ["B4", "B5"]


def test_values_copy_keeps_cells_where_they_were(tmp_path):
    import subprocess

    import python_calamine

    from reconcile.output.values_copy import write_values_copy

    program = soffice()
    if program is None:
        pytest.skip("LibreOffice (soffice) is needed to build an .ods")
    xml = worksheet("".join(
        f'<row r="{3 + n}">' + "".join(
            f'<c r="{letter}{3 + n}" t="inlineStr"><is><t>{value}</t></is></c>' if isinstance(value, str)
            else f'<c r="{letter}{3 + n}"><v>{value}</v></c>' for letter, value in zip("CD", values)) + "</row>"
        for n, values in enumerate(ROWS)))
    source = write_xlsx(tmp_path / "kilde.xlsx", [("Ark1", xml)])
    subprocess.run([program, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "ods",
                    "--outdir", str(tmp_path), str(source)], capture_output=True, timeout=180, check=False)
    ods = tmp_path / "kilde.ods"
    if not ods.exists():
        pytest.skip("LibreOffice could not convert")
    copy = tmp_path / "verdier.xlsx"
    write_values_copy(ods, copy)
    sheet = python_calamine.CalamineWorkbook.from_path(str(copy)).get_sheet_by_index(0)
    assert sheet.start == (2, 2)
    assert sheet.to_python()[1] == ["671/21", 1000.0]
