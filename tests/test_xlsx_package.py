"""The annotated copy: marks, notes and summary sheets written into the package losslessly."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import tracemalloc
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from reconcile.errors import InputError, OutputError
from reconcile.output import ooxml, sheet_stream
from reconcile.output.xlsx_package import (
    STATUS_BORDER_COLOURS, STATUS_COLOURS, STATUS_LABELS, AnnotationReport, CellMark, Link,
    NewSheet, write_annotated_copy,
)

MAIN = "Budsjett 2024"
OTHER = "O'Hara & co"
PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


# --- fixtures -------------------------------------------------------------------------------

@pytest.fixture
def budget(tmp_path: Path) -> Path:
    """A small agency budget workbook.

    «Budsjett 2024»: A1:C1 bold headers; A2:A4 post numbers as text; B2:B4 amounts 100, 200, 300
    (format `# ##0`); B5 `=SUM(B2:B4)` with cached 600; C2 `=A2&"x"` with cached text "0100x";
    B7 has the comment «Gammel merknad»; D2:E3 merged («Flettet»); B2:B4 under conditional
    formatting; a table on G1:H3; an image at J2; data validation on A10; defined names
    «Totalt» (global) and «Lokal» (sheet-local). «O'Hara & co»: A1 = 42, B1 `=A1*2` cached 84.
    «Diagram»: a chartsheet. Known differences to mark: none — the tests choose the marks.
    """
    path = tmp_path / "budsjett.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    bold = wb.add_format({"bold": True})
    money = wb.add_format({"num_format": "# ##0"})
    ws = wb.add_worksheet(MAIN)
    ws.write_row("A1", ["Post", "Beløp", "Kontroll"], bold)
    for row, (post, amount) in enumerate([("0100", 100), ("0101", 200), ("0102", 300)], start=1):
        ws.write_string(row, 0, post)
        ws.write_number(row, 1, amount, money)
    ws.write_formula("B5", "=SUM(B2:B4)", money, 600)
    ws.write_formula("C2", '=A2&"x"', None, "0100x")
    ws.write_number("B7", 7)
    ws.write_comment("B7", "Gammel merknad")
    ws.merge_range("D2:E3", "Flettet")
    ws.conditional_format("B2:B4", {"type": "cell", "criteria": ">", "value": 150,
                                    "format": wb.add_format({"bg_color": "#FFFF00"})})
    ws.write_row("G1", ["Navn", "Verdi"])
    ws.add_table("G1:H3", {"columns": [{"header": "Navn"}, {"header": "Verdi"}],
                           "data": [["a", 1], ["b", 2]]})
    ws.insert_image("J2", "bilde.png", {"image_data": io.BytesIO(PNG_1X1)})
    ws.data_validation("A10", {"validate": "list", "source": ["ja", "nei"]})
    wb.define_name("Totalt", f"='{MAIN}'!$B$5")
    wb.define_name(f"'{MAIN}'!Lokal", f"='{MAIN}'!$B$2")
    other = wb.add_worksheet(OTHER)
    other.write_number("A1", 42)
    other.write_formula("B1", "=A1*2", None, 84)
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": f"='{MAIN}'!$B$2:$B$4"})
    chartsheet = wb.add_chartsheet("Diagram")
    chartsheet.set_chart(chart)
    wb.close()
    return path


def _marks() -> list[CellMark]:
    return [
        CellMark(MAIN, "B2", "match", "Stemmer med tildelingsbrevet."),
        CellMark(MAIN, "B5", "mismatch", "Sum 600 avviker fra brev 3 (650).\nSe tillegg nr. 2."),
        CellMark(MAIN, "A2", "explained", ""),
        CellMark(MAIN, "B7", "warning", "Ny merknad"),
        CellMark(MAIN, "E3", "missing", "Flettet celle"),
        CellMark(MAIN, "F20", "unexpected", "Celle som ikke fantes"),
        CellMark(OTHER, "A1", "mismatch", "Avvik på annet ark"),
    ]


def _summary() -> NewSheet:
    return NewSheet(
        "Avstemming",
        [["Ark", "Celle", "Forventet", "Faktisk", "Dato", "OK"],
         [Link(f"{MAIN}!B5", MAIN, "B5"), "B5", Decimal("650"), Decimal("600.5"),
          __import__("datetime").date(2024, 3, 1), False],
         [Link(f"{OTHER}!A1", OTHER, "A1"), "A1", 1_234_567, None, None, True]],
        column_widths=(30, 8, 14, 14, 12, 6),
        row_statuses=("mismatch", None),
    )


@pytest.fixture
def annotated(budget: Path, tmp_path: Path) -> tuple[Path, Path, AnnotationReport]:
    target = tmp_path / "budsjett.reconciled.xlsx"
    report = write_annotated_copy(budget, target, _marks(), [_summary()])
    return budget, target, report


# --- helpers --------------------------------------------------------------------------------

def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _cells(data: bytes) -> dict[str, dict]:
    """cell ref -> {attrs, f, v, is} from one sheet's XML."""
    out = {}
    for c in ET.fromstring(data).iter(f"{SHEET_NS}c"):
        f = c.find(f"{SHEET_NS}f")
        v = c.find(f"{SHEET_NS}v")
        out[c.get("r")] = {"attrs": dict(c.attrib), "f": None if f is None else (f.text, f.attrib),
                           "v": None if v is None else v.text}
    return out


def _calamine(path: Path) -> dict[str, list]:
    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in wb.sheet_names
            if name in (MAIN, OTHER) or name.startswith("Avstemming")}


def _openpyxl_values(path: Path, sheet: str) -> dict[str, object]:
    ws = openpyxl.load_workbook(path)[sheet]
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


def _fill(cell) -> str:
    return str(cell.fill.fgColor.rgb)


# --- what must survive ----------------------------------------------------------------------

def test_every_original_part_is_kept_and_only_annotation_parts_change(annotated) -> None:
    source, target, _ = annotated
    before, after = _parts(source), _parts(target)
    assert set(before) <= set(after)
    assert [n for n in after if n in before] == list(before)   # original order kept
    changed = {n for n in before if before[n] != after[n]}
    assert changed == {
        "[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
        "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
        "xl/comments1.xml", "xl/drawings/vmlDrawing1.vml",
    }
    # The sheet already had comments, so its relationships did not need to change.
    assert after["xl/worksheets/_rels/sheet1.xml.rels"] == before[
        "xl/worksheets/_rels/sheet1.xml.rels"]
    # Untouched: shared strings, the table, the image and its drawing, the chart, the theme.
    for name in ("xl/sharedStrings.xml", "xl/tables/table1.xml", "xl/media/image1.png",
                 "xl/drawings/drawing1.xml", "xl/charts/chart1.xml", "xl/theme/theme1.xml"):
        assert after[name] == before[name], name
    added = set(after) - set(before)
    assert added == {"xl/comments2.xml", "xl/drawings/vmlDrawing2.vml",
                     "xl/worksheets/_rels/sheet2.xml.rels", "xl/worksheets/sheet3.xml"}


def test_formulas_and_their_cached_values_are_unchanged(annotated) -> None:
    source, target, _ = annotated
    before, after = _parts(source), _parts(target)
    for sheet in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
        old, new = _cells(before[sheet]), _cells(after[sheet])
        for ref, cell in old.items():
            assert (new[ref]["f"], new[ref]["v"]) == (cell["f"], cell["v"]), ref
            assert {k: v for k, v in new[ref]["attrs"].items() if k != "s"} == {
                k: v for k, v in cell["attrs"].items() if k != "s"}, ref
    assert _cells(after["xl/worksheets/sheet1.xml"])["B5"]["v"] == "600"
    assert _cells(after["xl/worksheets/sheet1.xml"])["C2"]["v"] == "0100x"


def test_values_read_by_calamine_and_openpyxl_are_the_same_in_every_original_cell(
        annotated) -> None:
    source, target, _ = annotated
    before, after = _calamine(source), _calamine(target)
    for sheet in (MAIN, OTHER):
        assert after[sheet][:len(before[sheet])] == [
            row + [""] * (len(after[sheet][0]) - len(row)) for row in before[sheet]]
        assert _openpyxl_values(target, sheet) == _openpyxl_values(source, sheet)


def test_defined_names_validation_table_image_and_chartsheet_survive(annotated) -> None:
    _, target, _ = annotated
    wb = openpyxl.load_workbook(target)
    assert set(wb.defined_names) >= {"Totalt"}
    assert "Lokal" in wb[MAIN].defined_names
    assert str(wb[MAIN].data_validations.dataValidation[0].sqref) == "A10"
    assert list(wb[MAIN].tables) == ["Table1"]
    assert len(wb[MAIN]._images) == 1
    assert wb.sheetnames == [MAIN, OTHER, "Diagram", "Avstemming"]


def test_source_is_untouched_and_no_temporary_file_is_left(budget: Path, tmp_path: Path) -> None:
    digest = hashlib.sha256(budget.read_bytes()).hexdigest()
    out_dir = tmp_path / "ut"
    out_dir.mkdir()
    write_annotated_copy(budget, out_dir / "a.xlsx", _marks(), [_summary()])
    assert hashlib.sha256(budget.read_bytes()).hexdigest() == digest
    assert [p.name for p in out_dir.iterdir()] == ["a.xlsx"]


# --- marks ----------------------------------------------------------------------------------

def test_marked_cells_get_the_status_fill_and_keep_their_number_format(annotated) -> None:
    _, target, report = annotated
    ws = openpyxl.load_workbook(target)[MAIN]
    assert _fill(ws["A2"]).endswith(STATUS_COLOURS["explained"])
    assert _fill(ws["B7"]).endswith(STATUS_COLOURS["warning"])
    assert _fill(ws["F20"]).endswith(STATUS_COLOURS["unexpected"])
    assert ws["B5"].number_format == "# ##0"
    assert _fill(openpyxl.load_workbook(target)[OTHER]["A1"]).endswith(STATUS_COLOURS["mismatch"])
    # Unmarked cells keep their look.
    assert ws["B3"].fill.fgColor.rgb in (None, "00000000")
    assert ws["A1"].font.b is True
    assert report.marked_cells == 7


def test_cell_under_conditional_formatting_gets_a_border_instead_of_a_fill(annotated) -> None:
    _, target, report = annotated
    cell = openpyxl.load_workbook(target)[MAIN]["B2"]
    assert report.borders_instead_of_fill == 1
    assert cell.border.left.style == "medium"
    assert str(cell.border.left.color.rgb).endswith(STATUS_BORDER_COLOURS["match"])
    assert cell.fill.fgColor.rgb in (None, "00000000")
    assert cell.number_format == "# ##0"


def test_note_is_appended_after_an_existing_comment(annotated) -> None:
    _, target, report = annotated
    ws = openpyxl.load_workbook(target)[MAIN]
    assert ws["B7"].comment.text == "Gammel merknad\nNy merknad"
    assert ws["B5"].comment.text == "Sum 600 avviker fra brev 3 (650).\nSe tillegg nr. 2."
    assert ws["A2"].comment is None          # empty note: colour only
    assert report.notes_appended == 1
    assert report.notes_added == 5           # B2, B5, D2 (merged), F20, and A1 on the other sheet


def test_mark_inside_a_merged_range_goes_to_its_top_left_cell(annotated) -> None:
    _, target, _ = annotated
    ws = openpyxl.load_workbook(target)[MAIN]
    assert ws["D2"].comment.text == "Flettet celle"
    assert _fill(ws["D2"]).endswith(STATUS_COLOURS["missing"])
    cells = _cells(_parts(target)["xl/worksheets/sheet1.xml"])
    assert "E3" not in cells


def test_missing_cell_and_row_are_created_in_order(annotated) -> None:
    _, target, _ = annotated
    root = ET.fromstring(_parts(target)["xl/worksheets/sheet1.xml"])
    rows = [int(r.get("r")) for r in root.iter(f"{SHEET_NS}row")]
    assert rows == sorted(rows) and 20 in rows
    for row in root.iter(f"{SHEET_NS}row"):
        cols = [ooxml.parse_cell(c.get("r"))[1] for c in row.iter(f"{SHEET_NS}c")]
        assert cols == sorted(cols)
    dimension = root.find(f"{SHEET_NS}dimension").get("ref")
    assert ooxml.parse_area(dimension).contains(20, 6)


def test_legacy_drawing_is_added_at_its_schema_position(annotated) -> None:
    _, target, _ = annotated
    root = ET.fromstring(_parts(target)["xl/worksheets/sheet1.xml"])
    children = [child.tag.rpartition("}")[2] for child in root]
    assert children.count("legacyDrawing") == 1
    # drawing (the image) < legacyDrawing < tableParts, as the schema orders them
    assert children.index("drawing") < children.index("legacyDrawing") < children.index(
        "tableParts")


def test_several_marks_on_one_cell_take_the_most_severe_status_and_all_notes(
        budget: Path, tmp_path: Path) -> None:
    target = tmp_path / "ut.xlsx"
    report = write_annotated_copy(budget, target, [
        CellMark(OTHER, "A1", "match", "Første"),
        CellMark(OTHER, "A1", "mismatch", "Andre"),
        CellMark(OTHER, "a1", "explained", "Første"),
    ])
    cell = openpyxl.load_workbook(target)[OTHER]["A1"]
    assert _fill(cell).endswith(STATUS_COLOURS["mismatch"])
    assert cell.comment.text == "Første\nAndre"
    assert report.marked_cells == 1 and report.notes_added == 1


def test_note_text_with_markup_and_control_characters_survives(budget: Path,
                                                              tmp_path: Path) -> None:
    target = tmp_path / "ut.xlsx"
    note = 'Beløp <1 000> & "mer" \'x\' _x0041_ slutt\x07'
    write_annotated_copy(budget, target, [CellMark(OTHER, "C3", "warning", note)])
    # Excel reads `_xHHHH_` as an escaped character, so a literal one is written `_x005F_xHHHH_`
    # (openpyxl does not decode that escape; Excel does).
    text = openpyxl.load_workbook(target)[OTHER]["C3"].comment.text
    assert text == 'Beløp <1 000> & "mer" \'x\' _x005F_x0041_ slutt'
    assert b"_x005F_x0041_" in _parts(target)["xl/comments2.xml"]


def test_problems_are_reported_not_raised(budget: Path, tmp_path: Path) -> None:
    report = write_annotated_copy(budget, tmp_path / "ut.xlsx", [
        CellMark("Finnes ikke", "A1", "match", ""),
        CellMark("Diagram", "A1", "match", ""),
        CellMark(MAIN, "ZZZZ1", "match", ""),
        CellMark(MAIN, "A1", "rar-status", ""),
        CellMark(MAIN, "A1", "match", ""),
    ])
    assert report.marked_cells == 1
    assert len(report.problems) == 4
    assert any("diagramark" in p for p in report.problems)
    assert any("finnes ikke" in p for p in report.problems)
    assert report.to_dict()["problems"] == list(report.problems)


def test_status_colours_cover_every_status() -> None:
    statuses = {"match", "mismatch", "explained", "missing", "unexpected", "warning"}
    assert set(STATUS_COLOURS) == set(STATUS_BORDER_COLOURS) == set(STATUS_LABELS) == statuses
    assert STATUS_COLOURS["match"] == "C6EFCE" and STATUS_COLOURS["mismatch"] == "FFC7CE"
    assert all(re.fullmatch("[0-9A-F]{6}", c) for c in STATUS_COLOURS.values())


# --- summary sheet --------------------------------------------------------------------------

def test_summary_sheet_has_bold_frozen_header_links_and_real_numbers(annotated) -> None:
    _, target, report = annotated
    ws = openpyxl.load_workbook(target)["Avstemming"]
    assert report.sheets_added == ("Avstemming",)
    assert [c.value for c in ws[1]] == ["Ark", "Celle", "Forventet", "Faktisk", "Dato", "OK"]
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:F3"
    assert ws["A2"].hyperlink.location == f"'{MAIN}'!B5"
    assert ws["A3"].hyperlink.location == "'O''Hara & co'!A1"
    assert ws["A2"].value == f"{MAIN}!B5"
    assert ws["C2"].value == 650 and ws["C2"].number_format == "#,##0"
    assert ws["D2"].value == 600.5 and ws["D2"].number_format == "#,##0.00"
    assert ws["C3"].value == 1234567
    assert ws["E2"].value.date().isoformat() == "2024-03-01"
    assert ws["E2"].number_format == "dd.mm.yyyy"
    assert ws["F2"].value is False and ws["F3"].value is True
    assert all(_fill(c).endswith(STATUS_COLOURS["mismatch"]) for c in ws[2])
    assert ws["A3"].fill.fgColor.rgb in (None, "00000000")
    assert ws.column_dimensions["A"].width == 30
    workbook = _parts(target)["xl/workbook.xml"].decode()
    assert ('<definedName name="_xlnm._FilterDatabase" localSheetId="3" hidden="1">'
            "'Avstemming'!$A$1:$F$3</definedName>") in workbook
    values = _calamine(target)["Avstemming"]
    assert values[1][2] == 650.0 and values[2][2] == 1234567.0


def test_summary_sheet_name_that_exists_gets_a_new_name(budget: Path, tmp_path: Path) -> None:
    report = write_annotated_copy(budget, tmp_path / "ut.xlsx", [],
                                  [NewSheet(MAIN.upper(), [["a"]]), NewSheet("Bad/Name?", [["b"]])])
    assert report.sheets_added == (f"{MAIN.upper()} (2)", "Bad_Name_")
    assert openpyxl.load_workbook(tmp_path / "ut.xlsx").sheetnames[-2:] == list(
        report.sheets_added)


# --- other kinds of workbook ----------------------------------------------------------------

def test_xlsm_keeps_its_macros_and_macro_content_type(tmp_path: Path) -> None:
    vba = tmp_path / "vbaProject.bin"
    vba.write_bytes(b"\xd0\xcf\x11\xe0 not a real project, only bytes to keep")
    source = tmp_path / "makro.xlsm"
    wb = xlsxwriter.Workbook(str(source))
    ws = wb.add_worksheet("Ark1")
    ws.write("A1", 10)
    ws.insert_button("C3", {"macro": "hei", "caption": "Kjør"})
    wb.add_vba_project(str(vba))
    wb.close()
    target = tmp_path / "makro.reconciled.xlsm"
    report = write_annotated_copy(source, target, [CellMark("Ark1", "A1", "mismatch", "Sjekk")])
    assert report.problems == ()
    before, after = _parts(source), _parts(target)
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    assert b"macroEnabled.main+xml" in after["[Content_Types].xml"]
    # The button's VML drawing is extended, not replaced: the button stays, a note box joins.
    vml = after["xl/drawings/vmlDrawing1.vml"]
    assert vml.startswith(before["xl/drawings/vmlDrawing1.vml"].rstrip()[:-len(b"</xml>")])
    assert b'ObjectType="Button"' in vml and b'ObjectType="Note"' in vml
    assert after["xl/worksheets/sheet1.xml"].count(b"legacyDrawing") == 1
    ws = openpyxl.load_workbook(target, keep_vba=True)["Ark1"]
    assert ws["A1"].comment.text == "Sjekk"
    wrong = write_annotated_copy(source, tmp_path / "makro.xlsx", [])
    assert any(".xlsm" in p for p in wrong.problems)


def test_inline_strings_are_kept(tmp_path: Path) -> None:
    source = tmp_path / "inline.xlsx"
    wb = xlsxwriter.Workbook(str(source), {"constant_memory": True})
    ws = wb.add_worksheet("Data")
    ws.write_row(0, 0, ["Post", "Beløp"])
    ws.write_row(1, 0, ["0100", 5])
    wb.close()
    target = tmp_path / "ut.xlsx"
    write_annotated_copy(source, target, [CellMark("Data", "A2", "match", "ok")])
    assert b"inlineStr" in _parts(target)["xl/worksheets/sheet1.xml"]
    assert _openpyxl_values(target, "Data") == {"A1": "Post", "B1": "Beløp", "A2": "0100", "B2": 5}


def _rewrite_part(path: Path, name: str, change) -> None:
    parts = _parts(path)
    parts[name] = change(parts[name])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)


def _simple(tmp_path: Path, name: str = "enkel.xlsx") -> Path:
    path = tmp_path / name
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Ark 1")
    ws.write_row("A1", ["a", "b", "c"])
    ws.write_row("A2", [1, 2, 3])
    ws.write_formula("D2", "=A2+B2", None, 3)
    wb.close()
    return path


def test_prefixed_sheet_with_implicit_row_and_cell_references(tmp_path: Path) -> None:
    source = _simple(tmp_path)
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<x:dimension ref="A1:XFD1048576"/><x:sheetData>'
        '<x:row><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c><x:v>1</x:v></x:c></x:row>'
        '<x:row r="3"><x:c r="B3"><x:f>1+1</x:f><x:v>2</x:v></x:c></x:row>'
        '<x:row/>'
        '</x:sheetData></x:worksheet>'
    ).encode()
    _rewrite_part(source, "xl/worksheets/sheet1.xml", lambda _: sheet)
    target = tmp_path / "ut.xlsx"
    report = write_annotated_copy(source, target, [
        CellMark("Ark 1", "B1", "match", "implisitt B1"),
        CellMark("Ark 1", "A3", "warning", "før B3"),
        CellMark("Ark 1", "C4", "mismatch", "tom rad"),
    ])
    assert report.marked_cells == 3 and report.problems == ()
    data = _parts(target)["xl/worksheets/sheet1.xml"]
    assert b'<x:c s="' in data and b'<x:c r="A3" s="' in data
    # The empty `<x:row/>` is row 4 (after row 3): it is opened up, not duplicated.
    assert b'<x:row><x:c r="C4" s="' in data and data.count(b"<x:row") == 3
    assert b'<x:dimension ref="A1:XFD1048576"/>' in data
    assert b'<x:legacyDrawing r:id="' in data
    ws = openpyxl.load_workbook(target)["Ark 1"]
    assert ws["A1"].value == "a" and ws["B1"].value == 1 and ws["B3"].value == "=1+1"
    assert _fill(ws["B1"]).endswith(STATUS_COLOURS["match"])
    assert _fill(ws["C4"]).endswith(STATUS_COLOURS["mismatch"])
    assert ws["A3"].comment.text == "før B3"


def _to_strict(data: bytes) -> bytes:
    return (data
            .replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                     b"http://purl.oclc.org/ooxml/spreadsheetml/main")
            .replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                     b"http://purl.oclc.org/ooxml/officeDocument/relationships"))


def test_strict_workbook_is_annotated_in_its_own_namespaces(tmp_path: Path) -> None:
    source = _simple(tmp_path, "strict.xlsx")
    for name in list(_parts(source)):
        if name.endswith((".xml", ".rels")) and name != "[Content_Types].xml":
            _rewrite_part(source, name, _to_strict)
    target = tmp_path / "ut.xlsx"
    report = write_annotated_copy(source, target, [CellMark("Ark 1", "B2", "mismatch", "streng")],
                                  [NewSheet("Avstemming", [["x"], [1]])])
    assert report.problems == ()
    after = _parts(target)
    assert b"purl.oclc.org/ooxml/spreadsheetml/main" in after["xl/comments1.xml"]
    assert b"purl.oclc.org/ooxml/officeDocument/relationships/comments" in after[
        "xl/worksheets/_rels/sheet1.xml.rels"]
    assert b"schemas.openxmlformats.org/spreadsheetml" not in after["xl/worksheets/sheet2.xml"]
    before_values = CalamineWorkbook.from_path(str(source)).get_sheet_by_name("Ark 1").to_python()
    wb = CalamineWorkbook.from_path(str(target))
    assert wb.get_sheet_by_name("Ark 1").to_python() == before_values
    assert wb.get_sheet_by_name("Avstemming").to_python() == [["x"], [1.0]]


def test_workbook_without_styles_part_gets_one(tmp_path: Path) -> None:
    source = _simple(tmp_path)
    parts = _parts(source)
    del parts["xl/styles.xml"]
    parts["xl/_rels/workbook.xml.rels"] = re.sub(
        rb'<Relationship [^>]*styles"[^>]*/>', b"", parts["xl/_rels/workbook.xml.rels"])
    with zipfile.ZipFile(source, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    target = tmp_path / "ut.xlsx"
    write_annotated_copy(source, target, [CellMark("Ark 1", "A2", "mismatch", "")])
    assert b"FFC7CE" in _parts(target)["xl/styles.xml"]
    assert _fill(openpyxl.load_workbook(target)["Ark 1"]["A2"]).endswith(STATUS_COLOURS["mismatch"])


# --- refusals -------------------------------------------------------------------------------

def test_file_that_is_not_a_zip_raises_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "tull.xlsx"
    bad.write_bytes(b"dette er ikke en arbeidsbok")
    with pytest.raises(InputError) as err:
        write_annotated_copy(bad, tmp_path / "ut.xlsx", [])
    assert err.value.path == str(bad)
    assert not (tmp_path / "ut.xlsx").exists()


def test_encrypted_workbook_raises_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "passord.xlsx"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(InputError, match="password-protected"):
        write_annotated_copy(bad, tmp_path / "ut.xlsx", [])


def test_doctype_in_a_part_is_refused(tmp_path: Path) -> None:
    source = _simple(tmp_path)
    _rewrite_part(source, "xl/workbook.xml", lambda d: d.replace(
        b"?>", b'?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1))
    with pytest.raises(InputError, match="DOCTYPE"):
        write_annotated_copy(source, tmp_path / "ut.xlsx", [])


def test_doctype_in_a_sheet_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    source = _simple(tmp_path)
    _rewrite_part(source, "xl/worksheets/sheet1.xml", lambda d: d.replace(
        b"?>", b"?><!DOCTYPE worksheet>", 1))
    report = write_annotated_copy(source, tmp_path / "ut.xlsx", [CellMark("Ark 1", "A1", "match", "")])
    assert report.marked_cells == 0 and "DOCTYPE" in report.problems[0]
    assert _parts(tmp_path / "ut.xlsx")["xl/worksheets/sheet1.xml"] == _parts(source)[
        "xl/worksheets/sheet1.xml"]


def test_zip_bomb_guard_refuses_parts_that_inflate_too_far(tmp_path: Path, monkeypatch) -> None:
    source = _simple(tmp_path)
    monkeypatch.setattr(ooxml, "MAX_TOTAL_BYTES", 1000)
    with pytest.raises(InputError, match="too large"):
        write_annotated_copy(source, tmp_path / "ut.xlsx", [])
    monkeypatch.setattr(ooxml, "MAX_TOTAL_BYTES", 2 * 1024**3)
    monkeypatch.setattr(ooxml, "RATIO_CHECK_FROM", 100)
    monkeypatch.setattr(ooxml, "MAX_RATIO", 2)
    with pytest.raises(InputError, match="zip bomb"):
        write_annotated_copy(source, tmp_path / "ut.xlsx", [])


def test_target_equal_to_source_or_in_a_missing_folder_raises_output_error(
        tmp_path: Path) -> None:
    source = _simple(tmp_path)
    with pytest.raises(OutputError):
        write_annotated_copy(source, source, [])
    with pytest.raises(OutputError):
        write_annotated_copy(source, tmp_path / "mangler" / "ut.xlsx", [])


# --- streaming ------------------------------------------------------------------------------

def _big_workbook(path: Path, rows: int) -> None:
    """A workbook whose one sheet has `rows` rows, written straight into the zip."""
    source = path.parent / "base.xlsx"
    _simple(path.parent, source.name)
    parts = _parts(source)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                z.writestr(name, data)
        with z.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="'
                     b'http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="'
                     b'http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                     b'<dimension ref="A1:XFD1048576"/><sheetData>')
            for start in range(1, rows + 1, 10_000):
                fh.write(b"".join(
                    b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><f>A%d*2</f><v>%d</v></c>'
                    b"</row>" % (r, r, r, r, r, 2 * r)
                    for r in range(start, min(start + 10_000, rows + 1))))
            fh.write(b"</sheetData></worksheet>")


def test_large_sheet_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    rows = 200_000
    source = tmp_path / "stor.xlsx"
    _big_workbook(source, rows)
    with zipfile.ZipFile(source) as z:
        sheet_size = z.getinfo("xl/worksheets/sheet1.xml").file_size
    assert sheet_size > 18_000_000
    target = tmp_path / "ut.xlsx"
    tracemalloc.start()
    report = write_annotated_copy(source, target, [
        CellMark("Ark 1", "B2", "match", "først"),
        CellMark("Ark 1", f"B{rows - 1}", "mismatch", "nesten sist"),
        CellMark("Ark 1", f"C{rows + 5}", "warning", "etter siste rad"),
    ])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert report.marked_cells == 3
    # Bounded: chunk buffers plus the in-memory part of the spooled output, whatever the size.
    assert peak < 16 * 1024 * 1024, f"peak {peak} bytes for a {sheet_size}-byte sheet"
    with zipfile.ZipFile(target) as z:
        data = z.read("xl/worksheets/sheet1.xml")
    assert data.count(b"<row ") == rows + 1
    tail = data[-400:]
    assert b'<row r="%d"><c r="C%d" s="' % (rows + 5, rows + 5) in tail
    assert re.search(rb'</sheetData><legacyDrawing r:id="rId\d+"/></worksheet>$', tail)
    assert b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" s="' % ((rows - 1,) * 4) in data


_XF_FOR_TEST = 99


@st.composite
def _sheets(draw):
    """A sheet as rows of (row number or None, [(col or None, has value)]) plus marks."""
    rows = []
    row_no = 0
    for _ in range(draw(st.integers(0, 6))):
        explicit = draw(st.booleans())
        row_no += draw(st.integers(1, 3)) if explicit else 1
        cells = []
        col = 0
        for _ in range(draw(st.integers(0, 5))):
            c_explicit = draw(st.booleans())
            col += draw(st.integers(1, 3)) if c_explicit else 1
            cells.append((col if c_explicit else None, col, draw(st.booleans())))
        rows.append((row_no if explicit else None, row_no, cells))
    marks = draw(st.sets(st.tuples(st.integers(1, row_no + 3), st.integers(1, 12)), max_size=8))
    return rows, marks


def _sheet_xml(rows) -> bytes:
    out = ['<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           '<sheetData>']
    for r_attr, row_no, cells in rows:
        out.append(f'<row r="{r_attr}">' if r_attr else "<row>")
        for c_attr, col, has_value in cells:
            ref = f' r="{ooxml.cell_name(row_no, col)}"' if c_attr else ""
            out.append(f'<c{ref} s="1"><v>{row_no * 100 + col}</v></c>' if has_value
                       else f"<c{ref} s=\"1\"/>")
        out.append("</row>")
    out.append("</sheetData><pageMargins left=\"0.7\"/></worksheet>")
    return "".join(out).encode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheet=_sheets(), chunk=st.sampled_from([1, 2, 5, 13, 1 << 20]))
def test_rewriting_any_sheet_marks_exactly_the_marked_cells_and_keeps_the_rest(
        sheet, chunk) -> None:
    rows, marks = sheet
    source = _sheet_xml(rows)
    old_chunk = sheet_stream.CHUNK
    sheet_stream.CHUNK = chunk
    try:
        out = io.BytesIO()
        result = sheet_stream.rewrite_sheet(io.BytesIO(source), out, set(marks),
                                            lambda r, c, base: _XF_FOR_TEST, "rId7")
    finally:
        sheet_stream.CHUNK = old_chunk
    assert result.styled == set(marks)
    root = ET.fromstring(out.getvalue())
    seen: dict[tuple[int, int], ET.Element] = {}
    row_no = 0
    for row in root.iter(f"{SHEET_NS}row"):
        row_no = int(row.get("r")) if row.get("r") else row_no + 1
        col = 0
        for c in row.iter(f"{SHEET_NS}c"):
            col = ooxml.parse_cell(c.get("r"))[1] if c.get("r") else col + 1
            assert (row_no, col) not in seen
            seen[(row_no, col)] = c
    # Every original cell is where it was with its value; marked cells (and only those) restyled.
    for _, row_no, cells in rows:
        for _, col, has_value in cells:
            c = seen[(row_no, col)]
            v = c.find(f"{SHEET_NS}v")
            assert (v.text if v is not None else None) == (
                str(row_no * 100 + col) if has_value else None)
    for cell, c in seen.items():
        assert c.get("s") == (str(_XF_FOR_TEST) if cell in marks else "1")
    assert set(marks) <= set(seen)
    assert [child.tag.rpartition("}")[2] for child in root][-1] == "legacyDrawing"


@st.composite
def _numbered_sheets(draw):
    """A sheet whose rows all state their number, in any order (repeats too), with the row
    attributes and spellings writers use, a namespace prefix or none; and marks (rows to create
    among them)."""
    prefix = draw(st.sampled_from(["", "x:"]))
    numbers = draw(st.lists(st.integers(1, 40), max_size=12))
    if draw(st.booleans()):
        numbers = sorted(set(numbers))
    out = [f'<{prefix}worksheet xmlns{":" + prefix[:-1] if prefix else ""}='
           '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><' + prefix + "sheetData>"]
    for number in numbers:
        attributes = draw(st.sampled_from(["", ' spans="1:3"', " spans='1:3' s=\"2\" customFormat=\"1\"",
                                           ' ht="15"  ', ' x14ac:dyDescent="0.25"']))
        written = draw(st.sampled_from([str(number), f"0{number}", str(number)]))
        if draw(st.integers(0, 5)) == 0:
            out.append(f'<{prefix}row r="{written}"{attributes}/>')
            continue
        cells = "".join(f'<{prefix}c r="{ooxml.cell_name(number, col)}" s="1"><{prefix}v>{number * 100 + col}</{prefix}v></{prefix}c>'
                        for col in sorted(draw(st.sets(st.integers(1, 6), max_size=4))))
        out.append(f'<{prefix}row r="{written}"{attributes}>{cells}</{prefix}row>')
    out.append(f"</{prefix}sheetData><{prefix}pageMargins left=\"0.7\"/></{prefix}worksheet>")
    marks = draw(st.sets(st.tuples(st.integers(1, 45), st.integers(1, 8)), max_size=8))
    return "".join(out).encode(), marks


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheet=_numbered_sheets(), chunk=st.sampled_from([1, 3, 7, 16, 1 << 20]))
def test_passing_unmarked_rows_in_one_search_writes_the_same_bytes(sheet, chunk) -> None:
    """rows_numbered (unmarked rows passed in one search) gives what the row-by-row loop gives,
    byte for byte, problems (rows out of order or repeated) and created rows included."""
    source, marks = sheet
    old_chunk = sheet_stream.CHUNK
    sheet_stream.CHUNK = chunk
    try:
        scan = sheet_stream.scan_sheet(io.BytesIO(source))
        results = []
        for numbered in (False, True):
            out = io.BytesIO()
            result = sheet_stream.rewrite_sheet(io.BytesIO(source), out, set(marks),
                                                lambda r, c, base: _XF_FOR_TEST, None, rows_numbered=numbered)
            results.append((out.getvalue(), result))
    finally:
        sheet_stream.CHUNK = old_chunk
    assert scan.rows_numbered
    (slow, slow_result), (fast, fast_result) = results
    assert fast == slow
    assert fast_result == slow_result


def test_a_row_without_its_number_turns_the_one_search_off() -> None:
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             b'<row r="1"><c r="A1"><v>1</v></c></row><row><c><v>2</v></c></row><row spans="1:1" r="3"/>'
             b"</sheetData></worksheet>")
    assert not sheet_stream.scan_sheet(io.BytesIO(sheet)).rows_numbered
    assert sheet_stream.scan_sheet(io.BytesIO(sheet.replace(b"<row><c>", b'<row r="2"><c>').replace(
        b'<row spans="1:1" r="3"/>', b""))).rows_numbered


def _corrupt_member(path: Path, name: str) -> None:
    """Flip bytes in the middle of one member's compressed data (the zip directory stays valid)."""
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(name)
    data = bytearray(path.read_bytes())
    header = info.header_offset
    name_len = int.from_bytes(data[header + 26:header + 28], "little")
    extra_len = int.from_bytes(data[header + 28:header + 30], "little")
    start = header + 30 + name_len + extra_len
    for i in range(start + 5, start + min(info.compress_size - 2, 40)):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def test_damaged_compressed_sheet_raises_input_error_and_leaves_nothing(tmp_path: Path) -> None:
    source = _simple(tmp_path)
    _corrupt_member(source, "xl/worksheets/sheet1.xml")
    out_dir = tmp_path / "ut"
    out_dir.mkdir()
    for marks in ([CellMark("Ark 1", "A1", "match", "x")], []):
        with pytest.raises(InputError):
            write_annotated_copy(source, out_dir / "ut.xlsx", marks)
    assert list(out_dir.iterdir()) == []


def test_sheet_with_threaded_comments_is_annotated_with_a_warning(budget: Path,
                                                                 tmp_path: Path) -> None:
    rel = (b'<Relationship Id="rId99" Type="http://schemas.microsoft.com/office/2017/10/'
           b'relationships/threadedComment" Target="../threadedComments/threadedComment1.xml"/>')
    _rewrite_part(budget, "xl/worksheets/_rels/sheet1.xml.rels",
                  lambda d: d.replace(b"</Relationships>", rel + b"</Relationships>"))
    report = write_annotated_copy(budget, tmp_path / "ut.xlsx",
                                  [CellMark(MAIN, "B7", "warning", "Ny merknad")])
    assert report.notes_appended == 1
    assert any("trådkommentarer" in p for p in report.problems)
