"""read_workbook: a finance office's workbook, read as it is, into post tables and issues."""

from __future__ import annotations

import hashlib
from pathlib import Path

from reconcile.bulk import collector_paused
from reconcile.errors import InputError
from reconcile.workbook import container as containers
from reconcile.workbook.cells import (
    SheetUnreadable, cell_ref, column_letter, in_words, load_grid, open_workbook, sheets,
)
from reconcile.workbook.formulas import BadCell, scan_bad_cells
from reconcile.workbook.layout import Layout, SheetRule
from reconcile.workbook.records import PostTable, ReadIssue, SheetInfo, WorkbookRead
from reconcile.workbook.sheet_xml import XmlGrid, XmlWorkbook
from reconcile.workbook.tables import SheetContext, report_unused_bad_cells, scan_sheet
from reconcile.workbook.vocabulary import load_vocabulary


def read_workbook(path: str | Path, layout: Layout | None = None) -> WorkbookRead:
    """Every post table in the workbook at `path`, and the problems met, as data.

    Raises `InputError` only for bad input: a missing, empty, unsafe or unreadable file, or one that
    is not a spreadsheet. A workbook without any post table is returned with no tables and an issue.
    """
    path = Path(path)
    found = containers.inspect(path)
    digest = _sha256(path)
    vocabulary = load_vocabulary()
    file = path.name
    issues: list[ReadIssue] = []
    if found.suffix_mismatch:
        issues.append(
            ReadIssue(
                "format_by_content",
                f"filnavnet ({path.suffix or 'uten endelse'}) sier ikke at dette er {found.format}; lest etter innholdet",
                file,
                severity="info",
            )
        )
    tables: list[PostTable] = []
    sheet_infos: list[SheetInfo] = []
    if found.format in _READ_WHOLE:
        # python-calamine reads every sheet of these when it opens the file: one sheet too large to
        # allocate cannot be skipped, so the workbook is refused before it is opened.
        for name, extent in found.sheet_extents.items():
            if extent.cells > containers.MAX_SHEET_CELLS:
                raise InputError(f"refused: sheet {containers.shown(name)} spans {_cells(extent)}, "
                                 "far more than a sheet to read holds (a value far out in the sheet?)", path)
    own = XmlWorkbook(path, found) if found.format in ("xlsx", "xlsm") and found.sheets else None
    try:
        workbook = open_workbook(path, by_content=found.suffix_mismatch)
    except InputError as error:
        # python-calamine refuses a whole workbook for one sheet it does not know (an Excel 4 macro
        # sheet): the package's own parts are read instead.
        if own is None or "password" in error.message:
            raise
        workbook = own
        issues.append(ReadIssue("read_by_own_reader",
                                f"python-calamine kunne ikke åpne arbeidsboka ({error.message}); "
                                "lest med reconciles egen leser", file,
                                severity="info"))
    try:
        try:
            metas = own.sheets() if workbook is own else sheets(workbook)
        except Exception as error:  # calamine could not list the sheets
            raise InputError(f"cannot read the workbook's sheet list: {in_words(error)}", path) from error
        if not metas:
            raise InputError("damaged workbook: it has no sheets", path)
        for meta in metas:
            rule = layout.rule_for(meta.name) if layout is not None else SheetRule()
            with collector_paused():
                info, sheet_tables, sheet_issues = _read_sheet(path, file, workbook, own, meta, rule, found,
                                                               vocabulary)
            sheet_infos.append(info)
            tables.extend(sheet_tables)
            issues.extend(sheet_issues)
    finally:
        try:
            workbook.close()
        except Exception:  # already closed
            pass
        if own is not None:
            own.close()
    if not tables:
        issues.append(
            ReadIssue(
                "no_post_table",
                "fant ingen tabell med budsjettposter (kapittel/post og beløp) i arbeidsboka; "
                "se --explain-layout, eller angi oppsettet i en layoutfil",
                file,
            )
        )
    return WorkbookRead(
        path=str(path),
        sha256=digest,
        format=found.format,
        tables=tuple(tables),
        issues=tuple(issues),
        sheets=tuple(sheet_infos),
        layout_file=layout.path if layout is not None and layout.path else None,
    )


# Formats python-calamine reads whole on opening (every sheet), not sheet by sheet.
_READ_WHOLE = ("xls", "ods")


def _cells(extent) -> str:
    corner = f"{column_letter(extent.last_column - 1)}{extent.last_row}"
    return f"A{extent.first_row}:{corner} ({extent.cells:,} cells)".replace(",", " ")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path) from error
    return digest.hexdigest()


_KIND_NAMES = {
    "chartsheet": "et diagramark",
    "dialogsheet": "et dialogark",
    "macrosheet": "et makroark (Excel 4-makroer)",
    "missing": "et ark uten innhold i pakken",
}


def _read_sheet(path, file, workbook, own, meta, rule: SheetRule, found, vocabulary):
    issues: list[ReadIssue] = []

    def skipped(note: str, kind: str, severity: str = "info", rows: int = 0, columns: int = 0):
        issues.append(ReadIssue(kind, f"arket er hoppet over: {note}", file, meta.name, None, severity))
        return SheetInfo(meta.name, meta.visibility, meta.kind, rows, columns, False, note), [], issues

    if rule.skip:
        return skipped("layoutfilen sier skip = true", "sheet_skipped")
    if meta.kind != "worksheet":
        what = _KIND_NAMES.get(meta.kind, f"et ark av typen {meta.kind}")
        return skipped(f"det er {what}, uten tabeller å lese", "sheet_skipped")
    extent = found.sheet_extent(meta.name)
    if extent is not None and extent.cells > containers.MAX_SHEET_CELLS:
        corner = f"{column_letter(extent.last_column - 1)}{extent.last_row}"
        return skipped(
            f"brukt område A{extent.first_row}:{corner} er {extent.cells:,} celler".replace(",", " ")
            + ", for mye å lese (en verdi langt ute i arket?)",
            "sheet_too_large",
            "error",
        )
    errors: dict[tuple[int, int], tuple[str, str]] = {}
    # A sheet with positions to work out is read by the own reader, which places its error cells.
    by_own = workbook is own or (own is not None and found.sheet_parts.get(meta.name) in found.implicit)
    try:
        grid = own.load_grid(meta.name) if by_own else load_grid(workbook, meta.name)
    except SheetUnreadable as error:
        if own is None or by_own:
            return skipped(f"kunne ikke leses ({error})", "sheet_unreadable", "error")
        try:  # python-calamine gives up on a whole sheet for one value it does not know
            grid = own.load_grid(meta.name)
        except SheetUnreadable as again:
            return skipped(f"kunne ikke leses ({again})", "sheet_unreadable", "error")
        issues.append(ReadIssue("read_by_own_reader",
                                f"python-calamine kunne ikke lese arket ({error}); lest med reconciles egen leser",
                                file, meta.name, None, "info"))
    if isinstance(grid, XmlGrid):
        errors = grid.errors
    hidden = meta.visibility != "visible"
    if hidden:
        issues.append(
            ReadIssue("hidden_sheet", f"arket er {'skjult' if meta.visibility == 'hidden' else 'svært skjult'}: lest likevel",
                      file, meta.name, None, "info")
        )
    context = SheetContext(file, meta.name, vocabulary, rule, grid.merged, hidden)
    part = found.sheet_parts.get(meta.name)
    if part is not None and found.format in ("xlsx", "xlsm"):
        try:
            scanned = found.bad_cells.get(part)  # found on container.inspect's pass over the part
            if scanned is None:
                scanned = scan_bad_cells(path, part, zero_formulas=found.full_calc_on_load)
            context.bad_cells = dict(scanned)
        except Exception as error:  # the part was checked in container.inspect; belt and braces
            context.issue("formula_scan_failed", f"kunne ikke se etter formler uten verdi: {error}")
    for (row, column), (kind, detail) in errors.items():  # bad cells the own reader met, placed by it
        context.bad_cells.setdefault((row, column), BadCell(cell_ref(row, column), row, column, kind, detail))
    tables = scan_sheet(context, grid.rows()) if grid.height else []
    if context.bad_cells:
        report_unused_bad_cells(context, tables)
    issues.extend(context.issues)
    info = SheetInfo(meta.name, meta.visibility, meta.kind, grid.height, grid.width, True)
    return info, tables, issues
