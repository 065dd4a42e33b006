"""What of a layout file found nothing in a workbook: its sheet names and patterns, header texts,
column letters and header rows. Said when no post table was found with the file, so that the
message blames the file's entries that missed, not the workbook."""

from __future__ import annotations

from pathlib import Path

from reconcile.workbook.container import column_number
from reconcile.workbook.layout import Layout, SheetRule
from reconcile.workbook.vocabulary import normalise


def layout_misses(layout: Layout, read, path: str | Path) -> list[str]:
    """Each entry of the layout file that matched nothing in the workbook `read` (already read, so
    safe to open again), as 'sheet «Notater»', 'header «rnb»', 'column F on sheet «Oversikt»' …"""
    sheets = {info.name: info for info in read.sheets}
    misses = []
    for rule in layout.sheets:
        matched = [name for name in sheets if rule.applies_to(name)]
        if not matched:
            misses.append(f"sheet «{rule.name}»" if rule.name is not None else f"sheet pattern «{rule.match}»")
    texts = _cell_texts(path, [name for name, info in sheets.items() if info.read])
    for rule in (layout.defaults, *layout.sheets):
        for header in rule.headers:
            if not any(header in found for name, found in texts.items() if rule.is_empty or _applies(rule, name)):
                misses.append(f"header «{rule.written.get(header, header)}»")  # as the file writes it
    for rule in (layout.defaults, *layout.sheets):
        for name, info in sheets.items():
            if not _applies(rule, name) or not info.read:
                continue
            for letter in rule.columns:
                if column_number(letter.upper()) > info.columns:
                    misses.append(f"column {letter} on sheet «{name}»")
            if rule.header_rows and not any(table.sheet == name for table in read.tables):
                rows = ", ".join(map(str, rule.header_rows))
                misses.append(f"header_rows {rows} on sheet «{name}» (no table of posts below them)")
    return list(dict.fromkeys(misses))


def _applies(rule: SheetRule, sheet: str) -> bool:
    return rule.name is None and rule.match is None or rule.applies_to(sheet)


def _cell_texts(path: str | Path, names: list[str]) -> dict[str, set[str]]:
    """Per sheet: the normalised text of every cell, and of every two cells one above the other
    (a header over two rows is matched joined with a space)."""
    from python_calamine import CalamineWorkbook

    texts: dict[str, set[str]] = {}
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        for name in names:
            rows = workbook.get_sheet_by_name(name).to_python()
            found: set[str] = set()
            for above, below in zip([[]] + rows, rows):
                for column, value in enumerate(below):
                    text = normalise(str(value)) if isinstance(value, str) else ""
                    if text:
                        found.add(text)
                    top = above[column] if column < len(above) and isinstance(above[column], str) else ""
                    if top.strip() and text:
                        found.add(normalise(f"{top} {below[column]}"))
            texts[name] = found
    except Exception:  # the workbook was read once already; a second look that fails names nothing
        return {}
    return texts
