"""Tables flattened from HTML a row at a time, the cells closed by pipes (Innst. S, vedtak pages).

    Kap. | Post | Formål | Prop. 1 S med Tillegg 1 (2031–2032) |       |
    917 | Fiskeridirektoratet | ||                                         200
    1 | Driftsutgifter | 359 642 000 | |                                  |
    Sum utgifter rammeområde 10 | 749 685 000 | ||                       |
                                                                           Kunnskapsdepartementet
                                                                           | ...
                                                                       (a row over several lines,
                                                                        opened by a lone pipe and
                                                                        ended by a blank line)

A row's first number is a kapittel where no figure follows it in the row, a post where figures do.
A figure cell is a post's amount in that column ("347 426") and may carry its change from the first
column in brackets ("347 426 (-1 002)"); a zero change says nothing. Columns the header names take
its kind (accounts are not read); without a header row every figure is an amount of the post.
"""

from __future__ import annotations

import re
from decimal import Decimal

from reconcile.amounts import parse_amount
from reconcile.letters.document import TextLine
from reconcile.letters.phrases import table_unit
from reconcile.letters.statements import Kind, Status
from reconcile.letters.table_cells import (
    ACCOUNTS_COLUMN,
    CHANGE_COLUMN,
    ENACTED_COLUMN,
    TableCellStatement,
    TableReading,
)
from reconcile.posts import Post

_I = re.IGNORECASE
_NUMBER = re.compile(r"^0?(?P<number>\d{1,4})$")
_AMOUNT = r"-?\d{1,3}(?:[ \u00a0\u202f]\d{3})*"
_FIGURE = re.compile(rf"^(?P<amount>{_AMOUNT})(?:\s*\((?P<change>{_AMOUNT})\))?$")
_SUM = re.compile(r"^(?:sum|netto|totalt|i\s+alt)\b", _I)
# A heading that names only the unit: "Kroner", "(i 1 000 kr)". A header of several such columns is a
# proposal's decision: the post's amount, then the sums of its kapittel and its programme area.
_PLAIN_VALUE = re.compile(r"^\(?(?:i\s+)?(?:1\s*000\s+|tusen\s+)?(?:kroner|kr\.?)\)?$", _I)


def read_pipe_rows(lines, index: int, *, kap: int | None, unit: Decimal | None) -> TableReading | None:
    """The table whose first cell starts at `index`; None where its rows name no kapittel and post.

    The cells are read as one stream, a row starting where a number is followed by a name: a PDF
    keeps no blank lines between rows, and a cell may run over lines ("347 426" / "(-1 002)").
    """
    cells, end = _cells(lines, index)
    result = TableReading(consumed=max(end - index, 1))
    filled = [(text, line) for text, line in cells if text]
    columns: list[tuple[Kind, Status | None] | None] | None = None
    post: Post | None = None
    column = 0
    read_any = False
    position = 0
    while position < len(filled):
        text, line = filled[position]
        position += 1
        if text.lower().rstrip(".") == "kap" and position < len(filled) and filled[position][0].lower() == "post":
            columns = _header_columns(cells, cells.index((text, line)))
            position += 2  # "Post" and the name column's heading
            post = None
            continue
        unit = table_unit(text) or unit
        if _row_start(filled, position - 1):
            number = int(_NUMBER.match(text).group("number"))
            position += 1  # the name
            if position < len(filled) and _FIGURE.match(filled[position][0]) and not _row_start(filled, position):
                if kap is None or number > 99:
                    result.notes.append((line, f"tabellrad «{text}» uten kapittel: ikke brukt"))
                    post = None
                else:
                    post, column = Post(kap, number), 0
            else:
                kap, post = number, None
            continue
        figure = _FIGURE.match(text)
        if figure is None:
            post = None  # "Utgifter", "Sum utgifter rammeområde 10": no post's row
            continue
        if post is None:
            continue
        kind_status = (Kind.TABLE_TOTAL, None) if columns is None else columns[column] if column < len(columns) else False
        column += 1
        if kind_status is False:
            result.notes.append((line, f"tallet «{text}» for {post} står i en kolonne tabellhodet ikke nevner"))
            continue
        if kind_status is None:
            continue  # accounts (last year's facts) or a kapittel's sum: not this post's appropriation
        kind, status = kind_status
        amount = parse_amount(figure.group("amount"), context_multiplier=unit)
        if amount is not None:
            read_any = True
            result.statements.append(TableCellStatement(kind, status, amount, post, line, figure.group("amount")))
        change = figure.group("change")
        if change and re.sub(r"\D", "", change).strip("0"):
            change_amount = parse_amount(change, context_multiplier=unit)
            if change_amount is not None:
                result.statements.append(TableCellStatement(Kind.CHANGE, status, change_amount, post,
                                                          _line_of(lines, line, change), f"({change})"))
    return result if read_any else None


def _row_start(filled, position: int) -> bool:
    """A number followed by a name: a kapittel's or a post's row."""
    if position + 1 >= len(filled) or not _NUMBER.match(filled[position][0]):
        return False
    name = filled[position + 1][0]
    return not _FIGURE.match(name) and not _NUMBER.match(name)


def _header_columns(cells, start: int) -> list[tuple[Kind, Status | None] | None]:
    """The value columns after "Kap. | Post | Formål" (or "Kap. | Post | Kroner", with no name heading):
    their headings up to the first empty cell. None: a column not read (accounts, a kapittel's sum)."""
    first = start + 2 if start + 2 < len(cells) and _PLAIN_VALUE.match(cells[start + 2][0]) else start + 3
    headings = []
    for text, _ in cells[first:]:
        if not text:
            break
        headings.append(text)
    if len(headings) > 1 and all(_PLAIN_VALUE.match(text) for text in headings):
        return [_column(headings[0])] + [None] * (len(headings) - 1)
    return [_column(text) for text in headings]


def _cells(lines, index: int) -> tuple[list[tuple[str, TextLine]], int]:
    """Every cell from `index` on, a pipe closing each; a line without a pipe belongs to the table only
    where a pipe follows within two lines (a cell running over lines)."""
    cells: list[tuple[str, TextLine]] = []
    pieces: list[str] = []
    first: TextLine | None = None
    position = index
    while position < len(lines):
        line = lines[position]
        text = line.text.strip()
        if not text:
            position += 1
            continue
        if "|" not in text:
            ahead = [following.text for following in lines[position + 1 : position + 4] if following.text.strip()][:2]
            if not any("|" in following for following in ahead):
                break
        parts = text.split("|")
        for number, part in enumerate(parts):
            part = part.strip()
            if part:
                pieces.append(part)
                first = first or line
            if number < len(parts) - 1:
                cells.append((" ".join(pieces), first or line))
                pieces, first = [], None
        position += 1
    if pieces:
        cells.append((" ".join(pieces), first or lines[position - 1]))
    return cells, position


def _column(heading: str) -> tuple[Kind, Status | None] | None:
    if ACCOUNTS_COLUMN.search(heading):
        return None
    if CHANGE_COLUMN.search(heading):
        return Kind.CHANGE, None
    if ENACTED_COLUMN.search(heading):
        return Kind.PREVIOUS_TOTAL, Status.ENACTED
    return Kind.TABLE_TOTAL, None


def _line_of(lines, first: TextLine, text: str) -> TextLine:
    """The line of a cell's bracketed change: the cell may run over two lines."""
    start = next((position for position, line in enumerate(lines) if line is first), None)
    if start is None:
        return first
    for line in lines[start : start + 3]:
        if text in line.text:
            return line
    return first


__all__ = ["read_pipe_rows"]
