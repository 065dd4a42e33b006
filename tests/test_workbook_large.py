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


# --- the extent, measured without visiting every cell in Python ---------------------------------

import re  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from reconcile.workbook import container  # noqa: E402

# The measure as it was: every value cell's reference, one findall per chunk.
_EVERY_VALUE_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})(\d{1,7})"(?:[^>]*[^/>])?>')


def _every_cell_extent(chunks: list[bytes]) -> tuple[int, int, int]:
    first_row = last_row = last_column = 0
    for body in chunks:
        found = _EVERY_VALUE_CELL.findall(body)
        if not found:
            continue
        if first_row == 0:
            first_row = int(found[0][1])
        last_row = max(last_row, int(found[-1][1]))
        last_column = max(last_column, max(container.column_number(letters) for letters, _ in found))
    return first_row, last_row, last_column


_columns = st.one_of(st.integers(1, 30), st.integers(1, 800), st.integers(1, 16384))


@st.composite
def _sheet_bodies(draw):
    """Rows of value cells, styled empty cells and formulas, written the ways writers write them."""
    prefix = draw(st.sampled_from(["", "x:"]))
    parts = []
    for row in sorted(draw(st.sets(st.integers(1, 1_048_576), max_size=8))):
        cells = []
        for column in sorted(draw(st.sets(_columns, max_size=5))):
            ref = f"{container.column_letters(column)}{row}"
            cells.append(draw(st.sampled_from([
                f'<{prefix}c r="{ref}"><{prefix}v>1</{prefix}v></{prefix}c>',
                f'<{prefix}c r="{ref}" s="3"/>',
                f'<{prefix}c s="2" r="{ref}" t="inlineStr"><{prefix}is><{prefix}t>x</{prefix}t></{prefix}is></{prefix}c>',
                f'<{prefix}c\tr="{ref}"><{prefix}f>A1</{prefix}f></{prefix}c>',
                f'<{prefix}c r="{ref}"></{prefix}c>',
                f'<{prefix}c r="{ref}" />',
            ])))
        parts.append(f'<{prefix}row r="{row}">' + "".join(cells) + f"</{prefix}row>")
    return "".join(parts).encode()


@settings(max_examples=300, deadline=None)
@given(body=_sheet_bodies(), cuts=st.lists(st.integers(0, 4000), max_size=4))
def test_extent_is_what_every_value_cell_says(body, cuts):
    """First row, last row and widest column of the value cells, chunk by chunk (cut at tag ends,
    as container._stream_part cuts), as a findall over every value cell gives them."""
    chunks, start = [], 0
    for cut in sorted(cuts):
        end = body.rfind(b">", start, cut) + 1
        if end > start:
            chunks.append(body[start:end])
            start = end
    chunks.append(body[start:])
    measure = container._Measure()
    for chunk in chunks:
        measure.add(chunk)
    assert (measure.first_row, measure.last_row, measure.last_column) == _every_cell_extent(chunks)


# --- a long transaction list: kept by column, summed exactly ------------------------------------


def test_long_transaction_list_is_kept_by_column_and_summed_exactly(tmp_path):
    """20 000 entries (whole kroner, øre, text amounts, one cell that is no amount) on three posts
    and two letters: the rows are held by column (a few hundred bytes a row, not a kilobyte), each
    PostRow is what a list would have held, and the sums per post and letter are the exact
    Decimal sums of the cells as amount_from_cell reads them, with their entries in row order."""
    import datetime as dt
    import tracemalloc
    from collections import defaultdict

    import xlsxwriter

    from reconcile.validation.mapping import map_workbook
    from reconcile.workbook.cells import amount_from_cell
    from reconcile.workbook.records import PostRows

    path = tmp_path / "lang-liste.xlsx"
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = workbook.add_worksheet("Posteringer")
    sheet.write_row(0, 0, ["Dato", "Bilag", "Kap", "Post", "Tekst", "Beløp", "Tillegg"])
    written = []
    for index in range(20_000):
        post = ("21", "60", "01")[index % 3]
        amount = (1_000 + index, -250.5, "1 234", 0.1, 7_000_000)[index % 5] if index != 77 else "se bilag"
        letter = ("Tillegg 1", 3)[index % 2]
        row = [dt.datetime(2023, 1, 1 + index % 28), f"B{index}", 671, post, f"Føring {post}", amount, letter]
        for column, value in enumerate(row):
            if isinstance(value, dt.datetime):
                sheet.write_datetime(index + 1, column, value)
            else:
                sheet.write(index + 1, column, value)
        written.append((index + 2, post, amount, 1 if index % 2 == 0 else 3))
    workbook.close()

    tracemalloc.start()
    read = read_workbook(path)
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    (table,) = read.tables
    assert isinstance(table.rows, PostRows) and len(table.rows) == 20_000
    assert held / len(table.rows) < 600, f"{held / len(table.rows):.0f} bytes a row"
    assert [i.cell for i in read.issues if i.kind == "not_an_amount"] == ["F79"]
    row = table.rows[3]
    assert (row.post, row.row, row.letter_no, row.key_source.cell) == (Post(671, 21), 5, 3, "D5")
    assert row.cell(5).amount.value == Decimal("0.1") and row.cell(1).raw == "B3"
    assert table.rows[3] == list(table.rows)[3] and table.rows[-1].row == 20_001

    expected_sums: dict[tuple[str, int], list] = defaultdict(list)
    for number, post, amount, letter in written:
        value, _ = amount_from_cell(amount, Decimal(1))
        if value is not None:
            expected_sums[(f"671/{post}", letter)].append((f"F{number}", value.value))
    mapping = map_workbook(read, {}, (1, 3), Decimal(0))
    sums = {(str(cell.post), cell.letter): cell for cell in mapping.cells}
    assert set(sums) == set(expected_sums)
    for key, entries in expected_sums.items():
        cell = sums[key]
        assert cell.actual == sum((amount for _, amount in entries), Decimal(0))
        assert list(cell.entries) == entries and cell.cell == entries[0][0] and len(cell.entries) == len(entries)
