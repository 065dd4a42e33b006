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


def far_lowercase_cell(path: Path) -> Path:
    """A value at xfd1048576, spelled in small letters (python-calamine reads it so)."""
    return write_xlsx(path, [("Ark1", worksheet(row(1, [cell("A1", 1)]) + row(LAST_ROW, [cell("xfd1048576", 1)])))])


def far_zero_padded_cell(path: Path) -> Path:
    """A value at XFD1048576 with its row number padded by zeros beyond seven digits."""
    return write_xlsx(path, [("Ark1", worksheet(row(1, [cell("A1", 1)]) + row(LAST_ROW, [cell("XFD0001048576", 1)])))])


XLSX_HOSTILE = {
    "far-lowercase-cell.xlsx": far_lowercase_cell,
    "far-zero-padded-cell.xlsx": far_zero_padded_cell,
    "far-implicit-cell.xlsx": far_implicit_cell,
    "far-implicit-row.xlsx": far_implicit_row,
    "far-implicit-column.xlsx": far_implicit_column,
    "far-prefixed-implicit-cell.xlsm": far_prefixed_implicit_cell,
}

def many_sheets_one_part(path: Path) -> Path:
    """20 000 `<sheet>` entries pointing at one part (issue 15 timed it at 388 s and 3 GB)."""
    table = worksheet(table_rows([["Kap./post", "Tildelingsbrev"], ["671/21", 1000]]))
    return write_xlsx(path, [("Ark1", table)], entries=[(f"Ark{n}", 1) for n in range(1, 20_001)])


HOSTILE = dict(XLSX_HOSTILE)
HOSTILE["many-sheets-one-part.xlsx"] = many_sheets_one_part


# --- OpenDocument ------------------------------------------------------------------------------

ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"')


def ods_cell(value: object = None, repeated: int = 1) -> str:
    repeat = f' table:number-columns-repeated="{repeated}"' if repeated > 1 else ""
    if value is None:
        return f"<table:table-cell{repeat}/>"
    if isinstance(value, str):
        return f'<table:table-cell{repeat} office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'
    return f'<table:table-cell{repeat} office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'


def ods_row(cells: list[str], repeated: int = 1) -> str:
    repeat = f' table:number-rows-repeated="{repeated}"' if repeated > 1 else ""
    return f"<table:table-row{repeat}>{''.join(cells)}</table:table-row>"


def write_ods(path: Path, tables: list[tuple[str, str]]) -> Path:
    """An .ods of `tables` (name, rows XML), the mimetype stored first as the format asks."""
    body = "".join(f"<table:table table:name={quoteattr(name)}>{rows}</table:table>" for name, rows in tables)
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS}>'
               f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIME}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", (2020, 1, 1, 0, 0, 0)), ODS_MIME, zipfile.ZIP_STORED)
        archive.writestr(zipfile.ZipInfo("content.xml", (2020, 1, 1, 0, 0, 0)), content, zipfile.ZIP_DEFLATED)
        archive.writestr(zipfile.ZipInfo("META-INF/manifest.xml", (2020, 1, 1, 0, 0, 0)), manifest, zipfile.ZIP_DEFLATED)
    return path


def ods_far_cells(path: Path) -> Path:
    """A value after 16 383 repeated empty cells in row 1, and one after 1 048 574 repeated empty rows."""
    rows = (ods_row([ods_cell(None, 16_383), ods_cell(1)]) + ods_row([ods_cell(None)], LAST_ROW - 2)
            + ods_row([ods_cell(2)]))
    return write_ods(path, [("Ark1", rows)])


def ods_repeated_values(path: Path) -> Path:
    """One value cell repeated across 16 384 columns in 1 048 576 rows."""
    return write_ods(path, [("Ark1", ods_row([ods_cell(7, 16_384)], LAST_ROW))])


def ods_huge_repeat_count(path: Path) -> Path:
    """Repeat counts beyond any sheet (2^31 columns and rows) on a value."""
    return write_ods(path, [("Ark1", ods_row([ods_cell(7, 2**31)], 2**31))])


# --- Excel binary (.xlsb), written record by record ([MS-XLSB]) ----------------------------------

import struct  # noqa: E402


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _record(kind: int, data: bytes = b"") -> bytes:
    return _varint(kind) + _varint(len(data)) + data


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def xlsb_sheet(cells: list[tuple[int, int, float]], dimension: tuple[int, int, int, int] | None = None) -> bytes:
    """A worksheet part of number cells (0-based row, column, value), rows in order."""
    rows = sorted({row for row, _, _ in cells})
    if dimension is None:
        dimension = (min(rows), max(rows), min(c for _, c, _ in cells), max(c for _, c, _ in cells))
    body = _record(0x81) + _record(0x94, struct.pack("<4I", *dimension)) + _record(0x91)
    for row_number in rows:
        body += _record(0x00, struct.pack("<IIHHBI", row_number, 0, 300, 0, 0, 0))
        for _, column, value in (c for c in cells if c[0] == row_number):
            body += _record(0x05, struct.pack("<IId", column, 0, value))
    return body + _record(0x92) + _record(0x82)


def write_xlsb(path: Path, sheets: list[tuple[str, bytes]]) -> Path:
    book = _record(0x83)
    book += _record(0x8F)
    rels = []
    for index, (name, _) in enumerate(sheets, 1):
        book += _record(0x9C, struct.pack("<II", 0, index) + _wide(f"rId{index}") + _wide(name))
        rels.append(f'<Relationship Id="rId{index}" Type="{WORKSHEET_TYPE}" Target="worksheets/sheet{index}.bin"/>')
    book += _record(0x90) + _record(0x84)
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{CT}">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
            '<Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.bin" ContentType="application/vnd.ms-excel.worksheet"/>'
                      for i in range(1, len(sheets) + 1)) + "</Types>"),
        "_rels/.rels": (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
                        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.bin"/></Relationships>'),
        "xl/workbook.bin": book,
        "xl/_rels/workbook.bin.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">{"".join(rels)}</Relationships>',
    }
    for index, (_, data) in enumerate(sheets, 1):
        parts[f"xl/worksheets/sheet{index}.bin"] = data
    return write_zip(path, parts)


def xlsb_far_cell(path: Path) -> Path:
    """Values at A1 and XFD1048576, the dimension record saying A1 only."""
    return write_xlsb(path, [("Ark1", xlsb_sheet([(0, 0, 1.0), (LAST_ROW - 1, 16_383, 2.0)], (0, 0, 0, 0)))])


def xlsb_beyond_grid(path: Path) -> Path:
    """A value in row and column 2^31, beyond any sheet."""
    return write_xlsb(path, [("Ark1", xlsb_sheet([(0, 0, 1.0), (2**31, 2**31, 2.0)], (0, 0, 0, 0)))])


# --- Excel 97-2003 (.xls), from LibreOffice and patched record by record --------------------------

def soffice() -> str | None:
    import shutil

    return shutil.which("soffice") or shutil.which("libreoffice")


def xls_from(path: Path, rows: list[list[object]]) -> Path | None:
    """An .xls of `rows` written by LibreOffice from a generated .xlsx; None without LibreOffice."""
    import subprocess

    program = soffice()
    if program is None:
        return None
    source = write_xlsx(path.with_suffix(".source.xlsx"), [("Ark1", worksheet(table_rows(rows)))])
    folder = path.parent / f"{path.stem}-lo"
    folder.mkdir(exist_ok=True)
    subprocess.run([program, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "xls",
                    "--outdir", str(folder), str(source)], capture_output=True, timeout=180, check=False)
    made = folder / (source.stem + ".xls")
    if not made.exists():
        return None
    made.replace(path)
    return path


_XLS_NUMBER = b"\x03\x02\x0e\x00"  # NUMBER record: type 0x0203, 14 bytes (row, column, xf, double)
_XLS_RK = b"\x7e\x02\x0a\x00"  # RK record: type 0x027E, 10 bytes (row, column, xf, RK number)


def xls_far_cell(path: Path) -> Path | None:
    """An .xls whose last number cell is moved to row 65 536, column 16 384 (BIFF8 has 256)."""
    made = xls_from(path, [["Kap./post", "Beløp"], ["671/21", 1000], ["671/60", 2000]])
    if made is None:
        return None
    data = bytearray(made.read_bytes())
    at = max(data.rfind(_XLS_NUMBER), data.rfind(_XLS_RK))
    struct.pack_into("<HH", data, at + 4, 65_535, 16_383)
    made.write_bytes(bytes(data))
    return made


def xls_xor_obfuscated(path: Path) -> Path | None:
    """An .xls with a FILEPASS record (XOR obfuscation, the legacy password) in its globals."""
    made = xls_from(path, [["Kap./post", "Beløp"], ["671/21", 1000]])
    if made is None:
        return None
    data = bytearray(made.read_bytes())
    # Turn the globals' first WRITEACCESS record (0x005C, 112 bytes) into FILEPASS (0x002F) of the
    # same length: the stream keeps its size, calamine meets an obfuscated workbook.
    at = data.index(b"\x5c\x00\x70\x00")
    struct.pack_into("<HHHHH", data, at, 0x002F, 112, 0, 0x1234, 0x5678)
    made.write_bytes(bytes(data))
    return made


HOSTILE.update({
    "far-cells.ods": ods_far_cells,
    "repeated-values.ods": ods_repeated_values,
    "huge-repeat-count.ods": ods_huge_repeat_count,
    "far-cell.xlsb": xlsb_far_cell,
    "beyond-grid.xlsb": xlsb_beyond_grid,
    "far-cell.xls": xls_far_cell,
    "xor-obfuscated.xls": xls_xor_obfuscated,
})
