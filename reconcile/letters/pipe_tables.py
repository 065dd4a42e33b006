"""A post table flattened from HTML into one cell a line, each cell closed by a pipe.

    (i 1 000 kr) |
    ||||
    |---|---|---|---|---|
    |
    Post |
    Nemning |
    Rekneskap 2024 |
    Saldert budsjett 2025 |
    Forslag 2026 |
    |
    01 |
    Driftsutgifter |
    238 476 |
    261 041 |
    270 264 |

Every pipe closes a cell ("||" is two empty cells); a row begins with a lone pipe and has as many
cells as the header row. The kapittel is the heading's above the table. The columns say what each
figure is: accounts (not read), the appropriation so far, the proposal, a change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reconcile.letters.document import TextLine
from reconcile.letters.phrases import table_unit
from reconcile.letters.statements import Kind, Status
from reconcile.letters.table_cells import (
    ACCOUNTS_COLUMN,
    CHANGE_COLUMN,
    POST_NUMBER_CELL,
    SUM_ROW,
    TableReading,
    row_statements,
)
from reconcile.posts import Post

_I = re.IGNORECASE
_SEPARATOR = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*$")
_EARLIER = re.compile(r"\bsaldert|\bvedtatt|\bvedteke|\bgjeldande|\bgjeldende", _I)
_PROPOSAL = re.compile(r"\bforslag|\bframlegg|\bprop\b", _I)


@dataclass
class PipeTable(TableReading):
    read: bool = False  # False: no header row with a post column was found


def starts_pipe_table(text: str) -> bool:
    return text.rstrip().endswith("|") or text.strip() == "|"


def read_pipe_table(lines, index: int, kap: int | None) -> PipeTable:
    table = PipeTable()
    cells: list[tuple[str, TextLine]] = []
    position = index
    while position < len(lines) and "|" in lines[position].text:
        line = lines[position]
        text = line.text.strip()
        position += 1
        if _SEPARATOR.match(text):
            cells.append(("\x00row", line))
            continue
        if text == "|":
            cells.append(("\x00row", line))
            continue
        content = text.replace("|", "").strip()
        closes = text.count("|")
        if content:
            cells.append((content, line))
            closes -= 1
        cells.extend(("", line) for _ in range(closes))
    table.consumed = max(position - index, 1)
    rows = _rows(cells)
    unit = next((table_unit(text) for row in rows for text, _ in row if table_unit(text)), None)
    header = next((row for row in rows if row and row[0][0].lower() == "post"), None)
    if header is None or kap is None:
        return table
    table.read = True
    columns = [_column(text) for text, _ in header]
    for row in rows[rows.index(header) + 1 :]:
        number = POST_NUMBER_CELL.match(row[0][0]) if row else None
        if number is None or any(SUM_ROW.match(text) for text, _ in row[:2]):
            continue
        post = Post(kap, int(number.group("post")))
        table.statements.extend(row_statements(post, row, columns, unit))
    return table


def _rows(cells: list[tuple[str, TextLine]]) -> list[list[tuple[str, TextLine]]]:
    rows, current = [], []
    for text, line in cells:
        if text == "\x00row":
            if current:
                rows.append(current)
            current = []
            continue
        current.append((text, line))
    if current:
        rows.append(current)
    return rows


def _column(heading: str) -> tuple[Kind, Status | None] | None:
    if ACCOUNTS_COLUMN.search(heading):
        return None
    if CHANGE_COLUMN.search(heading):
        return Kind.CHANGE, None
    if _EARLIER.search(heading):
        return Kind.PREVIOUS_TOTAL, Status.ENACTED
    if _PROPOSAL.search(heading):
        return Kind.TABLE_TOTAL, None
    return None


__all__ = ["PipeTable", "read_pipe_table", "starts_pipe_table"]
