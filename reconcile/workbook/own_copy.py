"""Recognise an annotated copy this tool wrote, so that a glob (`reconcile *.xlsx`) does not check
its own output, and its summary sheets (Avstemming, Brevkontroll) are never checked as a budget.

A copy is recognised by its content, not its name: both summary sheets, and on the first a
'Verktøy'/'Tool' row naming reconcile. The sheet names are read from xl/workbook.xml alone (a size
limit, no XML parser, so nothing in an unchecked file is expanded or followed); only a workbook
with both names is opened further, after the usual container checks.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from reconcile.output.wording import TEXT

_WORKBOOK_PART = "xl/workbook.xml"
_MAX_WORKBOOK_PART = 4 * 1024 * 1024
_SHEET_NAME = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"")
_NUMBERED = re.compile(r"^(.*?)(?: \(\d+\))?$")  # 'Avstemming (2)' when the workbook had one already


def tool_sheet(name: str) -> bool:
    """A sheet name the tool gives its summary sheets, in either language."""
    return _base(name) in _names("summary_sheet") | _names("audit_sheet")


def is_annotated_copy(path: str | Path) -> bool:
    path = Path(path)
    names = _sheet_names(path)
    if not any(_base(name) in _names("summary_sheet") for name in names):
        return False
    if not any(_base(name) in _names("audit_sheet") for name in names):
        return False
    return _names_the_tool(path, [name for name in names if _base(name) in _names("summary_sheet")])


def _base(name: str) -> str:
    return _NUMBERED.match(name).group(1)


def _names(key: str) -> set[str]:
    return {words[key] for words in TEXT.values()}


def _sheet_names(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(_WORKBOOK_PART)
            if info.file_size > _MAX_WORKBOOK_PART:
                return []
            data = archive.read(info)
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, NotImplementedError, ValueError):
        return []  # not an xlsx, or damaged: reading it will say so
    return [html.unescape(match.decode("utf-8", "replace")) for match in _SHEET_NAME.findall(data)]


def _names_the_tool(path: Path, summary_sheets: list[str]) -> bool:
    from python_calamine import CalamineWorkbook

    from reconcile.workbook.container import inspect

    try:
        inspect(path)  # the same guards as for a workbook to check (zip bombs, external entities)
        workbook = CalamineWorkbook.from_path(str(path))
        tools = {words["tool"] for words in TEXT.values()}
        for name in summary_sheets:
            for row in workbook.get_sheet_by_name(name).to_python():
                if len(row) >= 2 and str(row[0]).strip() in tools and str(row[1]).startswith("reconcile "):
                    return True
    except Exception:  # unreadable (an InputError or any other): checking it will name the problem
        return False
    return False
