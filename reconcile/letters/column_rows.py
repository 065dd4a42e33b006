"""A kapittel's post table with named value columns, one row a line:

    Kap. 1150 Post Overført beløp mill. kr Forhåndsdisponert mill. kr Disponibelt overført beløp mill. kr
    70 21,800 8,000 1) 13,800
    78 78,800 78,800
    Kap 1150 325,300 209,750 115,550

The header names the kapittel and, between the units, the columns. A row is a post number and one
figure per column ("1)" is a footnote mark). A row with fewer figures than columns cannot be
aligned with confidence: it is reported, not guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from reconcile.amounts import parse_amount
from reconcile.letters.statements import Kind
from reconcile.letters.table_cells import TableCellStatement, TableReading
from reconcile.posts import Post

_I = re.IGNORECASE
_HEADER = re.compile(r"^\s*kap(?:ittel|\.)?\s*0?(?P<kap>\d{3,4})\s+post\s+(?P<columns>\S.*)$", _I)
_UNIT = re.compile(r"\b(?P<million>mill\.?\s*(?:kr\.?|kroner)|mnok)|(?P<thousand>1\s?000\s*(?:kr\.?|kroner)|tusen\s+kroner)", _I)
_ROW = re.compile(r"^\s*0?(?P<post>\d{1,2})\s+(?P<figures>-?\d.*)$")
_FOOTNOTE = re.compile(r"(?<!\S)\d{1,2}\)(?!\S)")
_FIGURE = re.compile(r"^-?\d+(?:,\d+)?$")
_SUM = re.compile(r"^\s*(?:sum|kap(?:ittel|\.)?\s*\d|i\s+alt|totalt)", _I)


@dataclass
class ColumnTable(TableReading):
    kap: int | None = None  # the kapittel the header names


def column_kinds(text: str) -> tuple[int, list[tuple[Kind, Decimal]]] | None:
    """The kapittel and the (kind, unit) of each column a header line names; None for no such header."""
    header = _HEADER.match(text)
    if not header:
        return None
    names, units, start = [], [], 0
    for unit in _UNIT.finditer(header.group("columns")):
        names.append(header.group("columns")[start : unit.start()].strip())
        units.append(Decimal(1_000_000) if unit.group("million") else Decimal(1000))
        start = unit.end()
    if len(names) < 2 or not all(names) or any(re.search(r"\d", name) for name in names) or text.rstrip().endswith("."):
        return None  # a wrapped sentence ("kapittel 1142 post 71 med 2,55 mill. kroner og …") is no header
    return int(header.group("kap")), [(_kind(name), unit) for name, unit in zip(names, units)]


def _kind(name: str) -> Kind:
    lowered = name.lower()
    if "forhåndsdisponert" in lowered or "disponibel" in lowered or "fordel" in lowered:
        return Kind.BREAKDOWN_PART
    if "overført" in lowered or "overførte" in lowered:
        return Kind.CARRIED_OVER
    if "endring" in lowered:
        return Kind.CHANGE
    if "saldert" in lowered or "vedtatt" in lowered:
        return Kind.PREVIOUS_TOTAL
    return Kind.TABLE_TOTAL


def read_column_table(lines, index: int) -> ColumnTable:
    kap, columns = column_kinds(lines[index].text)
    table = ColumnTable(kap=kap)
    position = index + 1
    while position < len(lines):
        line = lines[position]
        text = line.text.strip()
        if not text:
            break
        position += 1
        if _SUM.match(text):
            continue
        row = _ROW.match(text)
        if not row:
            position -= 1
            break
        figures = _FOOTNOTE.sub(" ", row.group("figures")).split()
        if not all(_FIGURE.match(figure) for figure in figures) or len(figures) != len(columns):
            table.notes.append((line, f"raden for post {row.group('post')} har {len(figures)} tall for "
                                      f"{len(columns)} kolonner: kan ikke plasseres sikkert"))
            continue
        post = Post(kap, int(row.group("post")))
        for figure, (kind, unit) in zip(figures, columns):
            amount = parse_amount(figure, context_multiplier=unit)
            if amount is not None:
                table.statements.append(TableCellStatement(kind, None, amount, post, line, line.text))
    table.consumed = position - index
    return table
