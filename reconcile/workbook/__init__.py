"""The workbook stage: read a finance office's workbook as it is and find its post tables.

    read = read_workbook(Path("budsjett.xlsx"))              # or layout=load_layout("oppsett.toml")
    for table in read.tables:                                # PostTable: sheet, columns, rows, total_rows
        for row in table.rows:                               # PostRow: post, row, cells
            ...
    print(explain_layout(read))                              # what was read, and why

Modules: `container` (is the file a workbook, and safe), `cells` (python-calamine grids, cells to
kroner), `keys` (posts as written in cells), `headers` (header rows and column roles),
`tables` (table detection over streamed rows), `content` (tables found by their post rows when no
layout's headers fit; their columns of figures get a role in validation/roles.py), `formulas` (formulas without stored values),
`sheet_xml` (the own streaming reader where python-calamine gives up), `extents` (the used range of
.xls/.xlsb/.ods sheets from their records, before anything is allocated),
`vocabulary` (the layouts' TOML vocabulary), `layout` (user layout files), `explain`.
"""

from reconcile.workbook.explain import explain_layout
from reconcile.workbook.layout import Layout, load_layout
from reconcile.workbook.reader import read_workbook
from reconcile.workbook.records import (
    ROLES,
    CellValue,
    Column,
    PostRow,
    PostTable,
    ReadIssue,
    SheetInfo,
    TotalRow,
    WorkbookRead,
)

__all__ = [
    "ROLES",
    "CellValue",
    "Column",
    "Layout",
    "PostRow",
    "PostTable",
    "ReadIssue",
    "SheetInfo",
    "TotalRow",
    "WorkbookRead",
    "explain_layout",
    "load_layout",
    "read_workbook",
]
