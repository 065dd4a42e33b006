"""Write an annotated copy of an .xlsx/.xlsm workbook without losing anything in it.

The copy is made on the zip package, part by part, never through a spreadsheet library's model
of the workbook (a load-and-save drops shapes, pivot caches, extension lists and every formula's
cached value). Parts annotation does not need are copied as they are, in their original order.
Changed parts, and only these:

* `xl/styles.xml` — new fills/borders/fonts and new cell formats appended (see `styles_part`);
* each marked sheet — the `s` attribute of marked cells (cells and rows created where missing),
  `<dimension>` widened if needed, `<legacyDrawing>` added if the sheet had no VML drawing;
* comment parts and their VML drawings, created or extended (see `comments_part`);
* the marked sheets' relationship parts, `[Content_Types].xml`;
* for added summary sheets: `xl/workbook.xml` (a `<sheet>` entry) and its relationships.

`docProps/app.xml` is left as it is (its sheet list is informative; Excel does not check it).

Colours (`STATUS_COLOURS`, fill RGB): match green; mismatch and missing red (an amount that
differs from, or is absent against, the allocation letters is a discrepancy); explained, warning
and unexpected amber (something to look at, not shown to be wrong). A cell under conditional
formatting gets a medium border in `STATUS_BORDER_COLOURS` instead, since the rule's own fill
would hide ours.

Problems that stop one mark (an unknown sheet, a chartsheet, a bad reference) are returned in
`AnnotationReport.problems` (Norwegian, for the user); an unreadable input raises `InputError`,
an unusable target `OutputError`.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Sequence

from reconcile.errors import InputError, OutputError
from reconcile.output import comments_part, ooxml, xmltext
from reconcile.output.new_sheet import render_sheet
from reconcile.output.sheet_stream import SheetError, rewrite_sheet, scan_sheet
from reconcile.output.styles_part import StylesEditor, default_styles_part

STATUS_COLOURS: dict[str, str] = {
    "match": "C6EFCE",
    "mismatch": "FFC7CE",
    "missing": "FFC7CE",
    "explained": "FFEB9C",
    "warning": "FFEB9C",
    "unexpected": "FFEB9C",
}
STATUS_BORDER_COLOURS: dict[str, str] = {
    "match": "00B050",
    "mismatch": "C00000",
    "missing": "C00000",
    "explained": "BF8F00",
    "warning": "BF8F00",
    "unexpected": "BF8F00",
}
STATUS_LABELS: dict[str, str] = {
    "match": "Stemmer",
    "mismatch": "Avvik",
    "missing": "Mangler",
    "explained": "Forklart avvik",
    "warning": "Advarsel",
    "unexpected": "Uventet beløp",
}
# When several marks land on one cell, the most severe status colours it.
_SEVERITY = ("match", "explained", "warning", "unexpected", "missing", "mismatch")

_SPOOL_BYTES = 4 * 1024 * 1024
# A rewritten part this large (a sheet of a million rows is some 350 MB of XML) is deflated at
# level 1: about 4 times faster than the default level 6, for a part some 25 % larger.
_FAST_DEFLATE_FROM = 16 * 1024 * 1024
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError)   # compressed data that will not inflate
_COPY_CHUNK = 1 << 20
WORKBOOK_ORDER = (
    "fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets",
    "functionGroups", "externalReferences", "definedNames", "calcPr", "oleSize",
    "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing",
    "fileRecoveryPr", "webPublishObjects", "extLst",
)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


@dataclass(frozen=True)
class CellMark:
    """A status (and optional note) for one cell of an existing worksheet."""

    sheet: str      # worksheet name as shown in Excel
    cell: str       # A1 reference, e.g. "C7"
    status: str     # a key of STATUS_COLOURS
    note: str       # comment text; appended after any existing comment on that cell


@dataclass(frozen=True)
class Link:
    """A cell value for a NewSheet: text that links to a cell of another sheet."""

    text: str
    sheet: str
    cell: str


@dataclass(frozen=True)
class NewSheet:
    """A sheet added after the existing ones. Row 0 is the header (bold, frozen, autofilter).

    `row_statuses[i]` (a STATUS_COLOURS key or None) colours data row i (rows[i + 1]): every
    cell of the row, or only column `status_column` when that is given.
    """

    name: str
    rows: Sequence[Sequence[object]]
    column_widths: Sequence[float] = ()
    row_statuses: Sequence[str | None] = ()
    status_column: int | None = None


@dataclass(frozen=True)
class AnnotationReport:
    marked_cells: int
    notes_added: int
    notes_appended: int           # cells that already had a comment
    borders_instead_of_fill: int  # cells under conditional formatting
    problems: tuple[str, ...]     # what could not be done, in Norwegian
    sheets_added: tuple[str, ...] = ()   # names the new sheets got (after any renaming)

    def to_dict(self) -> dict:
        return {
            "marked_cells": self.marked_cells,
            "notes_added": self.notes_added,
            "notes_appended": self.notes_appended,
            "borders_instead_of_fill": self.borders_instead_of_fill,
            "problems": list(self.problems),
            "sheets_added": list(self.sheets_added),
        }


def write_annotated_copy(
    source: Path,
    target: Path,
    marks: Sequence[CellMark],
    new_sheets: Sequence[NewSheet] = (),
) -> AnnotationReport:
    """Copy `source` to `target` with `marks` coloured and noted and `new_sheets` appended.

    The target is written to a temporary file beside it and moved into place; the source is only
    read.
    """
    source, target = Path(source), Path(target)
    _check_target(source, target)
    with ooxml.Package(source) as pkg:
        job = _Job(pkg, source, target)
        job.annotate(marks)
        job.add_sheets(new_sheets)
        job.check_extension()
        job.write()
        return job.report()


def _check_target(source: Path, target: Path) -> None:
    if not source.is_file():
        raise InputError("no such file", source)
    try:
        if target.exists() and os.path.samefile(target, source):
            raise OutputError("the output is the same file as the input: the input is never changed", target)
    except OSError as exc:
        raise OutputError(f"cannot use the output file: {exc}", target) from exc
    if not target.parent.is_dir():
        raise OutputError("the output folder does not exist", target)


@dataclass(frozen=True)
class _SheetEntry:
    name: str
    rel_id: str | None
    part: str | None
    kind: str  # relationship kind: worksheet, chartsheet, dialogsheet, xlMacrosheet, ...


@dataclass
class _Counts:
    marked: int = 0
    notes_added: int = 0
    notes_appended: int = 0
    borders: int = 0


class _Job:
    """One annotated copy in the making: the source package and every change to be written."""

    def __init__(self, pkg: ooxml.Package, source: Path, target: Path):
        self.pkg, self.source, self.target = pkg, source, target
        self.problems: list[str] = []
        self.counts = _Counts()
        self.replaced: dict[str, bytes | IO[bytes]] = {}
        self.added: dict[str, bytes] = {}
        self.taken: set[str] = set()
        self.sheets_added: list[str] = []
        self._read_package()
        self._styles: StylesEditor | None = None
        self._next_idmap: int | None = None
        self._content_types: dict[str, str] = {}   # added part -> content type

    # -- reading -----------------------------------------------------------------------------

    def _read_package(self) -> None:
        pkg = self.pkg
        if not pkg.has("[Content_Types].xml"):
            raise InputError("the package has no [Content_Types].xml: not an Excel file", self.source)
        self.ct_text, self.ct_encoding, self.ct_root = pkg.parse("[Content_Types].xml")
        office = [r for r in pkg.relationships("") if r.kind == "officeDocument" and not r.external]
        if not office or not pkg.has(office[0].target):
            raise InputError("found no workbook in the package", self.source)
        self.wb_part = pkg.name(office[0].target) or office[0].target
        self.wb_text, self.wb_encoding, self.wb_root = pkg.parse(self.wb_part)
        if self.wb_root.local != "workbook":
            raise InputError(f"the main part is {self.wb_root.qname}, not a workbook",
                             self.source)
        namespace = self.wb_root.namespace
        dialect = next((d for d in ooxml.DIALECTS if d.main_ns == namespace), None)
        if dialect is None:
            raise InputError(f"unknown namespace for the workbook: {namespace}", self.source)
        self.dialect = dialect
        self.wb_folder = self.wb_part.rpartition("/")[0]
        self.wb_rels = pkg.relationships(self.wb_part)
        self.wb_rel_ids = {r.id for r in self.wb_rels}
        rel_by_id = {r.id: r for r in self.wb_rels}
        self.sheets: list[_SheetEntry] = []
        sheets_node = self.wb_root.find("sheets")
        for node in sheets_node.find_all("sheet") if sheets_node else []:
            rid = node.attr_ns(ooxml.TRANSITIONAL.rel_ns, "id") or node.attr_ns(
                ooxml.STRICT.rel_ns, "id")
            rel = rel_by_id.get(rid or "")
            if rel is None or rel.external:
                self.sheets.append(_SheetEntry(node.attrs.get("name", ""), rid, None, "missing"))
            else:
                part = pkg.name(rel.target)
                self.sheets.append(_SheetEntry(node.attrs.get("name", ""), rid, part,
                                               rel.kind if part else "missing"))
        # Per-mark lookups by name are constant time: a workbook may list thousands of sheets.
        self._by_name = {}
        self._by_folded = {}
        for entry in self.sheets:
            self._by_name.setdefault(entry.name, entry)
            self._by_folded.setdefault(entry.name.casefold(), entry)
        styles = [r for r in self.wb_rels if r.kind == "styles" and not r.external]
        self.styles_part = pkg.name(styles[0].target) if styles else None
        pr = self.wb_root.find("workbookPr")
        self.date1904 = bool(pr and pr.attrs.get("date1904", "").lower() in ("1", "true"))

    @property
    def styles(self) -> StylesEditor:
        if self._styles is None:
            data = (self.pkg.read(self.styles_part) if self.styles_part
                    else default_styles_part(self.dialect))
            try:
                self._styles = StylesEditor(data)
            except (xmltext.XmlTextError, UnicodeDecodeError, LookupError) as exc:
                raise InputError(f"unreadable styles part {self.styles_part}: {exc}", self.source) from exc
        return self._styles

    def _find_sheet(self, name: str) -> _SheetEntry | None:
        return self._by_name.get(name) or self._by_folded.get(name.casefold())

    # -- marks -------------------------------------------------------------------------------

    def annotate(self, marks: Sequence[CellMark]) -> None:
        per_sheet: dict[str, tuple[_SheetEntry, dict[tuple[int, int], list[CellMark]]]] = {}
        for mark in marks:
            where = f"{mark.sheet}!{mark.cell}"
            if mark.status not in STATUS_COLOURS:
                self.problems.append(f"{where}: ukjent status «{mark.status}»; ikke merket")
                continue
            entry = self._find_sheet(mark.sheet)
            if entry is None:
                self.problems.append(f"{where}: arket «{mark.sheet}» finnes ikke; ikke merket")
                continue
            if entry.kind != "worksheet" or entry.part is None:
                kind = {"chartsheet": "et diagramark", "dialogsheet": "et dialogark",
                        "xlMacrosheet": "et makroark", "missing": "et ark uten innhold i pakken",
                        }.get(entry.kind, f"et ark av typen {entry.kind}")
                self.problems.append(f"{where}: «{entry.name}» er {kind}; celler der kan ikke "
                                     "merkes")
                continue
            cell = ooxml.parse_cell(mark.cell)
            if cell is None:
                self.problems.append(f"{where}: ugyldig cellereferanse «{mark.cell}»")
                continue
            per_sheet.setdefault(entry.part, (entry, {}))[1].setdefault(cell, []).append(mark)
        for entry, cells in per_sheet.values():
            self._annotate_sheet(entry, cells)

    def _annotate_sheet(self, entry: _SheetEntry,
                        cells: dict[tuple[int, int], list[CellMark]]) -> None:
        assert entry.part is not None
        pkg, part = self.pkg, entry.part
        try:
            with pkg.open(part) as src:
                scan = scan_sheet(src)
        except SheetError as exc:
            self.problems.append(f"arket «{entry.name}» kan ikke leses for merking ({exc}); "
                                 f"{len(cells)} celle(r) ikke merket")
            return
        except _DAMAGED as exc:
            raise InputError(f"sheet '{entry.name}' is damaged in the package: {exc}", self.source) from exc
        plans: dict[tuple[int, int], list[CellMark]] = {}
        for cell, marks in cells.items():
            plans.setdefault(scan.top_left(*cell), []).extend(marks)
        status = {cell: max((m.status for m in ms), key=_SEVERITY.index)
                  for cell, ms in plans.items()}
        notes = []
        for cell, ms in sorted(plans.items()):
            texts = list(dict.fromkeys(m.note.strip() for m in ms if m.note.strip()))
            if texts:
                notes.append(comments_part.Note(cell[0], cell[1], "\n".join(texts)))

        sheet_rels = pkg.relationships(part)
        comment_changes = self._plan_comments(entry, sheet_rels, scan, notes) if notes else None
        borders: set[tuple[int, int]] = set()

        def style_for(row: int, col: int, base: int) -> int:
            st = status[(row, col)]
            use_border = scan.under_conditional_format(row, col)
            if use_border:
                borders.add((row, col))
            return self.styles.marked_xf(base, STATUS_COLOURS[st], STATUS_BORDER_COLOURS[st],
                                         use_border)

        spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)
        legacy_rid = comment_changes.legacy_rid if comment_changes else None
        try:
            with pkg.open(part) as src:
                result = rewrite_sheet(src, spool, set(plans), style_for, legacy_rid,
                                       rows_numbered=scan.rows_numbered)
        except SheetError as exc:
            spool.close()
            self.problems.append(f"arket «{entry.name}» kan ikke skrives om ({exc}); "
                                 f"{len(cells)} celle(r) ikke merket")
            return
        except _DAMAGED as exc:
            spool.close()
            raise InputError(f"sheet '{entry.name}' is damaged in the package: {exc}", self.source) from exc
        spool.seek(0)
        self.replaced[part] = spool
        self.problems.extend(f"arket «{entry.name}»: {p}" for p in result.problems)
        self.counts.marked += len(result.styled)
        self.counts.borders += len(borders & result.styled)
        if comment_changes is not None:
            comment_changes.commit(self)

    def _plan_comments(self, entry: _SheetEntry, rels: tuple[ooxml.Relationship, ...],
                       scan, notes: list[comments_part.Note]) -> "_CommentChanges | None":
        assert entry.part is not None
        pkg, part = self.pkg, entry.part
        skipped = f"{len(notes)} merknad(er) på arket «{entry.name}» ble ikke lagt til"
        rel_ids = {r.id for r in rels}
        changes = _CommentChanges(sheet_part=part)
        vml_rel = None
        if scan.legacy_drawing_rid is not None:
            vml_rel = next((r for r in rels if r.id == scan.legacy_drawing_rid), None)
            if vml_rel is None or vml_rel.external or not pkg.has(vml_rel.target):
                self.problems.append(f"{skipped}: arkets VML-tegning mangler i pakken")
                return None
        comments_rel = next((r for r in rels if r.kind == "comments" and not r.external), None)
        if comments_rel is not None and not pkg.has(comments_rel.target):
            self.problems.append(f"{skipped}: arkets kommentardel mangler i pakken")
            return None
        if any(r.kind == "threadedComment" for r in rels):
            self.problems.append(f"arket «{entry.name}» har trådkommentarer (Excel 365); "
                                 "merknader på celler som har en slik, vises kanskje ikke i Excel")
        try:
            if comments_rel is None:
                edit = comments_part.new_comments_part(notes, self.dialect.main_ns)
                comments_name = pkg.unused_name(
                    (self.wb_folder + "/" if self.wb_folder else "") + "comments{}.xml", self.taken)
                changes.new_parts[comments_name] = edit.data
                changes.content_types[comments_name] = ooxml.CT_COMMENTS
                rid = ooxml.unused_rel_id(rel_ids)
                rel_ids.add(rid)
                changes.rels.append(ooxml.relationship_xml(
                    rid, self.dialect.rel_type("comments"),
                    ooxml.relative_target(part, comments_name)))
            else:
                comments_name = pkg.name(comments_rel.target) or comments_rel.target
                edit = comments_part.edit_comments_part(pkg.read(comments_name), notes)
                changes.replaced_parts[comments_name] = edit.data
            text_of = {(n.row, n.col): n.text for n in notes}
            wanted = sorted(edit.added | edit.appended)
            if vml_rel is None:
                shapes = [(r, c, comments_part.text_lines(text_of[(r, c)])) for r, c in wanted]
                vml_name = pkg.unused_name(
                    (self.wb_folder + "/" if self.wb_folder else "") + "drawings/vmlDrawing{}.vml",
                    self.taken)
                changes.new_parts[vml_name] = comments_part.new_vml_part(shapes, self.next_idmap())
                changes.vml_part = vml_name
                rid = ooxml.unused_rel_id(rel_ids)
                rel_ids.add(rid)
                changes.legacy_rid = rid
                changes.rels.append(ooxml.relationship_xml(
                    rid, self.dialect.rel_type("vmlDrawing"),
                    ooxml.relative_target(part, vml_name)))
            else:
                vml_name = pkg.name(vml_rel.target) or vml_rel.target
                data = pkg.read(vml_name)
                have = comments_part.note_shape_cells(data)
                shapes = [(r, c, comments_part.text_lines(text_of[(r, c)]))
                          for r, c in wanted if (r, c) not in have]
                if shapes:
                    changes.replaced_parts[vml_name] = comments_part.extend_vml_part(data, shapes)
        except (xmltext.XmlTextError, ValueError, UnicodeDecodeError) as exc:
            self.problems.append(f"{skipped}: kommentardelene kan ikke leses ({exc})")
            return None
        changes.added = len(edit.added)
        changes.appended = len(edit.appended)
        return changes

    def next_idmap(self) -> int:
        """A VML shape-id block no drawing in the package uses."""
        if self._next_idmap is None:
            used = {0}
            for info in self.pkg.infos:
                if info.filename.lower().endswith(".vml"):
                    used |= comments_part.vml_idmaps(self.pkg.read(info.filename))
            self._next_idmap = max(used) + 1
        value = self._next_idmap
        self._next_idmap += 1
        return value

    # -- new sheets --------------------------------------------------------------------------

    def add_sheets(self, new_sheets: Sequence[NewSheet]) -> None:
        if not new_sheets:
            return
        sheets_node = self.wb_root.find("sheets")
        if sheets_node is None:
            self.problems.append("arbeidsboken mangler <sheets>; oppsummeringsark ikke lagt til")
            return
        names = {e.name.casefold() for e in self.sheets}
        rel_ids = self.wb_rel_ids
        ids = [int(n.attrs["sheetId"]) for n in sheets_node.find_all("sheet")
               if n.attrs.get("sheetId", "").isdigit()]
        next_id = max([0, *ids]) + 1
        elements: list[tuple[str, int, str]] = []
        filters: list[tuple[str, int, str]] = []
        rels: list[str] = []
        for sheet in new_sheets:
            name = self._sheet_name(sheet.name, names)
            names.add(name.casefold())
            part = self.pkg.unused_name(
                (self.wb_folder + "/" if self.wb_folder else "") + "worksheets/sheet{}.xml",
                self.taken)
            rendered = render_sheet(sheet.rows, sheet.column_widths, sheet.row_statuses,
                                    sheet.status_column, self.styles, self.dialect.main_ns,
                                    STATUS_COLOURS.get, self.date1904)
            self.problems.extend(f"arket «{name}»: {p}" for p in rendered.problems)
            self.added[part] = rendered.data
            rid = ooxml.unused_rel_id(rel_ids)
            rel_ids.add(rid)
            rels.append(ooxml.relationship_xml(rid, self.dialect.rel_type("worksheet"),
                                               ooxml.relative_target(self.wb_part, part)))
            self._content_types[part] = ooxml.CT_WORKSHEET
            elements.append((name, next_id, rid))
            if rendered.autofilter:
                filters.append((name, len(self.sheets) + len(elements) - 1, rendered.autofilter))
            next_id += 1
            self.sheets_added.append(name)
        all_names = names
        for sheet in new_sheets:
            for row in sheet.rows:
                for value in row:
                    if isinstance(value, Link) and value.sheet.casefold() not in all_names:
                        self.problems.append(f"lenken «{value.text}» viser til arket "
                                             f"«{value.sheet}», som ikke finnes")
        self._edit_workbook(sheets_node, elements, filters)
        wb_rels_name = ooxml.rels_name_for(self.wb_part)
        if self.pkg.has(wb_rels_name):
            stored = self.pkg.name(wb_rels_name) or wb_rels_name
            self.replaced[stored] = ooxml.add_relationships(self.pkg.read(stored), rels)
        else:
            self.added[wb_rels_name] = ooxml.new_relationships_part(rels)

    def _sheet_name(self, wanted: str, taken: set[str]) -> str:
        name = _BAD_SHEET_CHARS.sub("_", wanted).strip().strip("'")[:31] or "Avstemming"
        if name.casefold() == "history":
            name = "Avstemming"
        base, n = name, 2
        while name.casefold() in taken:
            suffix = f" ({n})"
            name = base[:31 - len(suffix)] + suffix
            n += 1
        if name != wanted:
            self.problems.append(f"arket «{wanted}» fikk navnet «{name}»")
        return name

    def _edit_workbook(self, sheets_node: xmltext.Node, elements: list[tuple[str, int, str]],
                       filters: list[tuple[str, int, str]]) -> None:
        """Add the new sheets to `<sheets>`, and for each autofilter the hidden defined name
        `_xlnm._FilterDatabase` that Excel itself writes beside one."""
        r_prefix = sheets_node.prefix_for(self.dialect.rel_ns)
        declare = ""
        if not r_prefix:
            r_prefix, declare = "r", f' xmlns:r="{self.dialect.rel_ns}"'
        pfx = sheets_node.prefix
        sheet_q = xmltext.qualify(pfx, "sheet")
        xml = "".join(f'<{sheet_q} name="{xmltext.escape_attr(name)}" sheetId="{sid}"{declare}'
                      f' {r_prefix}:id="{rid}"/>' for name, sid, rid in elements)
        edits = xmltext.Edits()
        xmltext.append_child(edits, sheets_node, xml)
        name_q = xmltext.qualify(pfx, "definedName")
        names = "".join(
            f'<{name_q} name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
            f"{xmltext.escape_text(ooxml.quote_sheet_name(name))}!{ref}</{name_q}>"
            for name, index, ref in filters)
        if names:
            defined = self.wb_root.find("definedNames")
            if defined is None:
                names_q = xmltext.qualify(pfx, "definedNames")
                xmltext.insert_child_ordered(edits, self.wb_root, f"<{names_q}>{names}</{names_q}>",
                                             "definedNames", WORKBOOK_ORDER)
            else:
                xmltext.append_child(edits, defined, names)
        self.replaced[self.wb_part] = xmltext.encode_part(edits.apply(self.wb_text),
                                                          self.wb_encoding)

    # -- finishing ---------------------------------------------------------------------------

    def check_extension(self) -> None:
        overrides = {n.attrs.get("PartName", "").lstrip("/").lower(): n.attrs.get("ContentType", "")
                     for n in self.ct_root.find_all("Override")}
        macro = "macroenabled" in overrides.get(self.wb_part.lower(), "").lower()
        suffix = self.target.suffix.lower()
        if macro and suffix not in (".xlsm", ".xltm"):
            self.problems.append(f"kildefilen har makroer; målfilen bør ha endelsen .xlsm, ikke "
                                 f"{suffix or '(ingen)'}, ellers vil ikke Excel åpne den")
        elif not macro and suffix == ".xlsm":
            self.problems.append("kildefilen har ikke makroer; målfilen bør ha endelsen .xlsx, "
                                 "ellers vil ikke Excel åpne den")

    def _finish_parts(self) -> None:
        if self._styles is not None and self._styles.changed:
            data = self._styles.render()
            if self.styles_part:
                self.replaced[self.styles_part] = data
            else:
                folder = self.wb_folder + "/" if self.wb_folder else ""
                name = f"{folder}styles.xml"   # the usual name; some readers look only there
                if self.pkg.has(name) or name.lower() in self.taken:
                    name = self.pkg.unused_name(folder + "styles{}.xml", self.taken)
                self.added[name] = data
                self._content_types[name] = ooxml.CT_STYLES
                rels_name = ooxml.rels_name_for(self.wb_part)
                rel = ooxml.relationship_xml(ooxml.unused_rel_id(self.wb_rel_ids),
                                             self.dialect.rel_type("styles"),
                                             ooxml.relative_target(self.wb_part, name))
                current = self.replaced.get(rels_name) or self.added.get(rels_name)
                if isinstance(current, bytes):
                    target = self.replaced if rels_name in self.replaced else self.added
                    target[rels_name] = ooxml.add_relationships(current, [rel])
                elif self.pkg.has(rels_name):
                    stored = self.pkg.name(rels_name) or rels_name
                    self.replaced[stored] = ooxml.add_relationships(self.pkg.read(stored), [rel])
                else:
                    self.added[rels_name] = ooxml.new_relationships_part([rel])
        if self.added:
            self._add_content_types()

    def _add_content_types(self) -> None:
        """Give every added part a content type: a Default for .rels/.vml when the package has
        none for that extension (some producers list each part instead), else an Override."""
        root = self.ct_root
        defaults = {n.attrs.get("Extension", "").lower() for n in root.find_all("Default")}
        overrides = {n.attrs.get("PartName", "").lower() for n in root.find_all("Override")}
        by_extension = {"rels": ooxml.CT_RELS, "vml": ooxml.CT_VML}
        xml = []
        for name in self.added:
            if "/" + name.lower() in overrides:
                continue
            ext = name.rpartition(".")[2].lower()
            if ext in by_extension:
                if ext not in defaults:
                    defaults.add(ext)
                    xml.append(f'<Default Extension="{ext}" ContentType="{by_extension[ext]}"/>')
                continue
            content_type = self._content_types.get(name)
            if content_type:
                xml.append(f'<Override PartName="/{xmltext.escape_attr(name)}" '
                           f'ContentType="{content_type}"/>')
        if not xml:
            return
        pfx = root.prefix
        if pfx:
            xml = [x.replace("<", f"<{pfx}:", 1) for x in xml]
        edits = xmltext.Edits()
        xmltext.append_child(edits, root, "".join(xml))
        self.replaced[self.pkg.name("[Content_Types].xml") or "[Content_Types].xml"] = (
            xmltext.encode_part(edits.apply(self.ct_text), self.ct_encoding))

    def write(self) -> None:
        self._finish_parts()
        target = self.target
        # Beside the target (so os.replace is atomic), created exclusively with the usual
        # permissions (mkstemp would make it private to the owner).
        tmp_name = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
        try:
            fh = open(tmp_name, "xb")
        except OSError as exc:
            raise OutputError(f"cannot write in the output folder: {exc.strerror or exc}", target) from exc
        try:
            with fh:
                with zipfile.ZipFile(fh, "w", allowZip64=True) as out:
                    out.comment = self.pkg.zip.comment
                    self._by_part = {ooxml.logical_name(name).lower(): value for name, value in self.replaced.items()}
                    for info in self.pkg.infos:
                        self._write_part(out, info)
                    for name, data in self.added.items():
                        stored = name.replace("/", "\\") if self.pkg.backslashes else name  # the package's own way
                        zi = zipfile.ZipInfo(stored, date_time=(1980, 1, 1, 0, 0, 0))
                        zi.compress_type = zipfile.ZIP_DEFLATED
                        out.writestr(zi, data)
            os.replace(tmp_name, target)
        except BaseException as exc:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
            if isinstance(exc, OSError) and not isinstance(exc, zipfile.BadZipFile):
                raise OutputError(f"cannot write the output: {exc.strerror or exc}",
                                  target) from exc
            raise
        finally:
            for value in self.replaced.values():
                if not isinstance(value, bytes):
                    value.close()

    def _write_part(self, out: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
        zi.compress_type = (info.compress_type if info.compress_type in
                            (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) else zipfile.ZIP_DEFLATED)
        zi.external_attr = info.external_attr
        zi.comment = info.comment
        if info.is_dir():
            out.writestr(zi, b"")
            return
        replacement = self._by_part.get(ooxml.logical_name(info.filename).lower())
        if isinstance(replacement, bytes):
            out.writestr(zi, replacement)
            return
        size = info.file_size if replacement is None else _size(replacement)
        if replacement is not None and size >= _FAST_DEFLATE_FROM and zi.compress_type == zipfile.ZIP_DEFLATED:
            _set_level(zi, 1)
        big = size > 0x7FFF0000
        with out.open(zi, "w", force_zip64=big) as dst:
            if replacement is not None:
                shutil.copyfileobj(replacement, dst, _COPY_CHUNK)
                return
            try:
                with self.pkg.zip.open(info) as src:
                    shutil.copyfileobj(src, dst, _COPY_CHUNK)
            except (*_DAMAGED, NotImplementedError, ValueError) as exc:
                raise InputError(f"cannot unpack {info.filename}: {exc}", self.source) from exc

    def report(self) -> AnnotationReport:
        return AnnotationReport(
            marked_cells=self.counts.marked,
            notes_added=self.counts.notes_added,
            notes_appended=self.counts.notes_appended,
            borders_instead_of_fill=self.counts.borders,
            problems=tuple(self.problems),
            sheets_added=tuple(self.sheets_added),
        )


def _set_level(info: zipfile.ZipInfo, level: int) -> None:
    """The deflate level zipfile uses for this entry (`compress_level` from Python 3.13 on)."""
    if hasattr(type(info), "compress_level"):
        info.compress_level = level
    else:
        info._compresslevel = level


def _size(stream: IO[bytes]) -> int:
    here = stream.tell()
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(here)
    return size


@dataclass
class _CommentChanges:
    """The comment, VML, relationship and content-type changes for one sheet, kept aside until
    the sheet itself has been rewritten, so a failure leaves none of them half-done."""

    sheet_part: str
    new_parts: dict[str, bytes] = field(default_factory=dict)
    replaced_parts: dict[str, bytes] = field(default_factory=dict)
    rels: list[str] = field(default_factory=list)
    content_types: dict[str, str] = field(default_factory=dict)
    legacy_rid: str | None = None
    vml_part: str | None = None
    added: int = 0
    appended: int = 0

    def commit(self, job: _Job) -> None:
        job.added.update(self.new_parts)
        job.replaced.update(self.replaced_parts)
        job._content_types.update(self.content_types)
        if self.rels:
            rels_name = ooxml.rels_name_for(self.sheet_part)
            if job.pkg.has(rels_name):
                stored = job.pkg.name(rels_name) or rels_name
                job.replaced[stored] = ooxml.add_relationships(job.pkg.read(stored), self.rels)
            else:
                job.added[rels_name] = ooxml.new_relationships_part(self.rels)
        job.counts.notes_added += self.added
        job.counts.notes_appended += self.appended
