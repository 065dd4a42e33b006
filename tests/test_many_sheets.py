"""Many sheets (issue 15, item 3): refused beyond what a spreadsheet program opens, refused when two
sheet entries share one part, and looked up in constant time when marking. The timings are in
benchmarks/many_sheets.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reconcile.errors import InputError
from reconcile.output import ooxml
from reconcile.output.xlsx_package import CellMark, write_annotated_copy
from reconcile.workbook import read_workbook

sys.path.insert(0, str(Path(__file__).parent))
from hostile_files import table_rows, worksheet, write_xlsx, xlsx_parts, write_zip  # noqa: E402

TABLE = worksheet(table_rows([["Kap./post", "Tildelingsbrev"], ["671/21", 1000]]))


def test_two_sheet_entries_pointing_at_one_part_are_refused(tmp_path):
    path = write_xlsx(tmp_path / "delt.xlsx", [("Budsjett", TABLE)], entries=[("Budsjett", 1), ("Kopi", 1)])
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    assert caught.value.path == str(path)
    assert "«Budsjett» and «Kopi» point at the same part" in caught.value.message


def test_more_sheets_than_a_spreadsheet_program_opens_are_refused(tmp_path):
    from reconcile.workbook.container import MAX_SHEETS

    parts = xlsx_parts([("Budsjett", TABLE)])
    entries = "".join(f'<sheet name="Ark {n}" sheetId="{n}" r:id="rIdNone{n}"/>' for n in range(2, MAX_SHEETS + 2))
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace("</sheets>", entries + "</sheets>")
    path = write_zip(tmp_path / "mange.xlsx", parts)
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    assert f"more than {MAX_SHEETS:,} sheets".replace(",", " ") in caught.value.message


def test_marks_find_their_sheet_without_scanning_the_sheet_list(tmp_path, monkeypatch):
    sheets = [(f"Ark {n}", TABLE) for n in range(1, 301)]
    path = write_xlsx(tmp_path / "mange.xlsx", sheets)
    compared = []

    class Counting(str):
        def __eq__(self, other):
            compared.append(other)
            return str.__eq__(self, other)

        __hash__ = str.__hash__

    marks = [CellMark(Counting(f"Ark {n}"), "B2", "match", "") for n in range(1, 301)]
    report = write_annotated_copy(path, tmp_path / "kopi.xlsx", marks)
    assert report.marked_cells == 300 and not report.problems
    # A scan compares each mark with the sheets before its own: 45 150 comparisons for 300 marks.
    assert len(compared) <= 2 * len(marks)


def test_a_new_part_name_is_found_without_starting_over(tmp_path):
    path = write_xlsx(tmp_path / "bok.xlsx", [("Ark1", TABLE)])
    looked: list[str] = []
    with ooxml.Package(path) as package:
        has = package.has
        package.has = lambda part: looked.append(part) or has(part)
        taken: set[str] = set()
        names = [package.unused_name("xl/comments{}.xml", taken) for _ in range(200)]
    assert names[-1] == "xl/comments200.xml"
    assert len(looked) == 200
