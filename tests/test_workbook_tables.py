"""Reading post tables from tiny workbooks built in tmp_path; each fixture's docstring lists what
must be read from it. All amounts are made up."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import xlsxwriter

from reconcile.posts import Post
from reconcile.workbook import explain_layout, load_layout, read_workbook

D = Decimal


def write_xlsx(path: Path, sheets: dict, *, merges=(), hidden=(), name=None) -> Path:
    """sheets: name -> list of rows (lists; None = empty cell). merges: (sheet, 'A1:B2', text)."""
    workbook = xlsxwriter.Workbook(path)
    handles = {}
    for sheet_name, rows in sheets.items():
        sheet = workbook.add_worksheet(sheet_name)
        handles[sheet_name] = sheet
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif isinstance(value, (dt.date, dt.datetime)):
                    sheet.write_datetime(r, c, value, workbook.add_format({"num_format": "dd.mm.yyyy"}))
                else:
                    sheet.write(r, c, value)
        if sheet_name in hidden:
            sheet.hide()
    for sheet_name, cells, text in merges:
        handles[sheet_name].merge_range(cells, text)
    workbook.close()
    return path


def amounts(row, table, role, letter_no=None):
    column = table.column(role, letter_no)
    cell = row.cell(column)
    return None if cell is None or cell.amount is None else cell.amount.value


def issue_kinds(read):
    return [issue.kind for issue in read.issues]


# --- (1) title block, merged two-row headers, text amounts in 1 000 kr, Kap filled down -------


@pytest.fixture
def office_workbook(tmp_path):
    """A finance office's overview, as typed by hand.

    Expected reading:
    - one table on sheet "Budsjett 2023", header rows 4–5 (merged), data rows 6–11, layout overview
    - unit 1 000 kr, stated in A2 ("Budsjettoversikt 2023 (i 1 000 kr)"); precision ± 500 kr
    - columns A kap, B post_no, C name, D original (letter 0), E change (letter 3, header
      "Tillegg nr. 3 / Endring"), F total_after (letter 3)
    - posts 671/01, 671/21, 671/60 (Kap only on the group's first row), 672/70
    - 671/01 change "(1 250)" = -1 250 000; 671/21 change "−400" = -400 000; 672/70 change "-" = 0
    - total rows 9 "Sum kap. 671" (kap 671) and 11 "Totalt"; no issues
    """
    rows = [
        ["Direktoratet for eksempler"],
        ["Budsjettoversikt 2023 (i 1 000 kr)"],
        [],
        [None, None, None, None, None, None],
        [None, None, None, None, "Endring", "Sum etter"],
        ["671", "01", "Driftsutgifter", "12 500", "(1 250)", "11 250"],
        [None, "21", "Spesielle driftsutgifter", "3 400", "−400", "3 000"],
        [None, "60", "Tilskudd til kommuner", "100 000", "2 000", "102 000"],
        ["Sum kap. 671", None, None, "115 900", "350", "116 250"],
        ["672", "70", "Tilskudd", "5 000", "-", "5 000"],
        ["Totalt", None, None, "120 900", "350", "121 250"],
    ]
    merges = [
        ("Budsjett 2023", "A4:A5", "Kap"),
        ("Budsjett 2023", "B4:B5", "Post"),
        ("Budsjett 2023", "C4:C5", "Postnavn"),
        ("Budsjett 2023", "D4:D5", "Tildelingsbrev"),
        ("Budsjett 2023", "E4:F4", "Tillegg nr. 3"),
    ]
    return write_xlsx(tmp_path / "kontor.xlsx", {"Budsjett 2023": rows}, merges=merges)


def test_office_workbook_reads_merged_two_row_header_in_thousands(office_workbook):
    read = read_workbook(office_workbook)
    assert len(read.tables) == 1
    table = read.tables[0]
    assert (table.sheet, table.layout, table.header_rows) == ("Budsjett 2023", "overview", (4, 5))
    assert (table.first_row, table.last_row) == (6, 11)
    assert table.unit == 1000 and table.unit_source.cell == "A2"
    assert [(c.letter, c.role, c.letter_no) for c in table.columns] == [
        ("A", "kap", None),
        ("B", "post_no", None),
        ("C", "name", None),
        ("D", "original", 0),
        ("E", "change", 3),
        ("F", "total_after", 3),
    ]
    assert table.columns[4].header == "Tillegg nr. 3 / Endring"
    assert table.posts == (Post(671, 1), Post(671, 21), Post(671, 60), Post(672, 70))
    first, second, _, last = table.rows
    assert amounts(first, table, "change", 3) == D(-1_250_000)
    assert first.cell(table.column("change", 3)).amount.precision == D(500)
    assert amounts(second, table, "change", 3) == D(-400_000)
    assert amounts(second, table, "original") == D(3_400_000)
    assert amounts(last, table, "change", 3) == D(0)
    assert second.key_source.cell == "B7"
    assert [(t.row, t.label, t.kap) for t in table.total_rows] == [(9, "Sum kap. 671", 671), (11, "Totalt", None)]
    assert amounts(table.total_rows[1], table, "total_after", 3) == D(121_250_000)
    assert read.issues == ()


def test_office_workbook_explains_its_layout(office_workbook):
    text = explain_layout(read_workbook(office_workbook))
    assert "overskrift rad 4–5" in text
    assert "enhet: 1 000 kr (oppgitt i A2)" in text
    assert "total_after  «Tillegg nr. 3 / Sum etter»  [brev 3]" in text
    assert "sumrader: rad 9 «Sum kap. 671», rad 11 «Totalt»" in text
    assert "Merknader: ingen" in text


# --- (2) the four layouts ------------------------------------------------------------------


@pytest.fixture
def overview_workbook(tmp_path):
    """Layout (a): one row per post, one column per letter, a total; numbers in whole kroner.

    Expected reading:
    - header row 3; unit 1 ("Beløp i hele kroner" in A1)
    - C original 0, D change 1 ("T1"), E change 2 ("Tillegg 2"), F change 3 ("Endring tillegg nr. 3"),
      G change with no letter number ("RNB": issue letter_unknown), H total ("Samlet tildeling")
    - posts 671/21 (671.21 as a number) and 671/60 (671.6: Excel dropped the zero of 671.60; an info
      issue, since 671.21 has two decimals)
    - 671/21 change 3 = -20 000,50 exactly; total row 6 "Sum"
    """
    rows = [
        ["Beløp i hele kroner"],
        [],
        ["Kap./post", "Postnavn", "Tildelingsbrev", "T1", "Tillegg 2", "Endring tillegg nr. 3", "RNB", "Samlet tildeling"],
        [671.21, "Spesielle driftsutgifter", 1_000_000, 50_000, 0, -20_000.5, 10_000, 1_039_999.5],
        [671.6, "Tilskudd", 2_000_000, 0, 125_000, 0, 0, 2_125_000],
        ["Sum", None, 3_000_000, 50_000, 125_000, -20_000.5, 10_000, 3_164_999.5],
    ]
    return write_xlsx(tmp_path / "oversikt.xlsx", {"Oversikt": rows})


def test_overview_layout_gives_each_letter_column_its_number(overview_workbook):
    read = read_workbook(overview_workbook)
    (table,) = read.tables
    assert table.layout == "overview"
    assert table.unit == 1 and table.unit_source.cell == "A1"
    assert [(c.role, c.letter_no) for c in table.columns[2:]] == [
        ("original", 0),
        ("change", 1),
        ("change", 2),
        ("change", 3),
        ("change", None),
        ("total", None),
    ]
    assert table.posts == (Post(671, 21), Post(671, 60))
    assert amounts(table.rows[0], table, "change", 3) == D("-20000.5")
    assert table.rows[0].cell(table.column("change", 3)).amount.precision == 0
    assert [t.label for t in table.total_rows] == ["Sum"]
    kinds = issue_kinds(read)
    assert "letter_unknown" in kinds
    one_decimal = [i for i in read.issues if i.kind == "one_decimal_post"]
    assert len(one_decimal) == 1 and one_decimal[0].severity == "info" and one_decimal[0].cell == "A5"
    assert "671/60" in one_decimal[0].message


@pytest.fixture
def letter_sheets_workbook(tmp_path):
    """Layout (b): a sheet per letter mirroring its table ("Kap./post", "Postnavn", "Sum").

    Expected reading:
    - sheet "Tildelingsbrev": letter 0, the Sum column is role original (letter 0)
    - sheet "Tillegg 3": letter 3 from the sheet name; Sum column role change, letter 3
    - sheet "T4": letter 4
    - sheet "Ark4": letter 5 from the title row "Tillegg nr. 5 til tildelingsbrev for 2023", amounts
      in 1 000 kr from the same title
    - every sheet: posts 671/21 and 671/60, a total row "Sum"
    """

    def sheet(title=None, unit_amounts=(1000, 2000)):
        rows = [[title]] if title else []
        rows += [
            ["Kap./post", "Postnavn", "Sum"],
            ["671/21", "Spesielle driftsutgifter", unit_amounts[0]],
            ["671/60", "Tilskudd", unit_amounts[1]],
            ["Sum", None, unit_amounts[0] + unit_amounts[1]],
        ]
        return rows

    return write_xlsx(
        tmp_path / "brev.xlsx",
        {
            "Tildelingsbrev": sheet(),
            "Tillegg 3": sheet(),
            "T4": sheet(unit_amounts=(-500, 700)),
            "Ark4": sheet("Tillegg nr. 5 til tildelingsbrev for 2023 (i 1 000 kr)", (12, 13)),
        },
    )


def test_letter_sheets_take_the_letter_number_from_sheet_name_or_title(letter_sheets_workbook):
    read = read_workbook(letter_sheets_workbook)
    by_sheet = {table.sheet: table for table in read.tables}
    assert set(by_sheet) == {"Tildelingsbrev", "Tillegg 3", "T4", "Ark4"}
    assert all(table.layout == "letter_sheet" for table in read.tables)
    assert {name: table.letter_no for name, table in by_sheet.items()} == {
        "Tildelingsbrev": 0,
        "Tillegg 3": 3,
        "T4": 4,
        "Ark4": 5,
    }
    assert by_sheet["Tildelingsbrev"].columns[2].role == "original"
    # A supplement's own table states what the agency disposes of after it: a total after the letter.
    assert (by_sheet["Tillegg 3"].columns[2].role, by_sheet["Tillegg 3"].columns[2].letter_no) == ("total_after", 3)
    t4 = by_sheet["T4"]
    assert amounts(t4.rows[0], t4, "total_after", 4) == D(-500)
    ark4 = by_sheet["Ark4"]
    assert ark4.unit == 1000 and ark4.unit_source.cell == "A1"
    assert amounts(ark4.rows[1], ark4, "total_after", 5) == D(13_000)
    assert all(table.posts == (Post(671, 21), Post(671, 60)) for table in read.tables)
    assert all([t.label for t in table.total_rows] == ["Sum"] for table in read.tables)


@pytest.fixture
def note_a_workbook(tmp_path):
    """Layout (c): Note A with Kapittel on the first row of each group only.

    Expected reading:
    - layout note_a; columns kap, post_no, name, carried_over, allocation, total
    - posts 671/01, 671/21, 3671/01 (Kapittel filled down from 671, then 3671)
    - "Sum kap 671" is a total row (kap 671), "Sum" is a total row
    - 671/21 carried over 12 345, allocation 200 000, total 212 345 (whole kroner, not stated: info issue)
    """
    rows = [
        ["Note A Bevilgningsrapportering 2023"],
        ["Kapittel", "Post", "Posttekst", "Overført fra i fjor", "Årets tildelinger", "Samlet tildeling"],
        [671, 1, "Driftsutgifter", 0, 500_000, 500_000],
        [None, 21, "Spesielle driftsutgifter", 12_345, 200_000, 212_345],
        ["Sum kap 671", None, None, 12_345, 700_000, 712_345],
        [3671, 1, "Diverse inntekter", 0, 1_000, 1_000],
        ["Sum", None, None, 12_345, 701_000, 713_345],
    ]
    return write_xlsx(tmp_path / "note_a.xlsx", {"Note A": rows})


def test_note_a_layout_fills_kapittel_down(note_a_workbook):
    read = read_workbook(note_a_workbook)
    (table,) = read.tables
    assert table.layout == "note_a"
    assert [c.role for c in table.columns] == ["kap", "post_no", "name", "carried_over", "allocation", "total"]
    assert table.posts == (Post(671, 1), Post(671, 21), Post(3671, 1))
    row = table.rows[1]
    assert (amounts(row, table, "carried_over"), amounts(row, table, "allocation"), amounts(row, table, "total")) == (
        D(12_345),
        D(200_000),
        D(212_345),
    )
    assert [(t.label, t.kap) for t in table.total_rows] == [("Sum kap 671", 671), ("Sum", None)]
    assert "unit_not_stated" in issue_kinds(read)


@pytest.fixture
def transactions_workbook(tmp_path):
    """Layout (d): a transaction list, one row per budget entry.

    Expected reading:
    - layout transactions; columns date, reference, kap, post_no, text, amount, letter_ref
    - amounts in 1 000 kr from the header "Beløp (i 1 000 kr)" (column unit, cell F1)
    - 5 rows: 671/21 letter 0 ("Tildelingsbrev"), 671/21 letter 3 ("T3"), 671/60 letter 3 ("Tillegg 3"),
      671/60 letter 4 (the number 4), 672/01 letter 0 ("TB")
    - 671/60 in row 4 is -1 308 000 ("(1 308)")
    - row 7 has an amount and no post: an issue, not a row; "Sum" in row 8 is a total row
    """
    rows = [
        ["Dato", "Bilag/Referanse", "Kap", "Post", "Tekst", "Beløp (i 1 000 kr)", "Tillegg"],
        [dt.date(2023, 1, 10), "B-1", 671, 21, "Tildeling", 1_000, "Tildelingsbrev"],
        [dt.date(2023, 3, 1), "B-2", 671, 21, "Økning", 250, "T3"],
        [dt.date(2023, 3, 1), "B-3", 671, 60, "Reduksjon", "(1 308)", "Tillegg 3"],
        [dt.date(2023, 5, 2), "B-4", 671, 60, "RNB", 42, 4],
        [dt.date(2023, 1, 10), "B-5", 672, 1, "Drift", 10, "TB"],
        [dt.date(2023, 6, 1), "B-6", None, None, "Uten post", 5, "T4"],
        [None, None, None, None, "Sum", -1, None],
    ]
    return write_xlsx(tmp_path / "transaksjoner.xlsx", {"Føringer": rows})


def test_transaction_list_reads_which_letter_each_entry_books(transactions_workbook):
    read = read_workbook(transactions_workbook)
    (table,) = read.tables
    assert table.layout == "transactions"
    assert [c.role for c in table.columns] == ["date", "reference", "kap", "post_no", "text", "amount", "letter_ref"]
    amount_column = table.column("amount")
    assert amount_column.unit == 1000 and amount_column.unit_source.cell == "F1"
    assert [(row.post, row.letter_no) for row in table.rows] == [
        (Post(671, 21), 0),
        (Post(671, 21), 3),
        (Post(671, 60), 3),
        (Post(671, 60), 4),
        (Post(672, 1), 0),
    ]
    assert amounts(table.rows[2], table, "amount") == D(-1_308_000)
    assert table.rows[0].cell(table.column("date")).raw == dt.date(2023, 1, 10)
    assert [(t.row, t.label) for t in table.total_rows] == [(8, "Sum")]
    (missing,) = [i for i in read.issues if i.kind == "amount_without_post"]
    assert missing.cell == "F7"


# --- (3) posts in every form ---------------------------------------------------------------


@pytest.fixture
def post_forms_workbook(tmp_path):
    """Posts written every way finance offices write them, one per row in a "Kap./post" column.

    Expected reading (row: post): 2 671/71 ("671/71"), 3 671/72 ("671.72" text), 4 671/73 ("0671 73"),
    5 671/74 ("671 74"), 6 671/75 ("Kap. 671 post 75"), 7 671/76 (671.76 number), 8 670/01 (670.01
    number), 9 671/10 (671.1 number; other rows have two decimals: info issue),
    10 671/21 ("671/21 Spesielle driftsutgifter"); row 11 "671 Bosetting" is a kapittel heading, so row
    12 "45" is 671/45 and row 13 "Post 70 Tilskudd" is 671/70.
    """
    forms = ["671/71", "671.72", "0671 73", "671 74", "Kap. 671 post 75", 671.76, 670.01, 671.1,
             "671/21 Spesielle driftsutgifter", "671 Bosetting av flyktninger", "45", "Post 70 Tilskudd"]
    rows = [["Kap./post", "Tildelingsbrev"]] + [[form, 100 + i] for i, form in enumerate(forms)]
    rows[10][1] = None  # the heading row has no amount
    return write_xlsx(tmp_path / "poster.xlsx", {"Ark1": rows})


def test_posts_are_read_in_every_written_form(post_forms_workbook):
    read = read_workbook(post_forms_workbook)
    (table,) = read.tables
    assert [(row.row, str(row.post)) for row in table.rows] == [
        (2, "671/71"),
        (3, "671/72"),
        (4, "671/73"),
        (5, "671/74"),
        (6, "671/75"),
        (7, "671/76"),
        (8, "670/01"),
        (9, "671/10"),
        (10, "671/21"),
        (12, "671/45"),
        (13, "671/70"),
    ]
    (note,) = [i for i in read.issues if i.kind == "one_decimal_post"]
    assert note.severity == "info" and note.cell == "A9"


def test_one_decimal_posts_alone_are_ambiguous_and_a_layout_file_decides(tmp_path):
    """A column of posts that all have one decimal (671.1, 671.2): read as 671/10 and 671/20 with a
    warning; with one_decimal_posts = "units" in a layout file, as 671/01 and 671/02, no warning."""
    path = write_xlsx(tmp_path / "en.xlsx", {"Ark1": [["Kap./post", "Tildelingsbrev"], [671.1, 5], [671.2, 6]]})
    read = read_workbook(path)
    assert read.tables[0].posts == (Post(671, 10), Post(671, 20))
    (warning,) = [i for i in read.issues if i.kind == "one_decimal_post"]
    assert warning.severity == "warning" and "units" in warning.message
    layout_file = tmp_path / "oppsett.toml"
    layout_file.write_text('one_decimal_posts = "units"\n', encoding="utf-8")
    read = read_workbook(path, load_layout(layout_file))
    assert read.tables[0].posts == (Post(671, 1), Post(671, 2))
    assert "one_decimal_post" not in issue_kinds(read)


# --- (5) total rows ------------------------------------------------------------------------


def test_total_rows_are_excluded_from_posts_but_returned(tmp_path):
    """Sum rows of every kind.

    Expected reading: posts 671/01, 671/21, 672/01; total rows: 4 "Sum kap. 671" (kap 671),
    5 "671 Bosetting" heading with amounts (kap 671), 7 "Sum" and 8 with amounts but no text at all
    (unlabelled: info issue); none of them among the posts.
    """
    rows = [
        ["Kap./post", "Postnavn", "Tildelingsbrev"],
        ["671/01", "Drift", 10],
        ["671/21", "Spesielle", 20],
        ["Sum kap. 671", None, 30],
        ["671 Bosetting", None, 30],
        ["672/01", "Drift", 5],
        ["Sum", None, 35],
        [None, None, 35],
    ]
    read = read_workbook(write_xlsx(tmp_path / "sum.xlsx", {"Ark1": rows}))
    (table,) = read.tables
    assert table.posts == (Post(671, 1), Post(671, 21), Post(672, 1))
    assert [(t.row, t.label, t.kap) for t in table.total_rows] == [
        (4, "Sum kap. 671", 671),
        (5, "Bosetting", 671),
        (7, "Sum", None),
        (8, "", None),
    ]
    assert amounts(table.total_rows[2], table, "original") == D(35)
    assert "unlabelled_total" in issue_kinds(read)


# --- units, sheets, formats ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "value", "kroner", "precision"),
    [
        ("Tall i 1000 kr", 12, D(12_000), D(500)),
        ("Tildeling (1000 kr)", 12, D(12_000), D(500)),
        ("NOK 1000", "1 308", D(1_308_000), D(500)),
        ("Beløp i mill. kr", 12.5, D(12_500_000), D(50_000)),
        ("Beløp i hele kroner", 12.5, D("12.5"), D(0)),
    ],
)
def test_units_stated_in_a_title_convert_to_kroner_with_half_unit_precision(tmp_path, title, value, kroner, precision):
    rows = [[title], ["Kap./post", "Postnavn", "Tildelingsbrev"], ["671/21", "Drift", value]]
    read = read_workbook(write_xlsx(tmp_path / "enhet.xlsx", {"Ark1": rows}))
    (table,) = read.tables
    amount = table.rows[0].cell(table.column("original")).amount
    assert (amount.value, amount.precision) == (kroner, precision)


def test_hidden_sheet_is_read_and_said_and_chart_sheet_skipped(tmp_path):
    """A hidden sheet's table is read, with an info issue; a chart sheet is skipped, with an issue."""
    path = tmp_path / "skjult.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Skjult")
    for r, row in enumerate([["Kap./post", "Tildelingsbrev"], ["671/21", 7]]):
        sheet.write_row(r, 0, row)
    sheet.hide()
    workbook.add_worksheet("Synlig").activate()
    chart = workbook.add_chart({"type": "column"})
    chart.add_series({"values": "=Skjult!$B$2:$B$2"})
    workbook.add_chartsheet("Diagram").set_chart(chart)
    workbook.close()
    read = read_workbook(path)
    (table,) = read.tables
    assert table.sheet == "Skjult" and table.sheet_hidden
    hidden = [i for i in read.issues if i.kind == "hidden_sheet"]
    assert [i.sheet for i in hidden] == ["Skjult"]
    skipped = [i for i in read.issues if i.kind == "sheet_skipped"]
    assert [i.sheet for i in skipped] == ["Diagram"]
    assert [(s.name, s.read) for s in read.sheets] == [("Skjult", True), ("Synlig", True), ("Diagram", False)]


def test_two_tables_on_one_sheet_are_read_separately(tmp_path):
    """Expenditure and income tables on one sheet, a blank row and a title between them.

    Expected: table 1 header row 1, posts 671/21; table 2 header row 6, posts 3671/01, unit 1 000 kr
    from its own title in row 5.
    """
    rows = [
        ["Kap./post", "Postnavn", "Tildelingsbrev"],
        ["671/21", "Drift", 100],
        ["Sum", None, 100],
        [],
        ["Inntekter (i 1 000 kr)"],
        ["Kap./post", "Postnavn", "Tildelingsbrev"],
        ["3671/01", "Inntekter", 7],
    ]
    read = read_workbook(write_xlsx(tmp_path / "to.xlsx", {"Ark1": rows}))
    first, second = read.tables
    assert (first.header_rows, first.posts, first.unit) == ((1,), (Post(671, 21),), 1)
    assert (second.header_rows, second.posts, second.unit) == ((6,), (Post(3671, 1),), 1000)


def test_workbook_without_post_table_is_not_an_error(tmp_path):
    path = write_xlsx(tmp_path / "tom.xlsx", {"Notater": [["Møtereferat"], ["Ingen tall her"]]})
    read = read_workbook(path)
    assert read.tables == ()
    assert issue_kinds(read) == ["no_post_table"]
    assert len(read.sha256) == 64


def test_xlsm_and_misnamed_files_are_read_by_content(tmp_path):
    rows = {"Ark1": [["Kap./post", "Tildelingsbrev"], ["671/21", 7]]}
    macro = write_xlsx(tmp_path / "makro.xlsm", rows)
    assert read_workbook(macro).format == "xlsm"
    misnamed = tmp_path / "egentlig.ods"
    misnamed.write_bytes(write_xlsx(tmp_path / "x.xlsx", rows).read_bytes())
    read = read_workbook(misnamed)
    assert read.format == "xlsx" and read.tables[0].posts == (Post(671, 21),)
    assert "format_by_content" in issue_kinds(read)


def write_ods(path: Path, rows: list[list]) -> Path:
    cells = []
    for row in rows:
        parts = []
        for value in row:
            if value is None:
                parts.append("<table:table-cell/>")
            elif isinstance(value, str):
                parts.append(f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>')
            else:
                parts.append(f'<table:table-cell office:value-type="float" office:value="{value!r}"><text:p>{value}</text:p></table:table-cell>')
        cells.append("<table:table-row>" + "".join(parts) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Oversikt">'
        + "".join(cells)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>',
        )
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def test_ods_workbook_with_unmerged_group_header(tmp_path):
    """An .ods (no merge information) whose group label "Tillegg nr. 2" stands over two sub-columns.

    Expected: header rows 1–2; D change letter 2 ("Tillegg nr. 2 / Endring"), E total_after letter 2;
    671/21 change 5 000.
    """
    rows = [
        ["Kap./post", "Postnavn", "Tildelingsbrev", "Tillegg nr. 2", None],
        [None, None, None, "Endring", "Sum etter"],
        ["671/21", "Drift", 10_000, 5_000, 15_000],
    ]
    read = read_workbook(write_ods(tmp_path / "oversikt.ods", rows))
    assert read.format == "ods"
    (table,) = read.tables
    assert table.header_rows == (1, 2)
    assert [(c.role, c.letter_no) for c in table.columns[3:]] == [("change", 2), ("total_after", 2)]
    assert amounts(table.rows[0], table, "change", 2) == D(5_000)


# --- layout files --------------------------------------------------------------------------


def test_layout_file_roles_win_over_inference(tmp_path):
    """A sheet whose headers the vocabulary does not know, and an RNB column without a number.

    Layout file: "Budsjettkonto" is the post, column D is the change of letter 5, "Justert" is
    unknown; the sheet "Notater" is skipped. Expected: posts 671/21; D change 5 from the layout file;
    no letter_unknown issue; "Notater" skipped with an info issue.
    """
    rows = [
        ["Budsjettkonto", "Navn", "Tildelingsbrev", "RNB", "Justert"],
        ["671/21", "Drift", 100, 7, 107],
    ]
    path = write_xlsx(tmp_path / "egen.xlsx", {"Oversikt": rows, "Notater": [["Kap./post", "Sum"], ["671/21", 1]]})
    layout_file = tmp_path / "oppsett.toml"
    layout_file.write_text(
        '[headers]\n"Budsjettkonto" = "post"\n"Justert" = "unknown"\n'
        '[[sheet]]\nname = "Oversikt"\n[sheet.columns]\nD = { role = "change", letter = 5 }\n'
        '[[sheet]]\nname = "Notater"\nskip = true\n',
        encoding="utf-8",
    )
    read = read_workbook(path, load_layout(layout_file))
    (table,) = read.tables
    assert table.sheet == "Oversikt" and table.posts == (Post(671, 21),)
    d = table.columns[3]
    assert (d.role, d.letter_no, d.assigned_by) == ("change", 5, "layout file")
    assert table.columns[0].assigned_by == "layout file"
    assert "letter_unknown" not in issue_kinds(read)
    assert [i.sheet for i in read.issues if i.kind == "sheet_skipped"] == ["Notater"]
    assert read.layout_file == str(layout_file)
    assert "fra layoutfil" in explain_layout(read)


def test_layout_file_header_rows_and_unit(tmp_path):
    """header_rows names a header the vocabulary would not find; unit = 1000 applies."""
    rows = [["Konto", "Beløp"], ["671/21", 3]]
    path = write_xlsx(tmp_path / "rader.xlsx", {"Ark1": rows})
    layout_file = tmp_path / "l.toml"
    layout_file.write_text(
        '[[sheet]]\nname = "Ark1"\nheader_rows = [1]\nunit = 1000\nlayout = "letter_sheet"\nletter = 2\n'
        '[sheet.columns]\nA = "post"\nB = "change"\n',
        encoding="utf-8",
    )
    (table,) = read_workbook(path, load_layout(layout_file)).tables
    assert (table.header_rows, table.unit, table.letter_no) == ((1,), 1000, 2)
    assert amounts(table.rows[0], table, "change") == D(3000)


# --- columns the header does not settle ----------------------------------------------------


def test_key_column_without_header_is_found_from_its_values(tmp_path):
    """Column A has no header but holds posts: read as the key, with an info issue."""
    rows = [
        [None, "Postnavn", "Tildelingsbrev", "Tillegg 1"],
        ["671/21", "Drift", 10, 1],
        ["671/60", "Tilskudd", 20, 2],
    ]
    read = read_workbook(write_xlsx(tmp_path / "uten.xlsx", {"Ark1": rows}))
    (table,) = read.tables
    assert (table.columns[0].role, table.columns[0].assigned_by) == ("post", "values")
    assert table.posts == (Post(671, 21), Post(671, 60))
    assert "key_inferred" in issue_kinds(read)


def test_two_columns_claiming_one_role_are_reported_as_ambiguous(tmp_path):
    rows = [
        ["Kap./post", "Tildelingsbrev", "Tildelingsbrev", "T2"],
        ["671/21", 10, 11, 1],
    ]
    read = read_workbook(write_xlsx(tmp_path / "to.xlsx", {"Ark1": rows}))
    (issue,) = [i for i in read.issues if i.kind == "ambiguous_role"]
    assert "B «Tildelingsbrev» og C «Tildelingsbrev»" in issue.message


def test_text_that_is_not_an_amount_is_kept_raw_and_reported(tmp_path):
    rows = [["Kap./post", "Tildelingsbrev"], ["671/21", "se note 3"], ["671/60", True]]
    read = read_workbook(write_xlsx(tmp_path / "tekst.xlsx", {"Ark1": rows}))
    table = read.tables[0]
    cell = table.rows[0].cell(1)
    assert (cell.raw, cell.amount, cell.source.cell) == ("se note 3", None, "B2")
    assert [(i.cell, i.kind) for i in read.issues if i.kind == "not_an_amount"] == [
        ("B2", "not_an_amount"),
        ("B3", "not_an_amount"),
    ]


def test_records_serialise_to_plain_data(office_workbook):
    data = read_workbook(office_workbook).to_dict()
    table = data["tables"][0]
    assert table["columns"][4] == {
        "index": 4,
        "letter": "E",
        "header": "Tillegg nr. 3 / Endring",
        "role": "change",
        "letter_no": 3,
        "unit": D(1000),
        "unit_source": {"file": "kontor.xlsx", "sheet": "Budsjett 2023", "cell": "A2"},
        "assigned_by": "vocabulary",
    }
    first = table["rows"][0]
    assert first["post"] == "671/01"
    assert first["cells"]["4"]["amount"] == {"value": D(-1_250_000), "precision": D(500)}
    assert first["cells"]["4"]["source"]["cell"] == "E6"
