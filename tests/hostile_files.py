"""A generator of small workbook packages written part by part, odd or hostile on purpose.

`xlsx_parts` builds the parts of a minimal .xlsx (inline strings, no styles) with the workbook part
wherever asked; `write_zip` stores them, with backslashes in the names if asked. The hostile files
of issue 15 are built from these in the tests, never stored.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKSHEET_TYPE = REL + "/worksheet"
MACROSHEET_TYPE = "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet"
MACROSHEET_CONTENT = "application/vnd.ms-excel.macrosheet+xml"


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell(ref: str | None, value: object, kind: str | None = None) -> str:
    """One `<c>`: text as an inline string, numbers as numbers, `kind="e"` an error value."""
    at = f' r="{ref}"' if ref else ""
    if kind == "e":
        return f'<c{at} t="e"><v>{escape(str(value))}</v></c>'
    if isinstance(value, str):
        return f'<c{at} t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    return f"<c{at}><v>{value}</v></c>"


def row(number: int | None, cells: list[str]) -> str:
    at = f' r="{number}"' if number else ""
    return f"<row{at}>{''.join(cells)}</row>"


def table_rows(rows: list[list[object]], first_row: int = 1) -> str:
    """Rows of values from A`first_row` on, every cell with its reference."""
    out = []
    for offset, values in enumerate(rows):
        number = first_row + offset
        cells = [cell(f"{column_letters(column)}{number}", value)
                 for column, value in enumerate(values, 1) if value is not None]
        out.append(row(number, cells))
    return "".join(out)


def worksheet(sheet_data: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{sheet_data}</sheetData></worksheet>'


def xlsx_parts(sheets: list[tuple[str, str]], *, workbook_part: str = "xl/workbook.xml",
               sheet_folder: str | None = None, kinds: dict[str, str] | None = None,
               entries: list[tuple[str, int]] | None = None) -> dict[str, str]:
    """The parts of an .xlsx holding `sheets` (name, worksheet XML), the workbook part at
    `workbook_part` and the sheets in `sheet_folder` (default: "worksheets" beside the workbook part).

    `kinds` gives a sheet another relationship type (MACROSHEET_TYPE); `entries` lists the
    `<sheet>` entries as (name, index of the part) when they should not be one per part."""
    folder, _, workbook_name = workbook_part.rpartition("/")
    base = f"{folder}/" if folder else ""
    sheet_folder = f"{base}worksheets" if sheet_folder is None else sheet_folder
    kinds = kinds or {}
    parts: dict[str, str] = {}
    rels = []
    overrides = [f'<Override PartName="/{workbook_part}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>']
    for index, (name, xml) in enumerate(sheets, 1):
        part = f"{sheet_folder}/sheet{index}.xml" if sheet_folder else f"sheet{index}.xml"
        parts[part] = xml
        target = _relative(base, part)
        rels.append(f'<Relationship Id="rId{index}" Type="{kinds.get(name, WORKSHEET_TYPE)}" Target="{target}"/>')
        content_type = MACROSHEET_CONTENT if name in kinds else "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        overrides.append(f'<Override PartName="/{part}" ContentType="{content_type}"/>')
    entries = entries if entries is not None else [(name, index) for index, (name, _) in enumerate(sheets, 1)]
    sheet_entries = "".join(f'<sheet name={quoteattr(name)} sheetId="{number}" r:id="rId{index}"/>'
                            for number, (name, index) in enumerate(entries, 1))
    parts[workbook_part] = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
                            f"<sheets>{sheet_entries}</sheets></workbook>")
    parts[f"{base}_rels/{workbook_name}.rels"] = f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">{"".join(rels)}</Relationships>'
    parts["_rels/.rels"] = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
                            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="{workbook_part}"/></Relationships>')
    parts["[Content_Types].xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{CT}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>' + "".join(overrides) + "</Types>"
    )
    return parts


def _relative(base: str, part: str) -> str:
    return part[len(base):] if base and part.startswith(base) else ("/" + part if base else part)


def write_zip(path: Path, parts: dict[str, str | bytes], *, backslashes: bool = False) -> Path:
    """Store `parts` in a zip at `path`, [Content_Types].xml first as Excel writes it."""
    order = sorted(parts, key=lambda name: name != "[Content_Types].xml")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in order:
            data = parts[name]
            stored = name.replace("/", "\\") if backslashes else name
            archive.writestr(zipfile.ZipInfo(stored, (2020, 1, 1, 0, 0, 0)),
                             data.encode("utf-8") if isinstance(data, str) else data,
                             zipfile.ZIP_DEFLATED)
    return path


def write_xlsx(path: Path, sheets: list[tuple[str, str]], *, backslashes: bool = False, **options) -> Path:
    return write_zip(path, xlsx_parts(sheets, **options), backslashes=backslashes)


def rewrite_package(source: Path, target: Path, change) -> Path:
    """A copy of the package at `source` with `change(parts)` applied to its parts (name -> bytes)."""
    with zipfile.ZipFile(source) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    change(parts)
    return write_zip(target, parts)


def add_sheets(parts: dict[str, bytes], sheets: list[tuple[str, str]], *, kind: str = WORKSHEET_TYPE) -> None:
    """Append sheets (name, worksheet XML) to the parts of a workbook kept at xl/workbook.xml."""
    workbook = parts["xl/workbook.xml"].decode("utf-8")
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    entries, relationships, overrides = [], [], []
    for number, (name, xml) in enumerate(sheets, 1):
        part = f"worksheets/added{number}.xml"
        parts[f"xl/{part}"] = xml.encode("utf-8")
        entries.append(f'<sheet name={quoteattr(name)} sheetId="{1000 + number}" r:id="rIdAdded{number}"/>')
        relationships.append(f'<Relationship Id="rIdAdded{number}" Type="{kind}" Target="{part}"/>')
        overrides.append(f'<Override PartName="/xl/{part}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
    parts["xl/workbook.xml"] = workbook.replace("</sheets>", "".join(entries) + "</sheets>").encode("utf-8")
    parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", "".join(relationships) + "</Relationships>").encode("utf-8")
    parts["[Content_Types].xml"] = types.replace("</Types>", "".join(overrides) + "</Types>").encode("utf-8")


# --- hostile files: each must end in exit 2 with one line naming the file, never abort ------------

LAST_ROW = 1_048_576
LAST_COLUMN = "XFD"


def far_implicit_cell(path: Path) -> Path:
    """A value at XFD1 and one in row 1 048 576 whose column follows from no reference."""
    xml = worksheet(row(1, [cell(f"{LAST_COLUMN}1", 1)]) + row(LAST_ROW, [cell(None, 1)]))
    return write_xlsx(path, [("Ark1", xml)])


def far_implicit_row(path: Path) -> Path:
    """Rows without numbers: the last follows row 1 048 575; a value at XFD1."""
    xml = worksheet(row(1, [cell(f"{LAST_COLUMN}1", 1)]) + f'<row r="{LAST_ROW - 1}"/>' + row(None, [cell(None, 2)]))
    return write_xlsx(path, [("Ark1", xml)])


def far_implicit_column(path: Path) -> Path:
    """Row 1 048 576 given, its 16 384th cell placed by 16 383 empty cells before it; a value at A1."""
    xml = worksheet(row(1, [cell("A1", 1)]) + f'<row r="{LAST_ROW}">' + "<c/>" * 16_383 + cell(None, 1) + "</row>")
    return write_xlsx(path, [("Ark1", xml)])


def far_prefixed_implicit_cell(path: Path) -> Path:
    """`far_implicit_cell` with the main namespace under a prefix."""
    body = (f'<x:row r="1"><x:c r="{LAST_COLUMN}1"><x:v>1</x:v></x:c></x:row>'
            f'<x:row r="{LAST_ROW}"><x:c><x:v>1</x:v></x:c></x:row>')
    xml = f'<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData>{body}</x:sheetData></x:worksheet>'
    return write_xlsx(path, [("Ark1", xml)])


XLSX_HOSTILE = {
    "far-implicit-cell.xlsx": far_implicit_cell,
    "far-implicit-row.xlsx": far_implicit_row,
    "far-implicit-column.xlsx": far_implicit_column,
    "far-prefixed-implicit-cell.xlsm": far_prefixed_implicit_cell,
}

HOSTILE = dict(XLSX_HOSTILE)
