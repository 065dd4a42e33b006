"""Worksheet XML for an added summary sheet, written directly (no second workbook).

Strings are inline (`t="inlineStr"`) so the shared-strings part is left untouched; numbers are
numbers with a grouped number format; dates are serial numbers with a date format; a `Link`
becomes an internal hyperlink (`<hyperlink location="'Ark 1'!C7"/>`). Row 1 is the header: bold,
frozen, with an autofilter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Sequence

from reconcile.output import ooxml, xmltext
from reconcile.output.styles_part import NUMFMT_DECIMAL, NUMFMT_INTEGER, StylesEditor

_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)
DATETIME_FORMAT_CODE = "dd.mm.yyyy hh:mm"
MAX_COLUMN_WIDTH = 60  # characters
MAX_WRAPPED_LINES = 8
ROW_HEIGHT = 15  # points, one line of the default font


@dataclass
class RenderedSheet:
    data: bytes
    problems: list[str] = field(default_factory=list)
    autofilter: str | None = None   # the autofilter range, e.g. "$A$1:$F$3"


def _serial(value: dt.date, date1904: bool) -> Decimal:
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    delta = value - (_EPOCH_1904 if date1904 else _EPOCH_1900)
    seconds = Decimal(delta.days * 86400 + delta.seconds) + Decimal(delta.microseconds) / 10**6
    return (seconds / 86400).normalize()


def _number_text(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _width(value: object) -> int:
    if value is None:
        return 0
    text = getattr(value, "text", None)
    if isinstance(text, str):
        return len(text)
    if isinstance(value, (int, Decimal, float)) and not isinstance(value, bool):
        return len(f"{value:,}") + 2
    return max((len(line) for line in str(value).split("\n")), default=0)


def render_sheet(
    rows: Sequence[Sequence[object]],
    column_widths: Sequence[float],
    row_statuses: Sequence[str | None],
    status_column: int | None,
    styles: StylesEditor,
    main_ns: str,
    colour_of: Callable[[str], str | None],
    date1904: bool,
) -> RenderedSheet:
    problems: list[str] = []
    body: list[str] = []
    links: list[str] = []
    width = max((len(r) for r in rows), default=0)
    auto_widths = [0] * width

    def xf(font: str, numfmt: int, status: str | None, wrap: bool = False) -> int:
        return styles.summary_xf(font, numfmt, colour_of(status) if status else None, wrap)

    for r_index, row in enumerate(rows):
        row_number = r_index + 1
        header = r_index == 0
        status = None
        if not header and r_index - 1 < len(row_statuses):
            status = row_statuses[r_index - 1]
            if status is not None and colour_of(status) is None:
                problems.append(f"ukjent status «{status}» i rad {row_number}")
                status = None
        cells: list[str] = []
        lines = 1
        for c_index in range(max(len(row), width if status else 0)):
            value = row[c_index] if c_index < len(row) else None
            ref = ooxml.cell_name(row_number, c_index + 1)
            cell_status = status if status and (status_column is None
                                                or status_column == c_index) else None
            font = "bold" if header else "regular"
            if c_index < width:
                auto_widths[c_index] = max(auto_widths[c_index], _width(value))
            if value is None:
                if cell_status or header:
                    cells.append(f'<c r="{ref}" s="{xf(font, 0, cell_status)}"/>')
                continue
            if isinstance(value, bool):
                cells.append(f'<c r="{ref}" s="{xf(font, 0, cell_status)}" t="b">'
                             f"<v>{int(value)}</v></c>")
            elif isinstance(value, (int, Decimal, float)):
                number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
                if not number.is_finite():
                    cells.append(_inline(ref, xf(font, 0, cell_status), str(value)))
                    continue
                numfmt = NUMFMT_INTEGER if number == number.to_integral_value() else NUMFMT_DECIMAL
                cells.append(f'<c r="{ref}" s="{xf(font, numfmt, cell_status)}">'
                             f"<v>{_number_text(number)}</v></c>")
            elif isinstance(value, (dt.datetime, dt.date)):
                has_time = isinstance(value, dt.datetime) and value.time() != dt.time()
                numfmt = styles.date_format(DATETIME_FORMAT_CODE if has_time else None)
                cells.append(f'<c r="{ref}" s="{xf(font, numfmt, cell_status)}">'
                             f"<v>{_number_text(_serial(value, date1904))}</v></c>")
            elif hasattr(value, "text") and hasattr(value, "sheet") and hasattr(value, "cell"):
                target = ooxml.parse_cell(str(value.cell))
                if target is None:
                    problems.append(f"ugyldig lenkemål {value.sheet}!{value.cell} i {ref}")
                    cells.append(_inline(ref, xf(font, 0, cell_status), str(value.text)))
                    continue
                location = f"{ooxml.quote_sheet_name(str(value.sheet))}!{ooxml.cell_name(*target)}"
                cells.append(_inline(ref, xf("link" if not header else "bold", 0, cell_status),
                                     str(value.text)))
                links.append(f'<hyperlink ref="{ref}" location="{xmltext.escape_attr(location)}"'
                             f' display="{xmltext.escape_attr(str(value.text))}"/>')
            else:
                # Text wider than its column wraps inside it rather than spill over the
                # columns to its right (on screen and, fitted to the page width, in print).
                given = column_widths[c_index] if c_index < len(column_widths) else None
                room = given or MAX_COLUMN_WIDTH
                wrap = not header and _width(value) > room
                if wrap:
                    lines = max(lines, min(-(-_width(value) // int(room)), MAX_WRAPPED_LINES))
                cells.append(_inline(ref, xf(font, 0, cell_status, wrap), str(value)))
        if cells:
            # Neither Excel nor LibreOffice fits a row's height to wrapped text when it opens a file.
            height = f' ht="{lines * ROW_HEIGHT:g}" customHeight="1"' if lines > 1 else ""
            body.append(f'<row r="{row_number}"{height}>' + "".join(cells) + "</row>")

    last_row = max(len(rows), 1)
    last_ref = ooxml.cell_name(last_row, max(width, 1))
    widths = [column_widths[i] if i < len(column_widths) and column_widths[i]
              else min(max(auto_widths[i] + 2, 8), MAX_COLUMN_WIDTH) for i in range(width)]
    cols = "".join(f'<col min="{i + 1}" max="{i + 1}" width="{w:g}" customWidth="1"/>'
                   for i, w in enumerate(widths))
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        f'<worksheet xmlns="{main_ns}">',
        # Printed, the summary is one page wide (landscape) and as many pages long as it needs.
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
        f'<dimension ref="A1:{last_ref}"/>',
        '<sheetViews><sheetView workbookViewId="0">',
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        if len(rows) > 0 else "",
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>' if len(rows) > 0 else "",
        "</sheetView></sheetViews>",
        f'<sheetFormatPr defaultRowHeight="{ROW_HEIGHT}"/>',
        f"<cols>{cols}</cols>" if cols else "",
        "<sheetData>" + "".join(body) + "</sheetData>",
        f'<autoFilter ref="A1:{last_ref}"/>' if rows and width else "",
        f"<hyperlinks>{''.join(links)}</hyperlinks>" if links else "",
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>',
        '<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>',
        "</worksheet>",
    ]
    autofilter = None
    if rows and width:
        autofilter = f"$A$1:${ooxml.index_to_col(max(width, 1))}${last_row}"
    return RenderedSheet("".join(parts).encode("utf-8"), problems, autofilter)


def _inline(ref: str, style: int, text: str) -> str:
    return (f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
            f"{xmltext.escape_ooxml_text(text)}</t></is></c>")
