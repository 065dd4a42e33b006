"""What the post-table readers share: the statement a table's cell makes, and the patterns of its lines.

The readers differ in how a layout puts cells on lines (one cell a line, pipes, glued cells, a
PDF's stream); once a row's post and its column kinds are known, a cell says the same thing in each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from reconcile.amounts import Amount, parse_amount
from reconcile.letters.document import TextLine
from reconcile.letters.statements import Kind, Status
from reconcile.posts import Post

_I = re.IGNORECASE
POST_NUMBER_CELL = re.compile(r"^0?(?P<post>\d{1,2})$")
SUM_ROW = re.compile(r"^(?:sum|totalt|i\s+alt)\b", _I)
ACCOUNTS_COLUMN = re.compile(r"\brekneskap|\bregnskap", _I)
CHANGE_COLUMN = re.compile(r"\bendring", _I)
ENACTED_COLUMN = re.compile(r"\bsaldert|\bvedtatt|\bvedteke", _I)

ColumnKind = tuple[Kind, Status | None]


@dataclass(frozen=True, slots=True)
class TableCellStatement:
    kind: Kind
    status: Status | None  # the column's own status where it says ("Saldert budsjett" was enacted)
    amount: Amount
    post: Post
    line: TextLine
    quote: str


@dataclass
class TableReading:
    statements: list[TableCellStatement] = field(default_factory=list)
    notes: list[tuple[TextLine, str]] = field(default_factory=list)  # rows reported, not read
    consumed: int = 0  # lines the table takes


def row_statements(post: Post, cells: list[tuple[str, TextLine]], columns: list[ColumnKind | None],
                   unit: Decimal | None) -> list[TableCellStatement]:
    """What a row's cells state about its post; a column of None (accounts) and an empty cell state nothing."""
    statements = []
    for (text, line), column in zip(cells, columns):
        if column is None or not text:
            continue
        amount = parse_amount(text, context_multiplier=unit)
        if amount is None:
            continue
        kind, status = column
        statements.append(TableCellStatement(kind, status, amount, post, line, text))
    return statements


__all__ = ["ACCOUNTS_COLUMN", "CHANGE_COLUMN", "ENACTED_COLUMN", "POST_NUMBER_CELL", "SUM_ROW", "ColumnKind",
           "TableCellStatement", "TableReading", "row_statements"]
