"""Fidelity of the annotated copy over a corpus of real-world workbooks.

For every file of `shared/xlsx-corpus/` (skipped when the folder is absent, as on a user's
machine): mark the first non-empty cell of the first worksheet and one empty cell below the
data, add a small summary sheet, and check part by part that nothing else changed: every
original part is still there, byte-identical unless annotation must change it; every formula and
cached value survives; calamine reads the same values from every original sheet; openpyxl opens
the result whenever it opened the source. A file calamine cannot read must either be annotated
the same way or be refused with a clean `InputError`.

`benchmarks/corpus_fidelity.py` runs the same check and prints the table of figures.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import time
import warnings
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pytest

from reconcile.errors import InputError
from reconcile.output.xlsx_package import (
    STATUS_BORDER_COLOURS, STATUS_COLOURS, CellMark, Link, NewSheet, write_annotated_copy,
)

CORPUS = Path(__file__).parents[2] / "shared" / "xlsx-corpus"
FILES = sorted(p for p in CORPUS.glob("*") if p.suffix.lower() in (".xlsx", ".xlsm")) \
    if CORPUS.is_dir() else []
NOTE = "Kontroll: avvik mot tildelingsbrev"


@dataclass
class Outcome:
    name: str
    state: str = ""                 # annotated | refused
    calamine_readable: bool = False
    openpyxl_source: bool = False
    parts: int = 0
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    formula_cells: int = 0
    marked: int = 0
    notes_added: int = 0
    notes_appended: int = 0
    borders: int = 0
    problems: tuple[str, ...] = ()
    refusal: str = ""
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


# --- reading helpers (test side: ElementTree on whole parts is fine here) -----------------

def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """rId -> (kind, resolved target) for a part's relationships."""
    folder, _, base = part.rpartition("/")
    name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    lower = {n.lower(): n for n in z.namelist()}
    if name.lower() not in lower:
        return {}
    out = {}
    for rel in ET.fromstring(z.read(lower[name.lower()])):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        if target.startswith("/"):
            resolved = target.lstrip("/")
        else:
            resolved = str(PurePosixPath(folder, target)) if folder else target
            parts: list[str] = []
            for seg in resolved.split("/"):
                if seg == "..":
                    if parts:
                        parts.pop()
                elif seg not in ("", "."):
                    parts.append(seg)
            resolved = "/".join(parts)
        out[rel.get("Id", "")] = (rel.get("Type", "").rpartition("/")[2], resolved)
    return out


def _workbook(z: zipfile.ZipFile) -> tuple[str, list[tuple[str, str | None]]]:
    """(workbook part, [(sheet name, worksheet part or None)])."""
    root_rels = _rels(z, "")
    wb = next(t for k, t in root_rels.values() if k == "officeDocument")
    rels = _rels(z, wb)
    sheets = []
    for el in ET.fromstring(z.read(wb)).iter():
        if _local(el.tag) == "sheet":
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            kind, target = rels.get(rid or "", ("", None))
            sheets.append((el.get("name", ""), target if kind == "worksheet" else None))
    return wb, sheets


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch.upper()) - 64
    return n


def formulas_and_values(data: bytes) -> dict[str, tuple[str | None, str | None, str | None]]:
    """cell ref -> (formula text, formula attributes, cached value) for cells with <f> or <v>."""
    out = {}
    row_no = 0
    col_no = 0
    for event, el in ET.iterparse(io.BytesIO(data), events=("start", "end")):
        tag = _local(el.tag)
        if event == "start":
            if tag == "row":
                row_no = int(el.get("r")) if el.get("r") else row_no + 1
                col_no = 0
            elif tag == "c":
                ref = el.get("r")
                if ref:
                    letters = "".join(ch for ch in ref if ch.isalpha())
                    col_no = _col_index(letters)
                else:
                    col_no += 1
            continue
        if tag == "c":
            f = v = fa = None
            for child in el:
                if _local(child.tag) == "f":
                    f = child.text
                    fa = repr(sorted(child.attrib.items()))
                elif _local(child.tag) == "v":
                    v = child.text
            if f is not None or v is not None:
                out[f"{col_no}:{row_no}"] = (f, fa, v)
            el.clear()
        elif tag == "row":
            el.clear()
    return out


def calamine_values(path: Path) -> dict[str, dict[tuple[int, int], object]]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    out = {}
    for meta in wb.sheets_metadata:
        try:
            sheet = wb.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
        except Exception as exc:  # a chartsheet or an unreadable sheet: compare the failure
            out[meta.name] = {(-1, -1): f"error {type(exc).__name__}"}
            continue
        values = {}
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value == "" or value is None:
                    continue
                if isinstance(value, float) and math.isnan(value):
                    value = "nan"
                values[(r, c)] = value
        out[meta.name] = values
    return out


def _first_worksheet(path: Path) -> tuple[str, tuple[int, int], tuple[int, int]] | None:
    """(sheet name, first non-empty cell, an empty cell below the data) — 1-based."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    wb = CalamineWorkbook.from_path(str(path))
    for meta in wb.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue
        try:
            rows = wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        except Exception:
            return meta.name, (1, 1), (3, 1)
        first = next(((r + 1, c + 1) for r, row in enumerate(rows)
                      for c, v in enumerate(row) if v not in ("", None)), (1, 1))
        return meta.name, first, (min(len(rows) + 2, 1_048_576), 2)
    return None


def _ref(row: int, col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _openpyxl_load(path: Path):
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path)


# --- the check ------------------------------------------------------------------------------

def check_file(path: Path, workdir: Path, use_openpyxl: bool = True) -> Outcome:
    started = time.perf_counter()
    outcome = Outcome(path.name)
    fail = outcome.failures.append
    before_hash = _sha256(path)
    try:
        first = _first_worksheet(path)
        outcome.calamine_readable = True
    except Exception:
        first = None
    if first is None:
        # No calamine view: mark the first sheet the workbook lists, if it can be read at all.
        try:
            with zipfile.ZipFile(path) as z:
                _, sheets = _workbook(z)
            name = next((n for n, part in sheets if part), sheets[0][0] if sheets else "Ark1")
        except Exception:
            name = "Ark1"
        first = (name, (1, 1), (3, 2))
    sheet_name, cell, empty_cell = first
    marks = [CellMark(sheet_name, _ref(*cell), "mismatch", NOTE),
             CellMark(sheet_name, _ref(*empty_cell), "warning", "Ny celle")]
    summary = NewSheet("Avstemming", [["Ark", "Celle", "Beløp"],
                                      [Link(sheet_name, sheet_name, _ref(*cell)), _ref(*cell),
                                       1234567]],
                       row_statuses=["mismatch"])
    target = workdir / f"annotert{path.suffix.lower()}"
    try:
        report = write_annotated_copy(path, target, marks, [summary])
    except InputError as exc:
        outcome.state = "refused"
        outcome.refusal = exc.message
        if outcome.calamine_readable:
            fail(f"calamine reads the file but annotation refused it: {exc}")
        if target.exists():
            fail("a refused file left a target behind")
        leftovers = [p.name for p in workdir.iterdir()]
        if leftovers:
            fail(f"files left behind: {leftovers}")
        outcome.seconds = time.perf_counter() - started
        return outcome
    outcome.state = "annotated"
    outcome.problems = report.problems
    outcome.marked = report.marked_cells
    outcome.notes_added = report.notes_added
    outcome.notes_appended = report.notes_appended
    outcome.borders = report.borders_instead_of_fill
    if _sha256(path) != before_hash:
        fail("the source file changed")
    leftovers = [p.name for p in workdir.iterdir() if p != target]
    if leftovers:
        fail(f"temporary files left behind: {leftovers}")

    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(target) as zout:
        before = zin.namelist()
        after = zout.namelist()
        outcome.parts = len(before)
        missing = [n for n in before if n not in after]
        if missing:
            fail(f"parts lost: {missing}")
        if [n for n in after if n in set(before)] != before:
            fail("original parts are not in their original order")
        outcome.added = [n for n in after if n not in set(before)]
        wb_part, sheets_after = _workbook(zout)
        marked_part = dict(sheets_after).get(sheet_name)
        allowed = {"[Content_Types].xml", wb_part, _rels_name(wb_part)}
        allowed |= {t for k, t in _rels(zout, wb_part).values() if k == "styles"}
        if marked_part:
            allowed |= {marked_part, _rels_name(marked_part)}
            allowed |= {t for k, t in _rels(zout, marked_part).values()
                        if k in ("comments", "vmlDrawing")}
        allowed_lower = {a.lower() for a in allowed}
        for name in before:
            if name not in after or name.endswith("/"):
                continue
            old, new = zin.read(name), zout.read(name)
            if old != new:
                outcome.changed.append(name)
                if name.lower() not in allowed_lower:
                    fail(f"part changed that annotation must not touch: {name}")
        # Every original worksheet: formulas, their attributes and cached values unchanged.
        _, sheets_before = _workbook(zin)
        for name, part in sheets_before:
            if not part or part not in before:
                continue
            try:
                old_cells = formulas_and_values(zin.read(part))
            except ET.ParseError:
                continue
            new_cells = formulas_and_values(zout.read(part))
            outcome.formula_cells += sum(1 for f, _, _ in old_cells.values() if f is not None)
            if old_cells != new_cells:
                diff = [k for k in set(old_cells) | set(new_cells)
                        if old_cells.get(k) != new_cells.get(k)]
                fail(f"formulas or cached values changed on «{name}»: {sorted(diff)[:5]}")
        # Every changed or added XML part is well-formed; the marked sheet keeps schema order.
        for name in outcome.changed + outcome.added:
            if name.lower().endswith((".xml", ".rels")):
                try:
                    ET.fromstring(zout.read(name))
                except ET.ParseError as exc:
                    fail(f"{name} is not well-formed after annotation: {exc}")
        if marked_part and marked_part in after:
            order = _top_level_order(zout.read(marked_part))
            ranks = [WORKSHEET_ORDER.index(n) for n in order if n in WORKSHEET_ORDER]
            if ranks != sorted(ranks):
                fail(f"children of <worksheet> out of schema order: {order}")
        # Content types must cover every part that was added.
        ct = zout.read("[Content_Types].xml").decode("utf-8", "replace")
        for name in outcome.added:
            ext = name.rpartition(".")[2]
            if f'PartName="/{name}"' not in ct and f'Extension="{ext}"' not in ct:
                fail(f"no content type for added part {name}")

    if outcome.calamine_readable:
        old_values, new_values = calamine_values(path), calamine_values(target)
        for name, values in old_values.items():
            if new_values.get(name) != values:
                keys = set(values) | set(new_values.get(name, {}))
                diff = sorted(k for k in keys if values.get(k) != new_values.get(name, {}).get(k))
                fail(f"calamine values differ on «{name}»: {diff[:5]}")
        if "Avstemming" not in new_values or new_values["Avstemming"].get((1, 2)) != 1234567:
            fail("the summary sheet is missing or lost its values")

    if use_openpyxl:
        try:
            _openpyxl_load(path)
            outcome.openpyxl_source = True
        except Exception:
            outcome.openpyxl_source = False
        if outcome.openpyxl_source:
            try:
                wb = _openpyxl_load(target)
            except Exception as exc:
                fail(f"openpyxl opened the source but not the output: {exc!r}")
            else:
                _check_marked_cell(wb, report, sheet_name, cell, fail)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _check_marked_cell(wb, report, sheet_name, cell, fail) -> None:
    if sheet_name not in wb.sheetnames or report.marked_cells == 0:
        return
    ws = wb[sheet_name]
    c = ws.cell(*cell)
    for area in ws.merged_cells.ranges:
        if (area.min_row <= cell[0] <= area.max_row and area.min_col <= cell[1] <= area.max_col):
            c = ws.cell(area.min_row, area.min_col)
    fill = (c.fill.fgColor.rgb or "") if c.fill is not None else ""
    side = c.border.left if c.border is not None else None
    border = (side.color.rgb or "") if side is not None and side.color is not None else ""
    if not (str(fill).endswith(STATUS_COLOURS["mismatch"])
            or str(border).endswith(STATUS_BORDER_COLOURS["mismatch"])):
        fail(f"marked cell {c.coordinate} has neither the fill nor the border "
             f"(fill {fill!r}, border {border!r})")


WORKSHEET_ORDER = [
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
    "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState",
    "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting",
    "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
    "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
    "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects",
    "controls", "webPublishItems", "tableParts", "extLst",
]


def _top_level_order(data: bytes) -> list[str]:
    """Local names of <worksheet>'s children, in document order."""
    names: list[str] = []
    depth = 0
    for event, el in ET.iterparse(io.BytesIO(data), events=("start", "end")):
        if event == "start":
            depth += 1
            if depth == 2:
                names.append(_local(el.tag))
        else:
            depth -= 1
            if depth == 1:
                el.clear()
    return names


def _rels_name(part: str) -> str:
    folder, _, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


# --- pytest ---------------------------------------------------------------------------------

_OUTCOMES: list[Outcome] = []


def summary_lines(outcomes: list[Outcome]) -> list[str]:
    annotated = [o for o in outcomes if o.state == "annotated"]
    refused = [o for o in outcomes if o.state == "refused"]
    failed = [o for o in outcomes if o.failures]
    changed = sum(len(o.changed) for o in annotated)
    parts = sum(o.parts for o in annotated)
    lines = [
        f"files: {len(outcomes)}; calamine-readable: "
        f"{sum(o.calamine_readable for o in outcomes)}; annotated: {len(annotated)}; "
        f"refused with InputError: {len(refused)}; with failed checks: {len(failed)}",
        f"parts in annotated files: {parts}; changed: {changed}; unchanged byte-identical: "
        f"{parts - changed}; parts added: {sum(len(o.added) for o in annotated)}",
        f"formula cells compared (formula + cached value): "
        f"{sum(o.formula_cells for o in annotated)}",
        f"cells marked: {sum(o.marked for o in annotated)} (border instead of fill: "
        f"{sum(o.borders for o in annotated)}); notes added: "
        f"{sum(o.notes_added for o in annotated)}; appended to an existing comment: "
        f"{sum(o.notes_appended for o in annotated)}",
        f"openpyxl opened {sum(o.openpyxl_source for o in annotated)} sources, and each output "
        "of those" if not failed else "see failures",
        f"files with problems reported: {sum(1 for o in annotated if o.problems)}",
        f"seconds: {sum(o.seconds for o in outcomes):.1f}",
    ]
    for o in refused:
        lines.append(f"  refused {o.name}: {o.refusal}")
    for o in annotated:
        for p in o.problems:
            lines.append(f"  problem {o.name}: {p}")
    return lines


@pytest.fixture(scope="module")
def corpus_summary(request):
    yield _OUTCOMES
    if _OUTCOMES:
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
            write = reporter.write_line if reporter else print
            write("")
            write("xlsx corpus fidelity:")
            for line in summary_lines(_OUTCOMES):
                write("  " + line)


@pytest.mark.skipif(not FILES, reason=f"corpus not present at {CORPUS}")
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_file_annotates_losslessly(path: Path, tmp_path: Path, corpus_summary) -> None:
    outcome = check_file(path, tmp_path)
    corpus_summary.append(outcome)
    assert not outcome.failures, "\n".join(outcome.failures)
    if outcome.state == "refused":
        assert not outcome.calamine_readable
        assert outcome.refusal


def test_corpus_present_or_skipped() -> None:
    if not FILES:
        pytest.skip(f"corpus not present at {CORPUS}")
    assert len(FILES) > 100
