"""Never pass what was not read (issue 15, item 1).

A sheet python-calamine gives up on (an error value it does not know, `#GETTING_DATA`) is read by
the project's own reader; a sheet that still cannot be read is a finding of its own status
(`unreadable`) that fails the run; an Excel 4 macro sheet is skipped with a note while the other
sheets are read. The workbooks are the seeded samples, changed part by part (tests/hostile_files.py).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reconcile.cli import cli, main
from reconcile.workbook import read_workbook
from reconcile.workbook.cells import load_grid, open_workbook, sheets
from reconcile.workbook.container import inspect

sys.path.insert(0, str(Path(__file__).parent))
from test_first_hour import ENGLISH, NORWEGIAN, _words  # noqa: E402
from hostile_files import (  # noqa: E402
    MACROSHEET_TYPE, add_sheets, cell, rewrite_package, row, table_rows, worksheet, write_xlsx,
)

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SEEDED = SAMPLES / "oversikt-feil.xlsx"  # 8 seeded discrepancies (its manifest)
SHEET = "xl/worksheets/sheet1.xml"
# Neither python-calamine nor the own reader can read it: a shared string that does not exist.
BROKEN = worksheet(table_rows([["Kap./post", "Beløp"], ["671/21", 1000]]) + '<row r="3"><c r="A3" t="s"><v>99</v></c></row>')


def check(path: Path, tmp_path: Path) -> tuple[int, dict, str]:
    report = tmp_path / f"{path.stem}.json"
    result = CliRunner().invoke(cli, [str(path), "--no-annotate", "--json", str(report)], catch_exceptions=False)
    data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    return result.exit_code, data, result.output


def findings(data: dict) -> list[tuple]:
    [workbook] = data["workbooks"]
    return sorted((f["sheet"], f["cell"], f["post"], f["status"]) for f in workbook["findings"])


def with_error_value(tmp_path: Path, value: str, at: str, name: str) -> Path:
    """The seeded sample with the error value `value` in cell `at` of its only sheet."""

    def change(parts):
        xml = parts[SHEET].decode("utf-8")
        old = f'<c r="{at}" s="3"><v>'
        if old in xml:
            start = xml.index(old)
            end = xml.index("</c>", start) + 4
            xml = xml[:start] + f'<c r="{at}" s="3" t="e"><v>{value}</v></c>' + xml[end:]
        else:  # a new cell at the end of row 1
            xml = xml.replace("</row>", f'<c r="{at}" t="e"><v>{value}</v></c></row>', 1)
        parts[SHEET] = xml.encode("utf-8")

    return rewrite_package(SEEDED, tmp_path / name, change)


@pytest.mark.parametrize("at", ["M1", "K9"])
def test_unknown_error_value_reads_the_sheet_like_na(tmp_path, at):
    getting = with_error_value(tmp_path, "#GETTING_DATA", at, "henter.xlsx")
    na = with_error_value(tmp_path, "#N/A", at, "na.xlsx")
    code, data, output = check(getting, tmp_path)
    na_code, na_data, _ = check(na, tmp_path)
    assert (code, na_code) == (1, 1)
    assert findings(data) == findings(na_data)
    assert sum(1 for f in findings(data) if f[3] == "mismatch") >= 7
    # the cell is noted; python-calamine's reason for giving the sheet to the own reader is said in bokmål
    assert [line for line in output.splitlines() if "feilverdi" in line and f"Oversikt!{at}" in line]
    [handed_over] = [line for line in output.splitlines() if "python-calamine" in line]
    assert "kunne ikke lese arket (en celle har en feilverdi leseren ikke kjenner" in handed_over
    assert not any(f[3] == "unreadable" for f in findings(data))


def test_error_value_in_an_amount_cell_is_never_read_as_an_amount(tmp_path):
    path = with_error_value(tmp_path, "#GETTING_DATA", "K9", "henter.xlsx")
    read = read_workbook(path)
    [table] = read.tables
    [row9] = [r for r in table.rows if r.row == 9]
    value = row9.cells[10]
    assert value.amount is None and value.error == "#GETTING_DATA"


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.xlsx")), ids=lambda p: p.name)
def test_own_reader_gives_the_grid_calamine_gives(sample):
    from reconcile.workbook.sheet_xml import XmlWorkbook

    found = inspect(sample)
    own = XmlWorkbook(sample, found)
    workbook = open_workbook(sample, by_content=False)
    for meta in sheets(workbook):
        grid = load_grid(workbook, meta.name)
        mine = own.load_grid(meta.name)
        assert (mine.first_row, mine.first_column, mine.height, mine.width) == (
            grid.first_row, grid.first_column, grid.height, grid.width)
        assert list(mine.rows()) == list(grid.rows())
        assert sorted(mine.merged) == sorted(grid.merged)


def test_implicit_cell_positions_follow_the_previous_cell(tmp_path):
    from reconcile.workbook.sheet_xml import XmlWorkbook

    xml = worksheet(row(None, [cell(None, "Kap./post"), cell(None, "Beløp")])
                    + row(None, [cell(None, "671/21"), cell(None, 1000)])
                    + row(5, [cell("B5", "x"), cell(None, 7)]))
    path = write_xlsx(tmp_path / "implisitt.xlsx", [("Ark1", xml)])
    grid = XmlWorkbook(path, inspect(path)).load_grid("Ark1")
    assert list(grid.rows()) == [(1, ["Kap./post", "Beløp", ""]), (2, ["671/21", 1000.0, ""]),
                                 (3, ["", "", ""]), (4, ["", "", ""]), (5, ["", "x", 7.0])]


def test_implicit_error_and_formula_cells_are_reported_in_their_place(tmp_path):
    xml = worksheet(table_rows([["Kap./post", "Tildelingsbrev"], ["671/21", 1000], ["671/60", 2000]])
                    + row(None, [cell(None, "671/62"), '<c t="e"><v>#GETTING_DATA</v></c>'])
                    + row(None, [cell(None, "671/70"), "<c><f>SUM(B2:B3)</f></c>"]))
    read = read_workbook(write_xlsx(tmp_path / "implisitt.xlsx", [("Ark1", xml)]))
    [table] = read.tables
    cells = {row.row: row.cells[1] for row in table.rows}
    assert cells[4].error == "#GETTING_DATA" and cells[4].amount is None
    assert cells[5].formula_without_value and cells[5].amount is None
    assert {(issue.cell, issue.kind) for issue in read.issues if issue.cell} >= {("B4", "error"),
                                                                                ("B5", "formula_without_value")}


def test_sheet_that_cannot_be_read_is_an_unreadable_finding_and_fails_the_run(tmp_path):
    clean = SAMPLES / "oversikt.xlsx"
    path = rewrite_package(clean, tmp_path / "med-skadet-ark.xlsx",
                           lambda parts: add_sheets(parts, [("Skadet\nark", BROKEN)]))
    code, data, output = check(clean, tmp_path)
    assert code == 0
    code, data, output = check(path, tmp_path)
    assert code == 1
    [unread] = [f for f in data["workbooks"][0]["findings"] if f["status"] == "unreadable"]
    assert unread["sheet"] == "Skadet\nark"
    assert "kunne ikke leses" in unread["cause_detail"]
    assert "Ikke lest: 1" in output
    [shown] = [line for line in output.splitlines() if "Ikke lest –" in line]
    assert shown.split()[:2] == ["Skadet", "ark"]  # the name's line break does not split the line
    assert "delt tekst nr. 99" in shown
    assert not any(line.startswith("ark") for line in output.splitlines())


def test_workbook_whose_only_sheet_cannot_be_read_exits_two_naming_it(tmp_path, capsys):
    path = write_xlsx(tmp_path / "skadet.xlsx", [("Budsjett", BROKEN)])
    said = {}
    for lang in ("en", "nb"):
        with pytest.raises(SystemExit) as exit_info:
            main([str(path), "--no-annotate", "--lang", lang])
        assert exit_info.value.code == 2
        [said[lang]] = capsys.readouterr().err.strip().splitlines()
        assert str(path) in said[lang]
    assert "sheet «Budsjett» was not read" in said["en"] and "shared text no. 99, which does not exist" in said["en"]
    assert _words(said["en"].replace(str(path), "")) & NORWEGIAN == set()
    assert "arket «Budsjett» ble ikke lest" in said["nb"] and "delt tekst nr. 99" in said["nb"]
    assert _words(said["nb"].replace(str(path), "")) & ENGLISH == set()


def test_excel_4_macro_sheet_is_skipped_and_the_others_read(tmp_path):
    macro = worksheet(row(1, [cell("A1", "=HALT()")]))
    path = rewrite_package(SEEDED, tmp_path / "makro.xlsx",
                           lambda parts: add_sheets(parts, [("Makro1", macro)], kind=MACROSHEET_TYPE))
    read = read_workbook(path)
    assert [table.sheet for table in read.tables] == ["Oversikt"]
    [note] = [issue for issue in read.issues if issue.sheet == "Makro1"]
    assert note.kind == "sheet_skipped" and "makroark" in note.message
    code, data, _ = check(path, tmp_path)
    seeded_code, seeded, _ = check(SEEDED, tmp_path)
    assert (code, findings(data)) == (seeded_code, findings(seeded))


CORPUS = Path(__file__).parents[2] / "shared" / "xlsx-corpus"
_WHEN = (dt.date, dt.datetime, dt.time, dt.timedelta)


def _comparable(rows):
    """Rows with a date, time or duration as one token: how a custom number format shows a serial
    number is python-calamine's own guess, and either reading is never an amount."""
    return [(number, ["<when>" if isinstance(value, _WHEN) else value for value in values]) for number, values in rows]


def test_own_reader_reads_every_corpus_sheet_as_calamine_does():
    from reconcile.errors import InputError
    from reconcile.workbook.cells import SheetUnreadable
    from reconcile.workbook.sheet_xml import XmlWorkbook

    files = sorted(CORPUS.glob("*.xls*")) if CORPUS.is_dir() else []
    if not files:
        pytest.skip("the shared corpus is not here")
    compared, differ = 0, []
    for path in files:
        try:
            found = inspect(path)
            workbook = open_workbook(path, by_content=False)
        except InputError:
            continue
        own = XmlWorkbook(path, found)
        for meta in sheets(workbook):
            extent = found.sheet_extent(meta.name)
            if meta.kind != "worksheet" or (extent is not None and extent.cells > 2_000_000):
                continue
            try:
                grid = load_grid(workbook, meta.name)
                theirs = _comparable(grid.rows())
            except SheetUnreadable:
                continue
            mine = own.load_grid(meta.name)
            compared += 1
            if (mine.first_row, mine.first_column, mine.height, mine.width) != (
                    grid.first_row, grid.first_column, grid.height, grid.width) or _comparable(mine.rows()) != theirs:
                differ.append(f"{path.name}!{meta.name}")
    assert compared > 300
    assert differ == []
