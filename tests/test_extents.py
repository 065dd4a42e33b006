"""The used ranges measured from .xls and .ods records (reconcile/workbook/extents.py) are the
ranges python-calamine reads: the size guard refuses no sheet it need not (issue 15, item 2)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import python_calamine

from reconcile.workbook.extents import ods_extents, ole2_stream, xls_extents

sys.path.insert(0, str(Path(__file__).parent))
from hostile_files import soffice, table_rows, worksheet, write_xlsx  # noqa: E402

ROWS = [["Kap./post", "Tildelingsbrev", "Tillegg 1"], ["671/21", 1000, 5], ["671/60", 2000, None], ["Sum", 3000, 5]]


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    program = soffice()
    if program is None:
        pytest.skip("LibreOffice (soffice) is needed to build .xls and .ods files")
    folder = tmp_path_factory.mktemp("lo")
    lower = worksheet(table_rows([[None, None, *values] for values in ROWS], first_row=3))  # from C3
    source = write_xlsx(folder / "to-ark.xlsx", [("Oversikt", worksheet(table_rows(ROWS))), ("Lenger ned", lower)])
    made = {}
    for suffix in ("xls", "ods"):
        subprocess.run([program, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", suffix,
                        "--outdir", str(folder), str(source)], capture_output=True, timeout=180, check=False)
        made[suffix] = folder / f"to-ark.{suffix}"
        if not made[suffix].exists():
            pytest.skip("LibreOffice could not convert")
    return made


def calamine_ranges(path: Path) -> dict[str, tuple[int, int]]:
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    ranges = {}
    for name in workbook.sheet_names:
        end = workbook.get_sheet_by_name(name).end
        ranges[name] = (end[0] + 1, end[1] + 1)
    return ranges


def test_xls_extents_are_the_ranges_calamine_reads(converted):
    measured = xls_extents(ole2_stream(converted["xls"].read_bytes(), ("Workbook", "Book")))
    assert {name: (e.last_row, e.last_column) for name, e in measured.items()} == calamine_ranges(converted["xls"])
    assert measured["Lenger ned"].first_row == 3 and measured["Lenger ned"].last_column == 5


def test_ods_extents_are_the_ranges_calamine_reads(converted):
    with zipfile.ZipFile(converted["ods"]) as archive, archive.open("content.xml") as stream:
        measured = ods_extents(stream)
    assert {name: (e.last_row, e.last_column) for name, e in measured.items()} == calamine_ranges(converted["ods"])
