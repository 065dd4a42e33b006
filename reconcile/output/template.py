"""A tracking workbook built from the letters: a row per post, a column per letter.

Each letter's column holds its net change to this year's allocation (the first letter: the base),
then the carry-over and a total formula whose cached value is written, so that tools that do not
calculate (calamine, pandas) read it too. Left untouched it reconciles.
"""

from __future__ import annotations

from pathlib import Path

from reconcile.ledger.expected import LATEST, make_key
from reconcile.letters.statements import Kind
from reconcile.output.files import write_bytes_atomically
from reconcile.workbook.vocabulary import layout_spec

NUMBER_FORMAT = "#,##0;[Red]-#,##0"  # Excel shows the reader's grouping: "# ##0" in nb-NO


def write_template(ledger, letter_set, expected, target: str | Path) -> int:
    import io

    import xlsxwriter
    from xlsxwriter.utility import xl_rowcol_to_cell

    names = {}
    for statement in letter_set.statements:
        if statement.kind == Kind.TABLE_TOTAL and statement.label:
            names.setdefault(statement.post, statement.label)
    layout = layout_spec("overview")  # the reader's own vocabulary names the columns
    text = layout.template_text
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"})
    number = workbook.add_format({"num_format": NUMBER_FORMAT})
    total_format = workbook.add_format({"num_format": NUMBER_FORMAT, "bold": True})
    sum_format = workbook.add_format({"num_format": NUMBER_FORMAT, "bold": True, "top": 1})
    sheet = workbook.add_worksheet(text("sheet"))
    sheet.write(0, 0, text("title"), workbook.add_format({"bold": True, "font_size": 14}))
    letters = list(ledger.letters)
    headers = ([text("post"), text("name")]
               + [text("allocation_letter") if n == 0 else text("change", letter=n) for n in letters]
               + [text("carried_over"), text("total")])
    top = 2
    sheet.write_row(top, 0, headers, header)
    carried_col = 2 + len(letters)
    total_col = carried_col + 1
    column_sums = {c: 0 for c in range(2, total_col + 1)}
    for index, post in enumerate(ledger.posts):
        row = top + 1 + index
        sheet.write_string(row, 0, str(post))
        sheet.write_string(row, 1, names.get(post, ""))
        row_total = 0
        for offset, letter in enumerate(letters):
            value = expected.get(make_key(post, "net_change", letter))
            if value is not None and value.amount.value != 0:
                amount = _number(value.amount.value)
                sheet.write_number(row, 2 + offset, amount, number)
                row_total += amount
                column_sums[2 + offset] += amount
        carried = expected.get(make_key(post, "carried_over", LATEST))
        if carried is not None and carried.amount.value != 0:
            sheet.write_number(row, carried_col, _number(carried.amount.value), number)
            row_total += _number(carried.amount.value)
            column_sums[carried_col] += _number(carried.amount.value)
        first, last = xl_rowcol_to_cell(row, 2), xl_rowcol_to_cell(row, carried_col)
        sheet.write_formula(row, total_col, f"=SUM({first}:{last})", total_format, row_total)
        column_sums[total_col] += row_total
    last_row = top + len(ledger.posts)
    sum_row = last_row + 1
    sheet.write(sum_row, 0, text("sum"), workbook.add_format({"bold": True, "top": 1}))
    for column in range(2, total_col + 1):
        first, last = xl_rowcol_to_cell(top + 1, column), xl_rowcol_to_cell(last_row, column)
        sheet.write_formula(sum_row, column, f"=SUM({first}:{last})", sum_format, column_sums[column])
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 45)
    sheet.set_column(2, total_col, 16)
    sheet.freeze_panes(top + 1, 2)
    sheet.autofilter(top, 0, last_row, total_col)
    workbook.close()
    write_bytes_atomically(target, buffer.getvalue())
    return len(ledger.posts)


def _number(value):
    return int(value) if value == value.to_integral_value() else float(value)
