"""Sheets that claim or span the whole grid read in bounded time and memory.

The workbooks are written as raw XML, so each is a few kilobytes on disk."""

from __future__ import annotations

import time
import zipfile
from decimal import Decimal

from reconcile.posts import Post
from reconcile.workbook import read_workbook

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Ark1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
_TABLE = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Kap./post</t></is></c><c r="B1" t="inlineStr"><is><t>Tildelingsbrev</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>671/21</t></is></c><c r="B2"><v>1500</v></c></row>'
    '<row r="3"><c r="A3" t="inlineStr"><is><t>671/60</t></is></c><c r="B3"><v>2500</v></c></row>'
)


def raw_xlsx(path, sheet_data: str, dimension: str):
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def test_declared_dimension_of_the_whole_grid_is_not_iterated(tmp_path):
    """<dimension ref="A1:XFD1048576"/> over three rows of two columns: read as 3 × 2, quickly."""
    path = raw_xlsx(tmp_path / "dim.xlsx", _TABLE, "A1:XFD1048576")
    started = time.perf_counter()
    read = read_workbook(path)
    assert time.perf_counter() - started < 2
    assert (read.sheets[0].rows, read.sheets[0].columns) == (3, 2)
    assert read.tables[0].posts == (Post(671, 21), Post(671, 60))


def test_sheet_of_a_million_rows_streams_in_bounded_time(tmp_path):
    """A stray value in A1048576 makes the used range 1 048 576 rows: streamed, the table read,
    the stray value left out (a post number 01 with no kapittel: an issue), within seconds."""
    stray = '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    path = raw_xlsx(tmp_path / "lang.xlsx", _TABLE + stray, "A1:B1048576")
    started = time.perf_counter()
    read = read_workbook(path)
    assert time.perf_counter() - started < 15
    assert read.sheets[0].rows == 1_048_576
    (table,) = read.tables
    assert table.posts == (Post(671, 21), Post(671, 60))
    assert table.rows[1].cell(1).amount.value == Decimal(2500)
    assert [i.cell for i in read.issues if i.kind == "post_without_kap"] == ["A1048576"]


def test_values_in_opposite_corners_skip_the_sheet_instead_of_allocating_it(tmp_path):
    """A1 and XFD1048576 both hold values: the used range would be 17 billion cells, which the
    reader must not ask python-calamine to allocate. The sheet is skipped with an issue."""
    corner = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    path = raw_xlsx(tmp_path / "hjorner.xlsx", _TABLE + corner, "A1:XFD1048576")
    read = read_workbook(path)
    assert read.tables == ()
    (issue,) = [i for i in read.issues if i.kind == "sheet_too_large"]
    assert "XFD1048576" in issue.message
    assert not read.sheets[0].read


def test_styled_empty_cells_far_out_do_not_count(tmp_path):
    """Formatting-only cells (<c r="XFD1048576" s="1"/>) hold no value and do not widen the range."""
    styled = '<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    path = raw_xlsx(tmp_path / "stil.xlsx", _TABLE + styled, "A1:XFD1048576")
    read = read_workbook(path)
    assert read.tables[0].posts == (Post(671, 21), Post(671, 60))
