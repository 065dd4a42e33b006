"""Valid packages laid out unusually are read and annotated (issue 15, item 4).

Backslashes in the zip's names, parts at the archive root, a folder of its own for the workbook
part: Excel and python-calamine open them, so the tool finds the parts by following the package's
relationships (`_rels/.rels` → workbook → sheets), never by fixed paths, and the annotated copy
keeps the package's own paths. Built by tests/hostile_files.py.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest
import python_calamine

from reconcile.output.xlsx_package import CellMark, NewSheet, write_annotated_copy
from reconcile.workbook import read_workbook

sys.path.insert(0, str(Path(__file__).parent))
from hostile_files import table_rows, worksheet, write_xlsx  # noqa: E402

ROWS = [["Kap./post", "Tildelingsbrev"], ["671/21", 1000], ["671/60", 2000], ["671/62", 3000]]
LAYOUTS = {
    "backslashes": {"backslashes": True},
    "root": {"workbook_part": "workbook.xml", "sheet_folder": ""},
    "own folder": {"workbook_part": "bok/workbook.xml", "sheet_folder": "bok/ark"},
    "own folder, backslashes": {"workbook_part": "Bok/workbook.xml", "sheet_folder": "Bok/Ark", "backslashes": True},
}


@pytest.fixture(params=sorted(LAYOUTS))
def odd(request, tmp_path) -> Path:
    return write_xlsx(tmp_path / "budsjett.xlsx", [("Budsjett", worksheet(table_rows(ROWS)))], **LAYOUTS[request.param])


def test_odd_package_is_read_with_every_post(odd):
    read = read_workbook(odd)
    assert read.format == "xlsx"
    [table] = read.tables
    assert [str(post) for post in table.posts] == ["671/21", "671/60", "671/62"]
    assert [row.cells[1].amount.value for row in table.rows] == [1000, 2000, 3000]


def test_annotated_copy_of_an_odd_package_keeps_its_own_paths(odd, tmp_path):
    target = tmp_path / "kopi.xlsx"
    report = write_annotated_copy(odd, target, [CellMark("Budsjett", "B3", "mismatch", "Avvik")],
                                  [NewSheet("Avstemming", [["Ark", "Celle"], ["Budsjett", "B3"]])])
    assert report.marked_cells == 1 and report.notes_added == 1
    assert report.sheets_added == ("Avstemming",)
    with zipfile.ZipFile(odd) as source, zipfile.ZipFile(target) as copy:
        before = source.namelist()
        after = copy.namelist()
    assert after[: len(before)] == before
    if "\\" in before[-1]:
        assert all("/" not in name for name in after)
    workbook = python_calamine.CalamineWorkbook.from_path(str(target))
    assert workbook.sheet_names == ["Budsjett", "Avstemming"]
    assert workbook.get_sheet_by_name("Budsjett").to_python()[2] == ["671/60", 2000.0]
