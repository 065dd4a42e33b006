"""An .xlsx holding the values of a workbook that is not OOXML (.xls, .ods, .xlsb), to annotate.

The annotated copy of such a workbook cannot keep its formatting or formulas: only the values
calamine reads are carried over, sheet by sheet, and the summary sheet says so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path


def write_values_copy(source: Path, target: Path) -> None:
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(source))
    out = xlsxwriter.Workbook(str(target), {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    date_format = out.add_format({"num_format": "dd.mm.yyyy"})
    for name in workbook.sheet_names:
        sheet = out.add_worksheet(name[:31])
        source = workbook.get_sheet_by_name(name)
        # iter_rows() yields the rows above the used range too, but not the columns left of it.
        left = source.start[1] if source.start else 0
        for r, row in enumerate(source.iter_rows()):
            for c, value in enumerate(row, left):
                if value is None or value == "":
                    continue
                if isinstance(value, (dt.date, dt.datetime)):
                    moment = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
                    sheet.write_datetime(r, c, moment, date_format)
                elif isinstance(value, dt.time | dt.timedelta):
                    sheet.write_string(r, c, str(value))
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, (int, float)):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, str(value))
    out.close()
