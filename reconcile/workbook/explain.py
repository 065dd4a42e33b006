"""`--explain-layout`: what the reader made of a workbook, as plain lines (Norwegian).

For a person checking why a column was or was not read: every sheet, every table with its header
rows, each column's role (with header text, letter number, unit and where the role came from),
the post and total rows, and every issue.
"""

from __future__ import annotations

from reconcile.workbook.headers import unit_label
from collections.abc import Mapping

from reconcile.workbook.records import CONTENT_LAYOUT, PostTable, WorkbookRead

_SEVERITY = {"error": "FEIL", "warning": "advarsel", "info": "merk"}
_LAYOUTS = {
    "overview": "oversikt (én rad per post, én kolonne per brev)",
    "letter_sheet": "ark per brev",
    "note_a": "note A",
    "transactions": "transaksjonsliste",
    CONTENT_LAYOUT: "funnet ut fra innholdet (nøkkelkolonne og tall; rollene avgjøres av brevene)",
}
_NEAR_MISSES = ("closest_to_a_table", "no_layout", "no_key_column", "no_posts")
_VISIBILITY = {"visible": "synlig", "hidden": "skjult", "very hidden": "svært skjult"}
# A column's role in words, before its code (the name a layout file gives it: role = "carried_over").
ROLE_NAMES = {
    "nb": {"post": "kap./post", "kap": "kapittel", "post_no": "postnummer", "name": "postnavn", "change": "endring",
           "total_after": "sum etter brevet", "original": "tildelingsbrevet", "carried_over": "overført fra i fjor",
           "allocation": "årets tildeling", "total": "samlet tildeling", "amount": "beløp",
           "letter_ref": "hvilket brev", "date": "dato", "reference": "bilag", "text": "tekst", "unknown": "ukjent",
           "figures": "tall"},
    "en": {"post": "chapter/post", "kap": "chapter", "post_no": "post number", "name": "post name", "change": "change",
           "total_after": "total after the letter", "original": "allocation letter", "carried_over": "carried over",
           "allocation": "this year's allocation", "total": "total", "amount": "amount", "letter_ref": "which letter",
           "date": "date", "reference": "voucher", "text": "text", "unknown": "unknown", "figures": "figures"},
}


def explain_layout(read: WorkbookRead, readings: Mapping[tuple[int, int], str] | None = None, lang: str = "nb") -> str:
    """The lines for `read`, in bokmål (the caller translates them) except the roles' names, said in
    `lang`; `readings` (table index, column index) -> how the letters read that column (made by the
    validation stage, which holds the letters), shown under the column."""
    readings = readings or {}
    lines = [f"Arbeidsbok: {read.path} ({read.format}, sha256 {read.sha256[:12]}…)"]
    if read.layout_file:
        lines.append(f"Layoutfil: {read.layout_file}")
    lines.append("Ark:")
    for sheet in read.sheets:
        state = _VISIBILITY.get(sheet.visibility, sheet.visibility)
        if sheet.read:
            count = sum(1 for table in read.tables if table.sheet == sheet.name)
            lines.append(
                f"  «{sheet.name}»: {state}, {sheet.rows} rader × {sheet.columns} kolonner, "
                f"{count} posttabell{'er' if count != 1 else ''}"
            )
        else:
            lines.append(f"  «{sheet.name}»: {state}, ikke lest: {sheet.note}")
    if not read.tables:
        lines.append("Ingen posttabeller funnet.")
        nearest = [issue for issue in read.issues if issue.kind in _NEAR_MISSES]
        for issue in nearest:
            lines.append(f"  nærmest, ark «{issue.sheet}»: {issue.message.removeprefix('ingen posttabell; nærmest: ')}")
        if not nearest:
            lines.append("  ingen rad leses som kapittel/post (671/21, 0671.21, «Kap. 671 post 21», eller kapittel og "
                         "post i to kolonner)")
    for number, table in enumerate(read.tables, 1):
        lines.extend(_table_lines(number, table, {column: text for (at, column), text in readings.items()
                                                  if at == number - 1}, ROLE_NAMES.get(lang, ROLE_NAMES["nb"])))
    if read.issues:
        lines.append(f"Merknader ({len(read.issues)}):")
        for issue in read.issues:
            where = issue.sheet + ("!" + issue.cell if issue.cell else "") if issue.sheet else "arbeidsboka"
            lines.append(f"  {_SEVERITY.get(issue.severity, issue.severity)} {where}: {issue.message}")
    else:
        lines.append("Merknader: ingen")
    return "\n".join(lines) + "\n"


def _table_lines(number: int, table: PostTable, readings: Mapping[int, str], role_names: dict[str, str]) -> list[str]:
    if not table.header_rows:
        header_rows = "ingen"
    elif len(table.header_rows) > 1:
        header_rows = "–".join(str(row) for row in (table.header_rows[0], table.header_rows[-1]))
    else:
        header_rows = str(table.header_rows[0])
    lines = [
        f"Tabell {number}: ark «{table.sheet}», overskrift rad {header_rows}, data rad "
        f"{table.first_row}–{table.last_row}, oppsett {_LAYOUTS.get(table.layout, table.layout)}"
        + (f", brev {table.letter_no}" if table.letter_no is not None else "")
        + (" (skjult ark)" if table.sheet_hidden else "")
    ]
    if table.layout == CONTENT_LAYOUT:
        where = (f"oppgitt i {table.unit_source.cell}" if table.unit_source else "ikke oppgitt") + \
            "; tallene avgjør enheten per kolonne"
    else:
        where = f"oppgitt i {table.unit_source.cell}" if table.unit_source else "ikke oppgitt, antatt"
    lines.append(f"  enhet: {unit_label(table.unit)} ({where})")
    lines.append("  kolonner (rolle, og rollens navn i en layoutfil):")
    width = max(len(column.role) for column in table.columns)
    name_width = max(len(role_names.get(column.role, column.role)) for column in table.columns)
    for column in table.columns:
        extra = []
        if column.letter_no is not None:
            extra.append(f"brev {column.letter_no}")
        if column.is_amount and (column.unit != table.unit or column.unit_source != table.unit_source):
            source = f" fra {column.unit_source.cell}" if column.unit_source else ""
            extra.append(f"enhet {unit_label(column.unit)}{source}")
        if column.assigned_by != "vocabulary":
            extra.append({"layout file": "fra layoutfil", "values": "ut fra verdiene"}.get(column.assigned_by, column.assigned_by))
        header = f"«{column.header}»" if column.header else "(ingen overskrift)"
        suffix = f"  [{', '.join(extra)}]" if extra else ""
        name = role_names.get(column.role, column.role)
        lines.append(f"    {column.letter:<3} {name:<{name_width}}  {column.role:<{width}}  {header}{suffix}")
        if column.index in readings:
            lines.append(f"        → {readings[column.index]}")
    posts = [str(post) for post in table.posts]
    shown = ", ".join(posts[:8]) + (f", … ({len(posts)} i alt)" if len(posts) > 8 else "")
    lines.append(f"  postrader: {len(table.rows)} ({shown})")
    if table.total_rows:
        totals = ", ".join(f"rad {row.row} «{row.label}»" if row.label else f"rad {row.row} (uten tekst)" for row in table.total_rows[:8])
        more = f", … ({len(table.total_rows)} i alt)" if len(table.total_rows) > 8 else ""
        lines.append(f"  sumrader: {totals}{more}")
    else:
        lines.append("  sumrader: ingen")
    return lines
