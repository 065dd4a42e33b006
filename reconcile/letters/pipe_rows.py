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
from dataclasses import dataclass, field
from decimal import Decimal

from reconcile.amounts import Amount, parse_amount
from reconcile.letters.document import TextLine
from reconcile.letters.phrases import table_unit
from reconcile.letters.statements import Kind, Status
from reconcile.posts import Post

_I = re.IGNORECASE
_NUMBER = re.compile(r"^0?(?P<number>\d{1,4})$")
_AMOUNT = r"-?\d{1,3}(?:[ \u00a0\u202f]\d{3})*"
_FIGURE = re.compile(rf"^(?P<amount>{_AMOUNT})(?:\s*\((?P<change>{_AMOUNT})\))?$")
_SUM = re.compile(r"^(?:sum|netto|totalt|i\s+alt)\b", _I)
_ACCOUNTS = re.compile(r"\brekneskap|\bregnskap", _I)
_EARLIER = re.compile(r"\bsaldert|\bvedtatt|\bvedteke", _I)
_CHANGE = re.compile(r"\bendring", _I)


@dataclass(frozen=True, slots=True)
class PipeRowStatement:
    kind: Kind
    status: Status | None
    amount: Amount
    post: Post
    line: TextLine
    quote: str


@dataclass
class PipeRows:
    statements: list[PipeRowStatement] = field(default_factory=list)
    notes: list[tuple[TextLine, str]] = field(default_factory=list)
    consumed: int = 0


def read_pipe_rows(lines, index: int, *, kap: int | None, unit: Decimal | None) -> PipeRows | None:
    """The table whose first row starts at `index`; None where its rows name no kapittel and post."""
    rows, end = _rows(lines, index)
    result = PipeRows(consumed=max(end - index, 1))
    columns: list[tuple[Kind, Status | None] | None] | None = None
    read_any = False
    for cells in rows:
        texts = [text for text, _ in cells]
        joined = " ".join(texts)
        unit = table_unit(joined) or unit
        filled = [position for position, text in enumerate(texts) if text]
        if not filled:
            continue
        first = texts[filled[0]]
        if first.lower().rstrip(".") == "kap" and len(filled) > 1 and texts[filled[1]].lower() == "post":
            columns = [_column(text) for text in texts[filled[1] + 2 :] if text]
            continue
        if _SUM.match(first):
            continue
        number = _NUMBER.match(first)
        if number is None:
            continue  # "Utgifter", "Nærings- og fiskeridepartementet": a label over the rows
        figures = [(text, line) for text, line in cells[filled[0] + 1 :] if _FIGURE.match(text)]
        if not figures:
            kap = int(number.group("number"))
            continue
        post_number = int(number.group("number"))
        if kap is None or post_number > 99:
            result.notes.append((cells[filled[0]][1], f"tabellrad {first!r} uten kapittel: ikke brukt"))
            continue
        post = Post(kap, post_number)
        read_any = True
        for column, (text, line) in enumerate(figures):
            kind_status = (Kind.TABLE_TOTAL, None) if columns is None else columns[column] if column < len(columns) else False
            if kind_status is False:
                result.notes.append((line, f"tallet {text!r} for {post} står i en kolonne tabellhodet ikke nevner"))
                continue
            if kind_status is None:
                continue  # accounts: last year's facts, not this year's appropriation
            match = _FIGURE.match(text)
            kind, status = kind_status
            amount = parse_amount(match.group("amount"), context_multiplier=unit)
            if amount is not None:
                result.statements.append(PipeRowStatement(kind, status, amount, post, line, match.group("amount")))
            change = match.group("change")
            if change and re.sub(r"\D", "", change).strip("0"):
                change_amount = parse_amount(change, context_multiplier=unit)
                if change_amount is not None:
                    result.statements.append(PipeRowStatement(Kind.CHANGE, status, change_amount, post,
                                                              _line_of(lines, line, change), f"({change})"))
    return result if read_any else None


def _rows(lines, index: int) -> tuple[list[list[tuple[str, TextLine]]], int]:
    """The table's rows as (cell, line) lists, and the position after the table."""
    rows: list[list[tuple[str, TextLine]]] = []
    current: list[tuple[str, TextLine]] = []
    cell: list[str] = []
    cell_line: TextLine | None = None
    opened = False
    position = index
    while position < len(lines):
        line = lines[position]
        text = line.text.strip()
        if not text:
            if cell or current:
                rows.append(current)
            current, cell, cell_line, opened = [], [], None, False
            position += 1
            continue
        if "|" not in text and not (current or cell or opened):
            break  # prose after the table
        if "|" in text and not text.startswith("|") and text.rstrip().endswith("|") and text.count("|") >= 2 and not (cell or current or opened):
            rows.append([(part.strip(), line) for part in text.rstrip().rstrip("|").split("|")])
            position += 1
            continue
        pieces = text.split("|")
        for number, piece in enumerate(pieces):
            piece = piece.strip()
            if piece:
                cell.append(piece)
                cell_line = cell_line or line
            if number < len(pieces) - 1:  # a pipe follows the piece
                if not opened and not cell and not current:
                    opened = True  # the lone pipe that opens a row
                    continue
                current.append((" ".join(cell), cell_line or line))
                cell, cell_line = [], None
        position += 1
    if current:
        rows.append(current)
    return rows, position


def _column(heading: str) -> tuple[Kind, Status | None] | None:
    if _ACCOUNTS.search(heading):
        return None
    if _CHANGE.search(heading):
        return Kind.CHANGE, None
    if _EARLIER.search(heading):
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


__all__ = ["PipeRowStatement", "PipeRows", "read_pipe_rows"]
