"""Property tests: whatever a workbook holds, read_workbook returns or raises InputError; and the
cell-level readers of posts and amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconcile.errors import InputError
from reconcile.posts import Post
from reconcile.workbook import read_workbook
from reconcile.workbook.cells import amount_from_cell, column_letter
from reconcile.workbook.keys import read_key

HEADER_WORDS = [
    "Kap./post", "Kap", "Post", "Postnavn", "Tildelingsbrev", "Tillegg nr. 3", "T4", "Endring", "Sum etter",
    "Sum", "Totalt", "Sum kap. 671", "RNB", "Overført fra i fjor", "Årets tildelinger", "Samlet tildeling",
    "Dato", "Bilag", "Tekst", "Beløp", "Tillegg", "i 1 000 kr", "(i mill. kr)", "671/21", "0671 71",
    "Kap. 671 post 75", "671 Bosetting", "(1 308 000)", "−1 308 000", "228 052 000 kr", "-", "#REF!",
]

cell_values = st.one_of(
    st.none(),
    st.sampled_from(HEADER_WORDS),
    st.text(max_size=12),
    st.integers(min_value=-10**15, max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.sampled_from([671.71, 670.01, 671.1, 671.0, 21.0, 3671.5, 0.1, -0.0, 1e300, 5e-324]),
    st.booleans(),
    st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 1, 1)),
)
grids = st.lists(st.lists(cell_values, max_size=7), max_size=12)
merges = st.lists(st.tuples(st.integers(0, 11), st.integers(0, 6), st.integers(0, 1), st.integers(0, 2)), max_size=3)


def write(path, grid, merge_ranges, hidden):
    workbook = xlsxwriter.Workbook(path, {"strings_to_numbers": False, "strings_to_formulas": False})
    sheet = workbook.add_worksheet("Ark1")
    date_format = workbook.add_format({"num_format": "dd.mm.yyyy"})
    used = set()
    for row, col, height, width in merge_ranges:
        cells = {(r, c) for r in range(row, row + height + 1) for c in range(col, col + width + 1)}
        if (height or width) and not cells & used:
            used |= cells
            sheet.merge_range(row, col, row + height, col + width, "Tillegg nr. 2")
    for r, values in enumerate(grid):
        for c, value in enumerate(values):
            if value is None or (r, c) in used:
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, str):
                sheet.write_string(r, c, value)
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            else:
                sheet.write_number(r, c, value)
    if hidden:
        workbook.add_worksheet("Synlig").activate()
        sheet.hide()
    workbook.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grid=grids, merge_ranges=merges, hidden=st.booleans())
def test_random_workbooks_never_raise_anything_but_input_error(tmp_path, grid, merge_ranges, hidden):
    path = tmp_path / "tilfeldig.xlsx"
    write(path, grid, merge_ranges, hidden)
    try:
        read = read_workbook(path)
    except InputError:
        return
    for table in read.tables:
        for row in table.rows:
            assert isinstance(row.post, Post)
            for cell in row.cells.values():
                assert cell.amount is None or isinstance(cell.amount.value, Decimal)
        assert table.first_row <= table.last_row


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300), prefix=st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]))
def test_random_bytes_raise_input_error(tmp_path, data, prefix):
    path = tmp_path / "tull.xlsx"
    path.write_bytes(prefix + data)
    try:
        read_workbook(path)
    except InputError as error:
        assert "\n" not in str(error)


@given(st.integers(min_value=100, max_value=9999), st.integers(min_value=1, max_value=99))
def test_every_written_form_of_a_post_reads_back(kap, post):
    for text in (f"{kap}/{post:02d}", f"{kap}.{post:02d}", f"0{kap} {post:02d}" if kap < 1000 else f"{kap} {post:02d}",
                 f"Kap. {kap} post {post}", f"{kap}/{post:02d} Driftsutgifter"):
        assert read_key(text).post == Post(kap, post), text


def test_posts_written_as_numbers():
    assert read_key(671.71).post == Post(671, 71)
    assert read_key(670.01).post == Post(670, 1)
    assert read_key(671.1).post == Post(671, 10)
    assert read_key(671.1, one_decimal_posts="units").post == Post(671, 1)
    assert read_key(671.1).one_decimal
    assert read_key(671.0).kap == 671
    assert read_key(21.0).post_no == 21
    assert read_key(671.715) is None
    assert read_key(True) is None
    assert read_key(0.5) is None


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_text_amounts_in_thousands_scale_with_half_unit_precision(number):
    text = f"{abs(number):,}".replace(",", " ")
    written = f"({text})" if number < 0 else text
    amount, problem = amount_from_cell(written, Decimal(1000))
    assert problem is None
    assert amount.value == Decimal(number) * 1000
    assert amount.precision == 500


def test_amount_forms():
    assert amount_from_cell("228 052 000 kr", Decimal(1))[0].value == Decimal(228_052_000)
    assert amount_from_cell("−1 308 000", Decimal(1))[0].value == Decimal(-1_308_000)
    assert amount_from_cell(12.3, Decimal(1_000_000))[0].value == Decimal(12_300_000)
    assert amount_from_cell(12.3, Decimal(1_000_000))[0].precision == Decimal(50_000)
    assert amount_from_cell(0.1, Decimal(1))[0].value == Decimal("0.1")
    assert amount_from_cell(-0.0, Decimal(1))[0].value.is_signed() is False
    assert amount_from_cell("10,1 mill.", Decimal(1000))[0].value == Decimal(10_100_000)
    assert amount_from_cell("se note", Decimal(1)) == (None, "«se note» er ikke et beløp")
    assert amount_from_cell(dt.date(2023, 1, 1), Decimal(1))[0] is None


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702, 16383)] == ["A", "Z", "AA", "ZZ", "AAA", "XFD"]
