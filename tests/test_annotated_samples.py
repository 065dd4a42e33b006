"""The annotated copies of the seeded samples, as a finance officer opens them."""

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from reconcile.output.xlsx_package import STATUS_COLOURS

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
LAYOUTS = ["oversikt", "brevark", "note-a", "posteringer"]


@pytest.fixture(scope="module")
def annotated(tmp_path_factory):
    from reconcile.pipeline import Options, run

    out = tmp_path_factory.mktemp("annotated")
    paths = [SAMPLES / f"{layout}-feil.xlsx" for layout in LAYOUTS]
    before = {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in paths}
    _, results = run([str(p) for p in paths], Options(out_dir=str(out)))
    after = {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in paths}
    assert before == after, "an input was modified"
    return out, {Path(r.path).name.removesuffix("-feil.xlsx"): r for r in results}


def _manifest(layout):
    return json.loads((SAMPLES / f"{layout}-feil.manifest.json").read_text(encoding="utf-8"))


def _rgb(cell):
    return (cell.fill.fgColor.rgb or "")[-6:].upper()


@pytest.mark.parametrize("layout", LAYOUTS)
def test_seeded_cells_are_red_with_a_norwegian_note(annotated, layout):
    out, results = annotated
    workbook = openpyxl.load_workbook(out / f"{layout}-feil.reconciled.xlsx")
    findings = {(f.sheet, f.cell): f for f in results[layout].findings}
    for seed in _manifest(layout)["seeded"]:
        if seed["cell"] is None:
            continue
        cell = workbook[seed["sheet"]][seed["cell"]]
        finding = findings[(seed["sheet"], seed["cell"])]
        expected_colour = STATUS_COLOURS["unexpected" if seed["cause"] == "unexpected" else "mismatch"]
        assert _rgb(cell) == expected_colour.upper()
        note = cell.comment.text
        assert note.startswith("Avstemming mot tildelingsbrev: ")
        if finding.expected is not None and seed["cause"] != "sum":
            from reconcile.amounts import format_nok

            assert f"Forventet: {format_nok(finding.expected)}" in note
            assert "Kilde: tillegg nr." in note and "«" in note


@pytest.mark.parametrize("layout", LAYOUTS)
def test_matching_cells_are_green(annotated, layout):
    out, results = annotated
    workbook = openpyxl.load_workbook(out / f"{layout}-feil.reconciled.xlsx")
    matches = [f for f in results[layout].findings if f.status == "match" and f.cell]
    assert matches
    for finding in matches:
        cell = workbook[finding.sheet][finding.cell]
        assert _rgb(cell) == STATUS_COLOURS["match"].upper()
        assert "Stemmer" in cell.comment.text


@pytest.mark.parametrize("layout", LAYOUTS)
def test_summary_sheet_lists_each_seeded_cell_with_a_link(annotated, layout):
    out, results = annotated
    workbook = openpyxl.load_workbook(out / f"{layout}-feil.reconciled.xlsx")
    assert workbook.sheetnames[-2:] == ["Avstemming", "Brevkontroll"]
    sheet = workbook["Avstemming"]
    header = [c.value for c in sheet[1]]
    assert header == ["Ark", "Celle", "Post", "Rolle", "Tillegg", "I arbeidsboka", "Forventet", "Differanse", "Status",
                      "Årsak", "Kilde", "Sitat", "Forklaring"]
    links = {}
    for row in sheet.iter_rows(min_row=2):
        if row[1].hyperlink is not None:
            links[(row[0].value, row[1].value)] = (row[1].hyperlink.location, row[8].value)
    for seed in _manifest(layout)["seeded"]:
        if seed["cell"] is None:
            continue
        location, status = links[(seed["sheet"], seed["cell"])]
        assert location.endswith(f"!{seed['cell']}") and seed["sheet"] in location
        assert status in ("Avvik", "Ukjent post")
    texts = [c.value for c in sheet["A"] if c.value]
    assert "Fargeforklaring" in texts and "Oppsummering" in texts
    assert any(str(v).startswith("SHA-256 ") for v in (c.value for c in sheet["B"]))
    audit = workbook["Brevkontroll"]
    audit_rows = list(audit.iter_rows(min_row=2, values_only=True))
    assert (7, "670/01", "Feil", "forrige beløp + endringer = nytt beløp") in {row[:4] for row in audit_rows}
    assert (3, "671/62", "Feil", "delbeløp = samlet endring") in {row[:4] for row in audit_rows}


def test_summary_sheets_print_one_page_wide_with_long_quotes_wrapped(annotated):
    out, _ = annotated
    workbook = openpyxl.load_workbook(out / "oversikt-feil.reconciled.xlsx")
    for name, quote_column in (("Avstemming", "L"), ("Brevkontroll", "H")):
        sheet = workbook[name]
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        width = sheet.column_dimensions[quote_column].width
        long_quotes = [cell for cell in sheet[quote_column][1:] if cell.value and len(str(cell.value)) > width]
        assert long_quotes, name
        for cell in long_quotes:
            assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
            assert sheet.row_dimensions[cell.row].height >= 30


@pytest.mark.parametrize("layout", LAYOUTS)
def test_original_cells_keep_their_values(annotated, layout):
    out, _ = annotated
    source = CalamineWorkbook.from_path(str(SAMPLES / f"{layout}-feil.xlsx"))
    copy = CalamineWorkbook.from_path(str(out / f"{layout}-feil.reconciled.xlsx"))
    for name in source.sheet_names:
        assert copy.get_sheet_by_name(name).to_python() == source.get_sheet_by_name(name).to_python()


def test_libreoffice_converts_an_annotated_sample_to_pdf(annotated, tmp_path):
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed")
    out, _ = annotated
    shutil.copy(out / "oversikt-feil.reconciled.xlsx", tmp_path / "a.xlsx")
    done = subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "a.xlsx")],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "a.pdf"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
