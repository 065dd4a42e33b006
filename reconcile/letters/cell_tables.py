"""Tables flattened from HTML one cell a line (blank lines between), the header's cells first.

    (i 1 000 kr)                      (i 1 000 kr)                 Oversikt over tiltak på kap. 326, post 73
    Kap.                              Post                         (i 1 000 kr)
    Post                              Nemning                      Tiltak
    Nemning                           Rekneskap 2017               Tilskudd 2019
    Overført til 2011                 Saldert budsjett 2018        Forslag 2020
    Forslag 2012                      Forslag 2019                 Noregs Mållag
    1301                              01                           5 590
    50                                Driftsutgifter               5 740
    Samferdselsforsking               6 813
    7 413                             7 190
    155 500                           7 700
                                      Sum kap. 0019

A row has as many cells as the header. The kapittel is a row's own cell, else the one a "Sum kap."
line names under the rows, else the heading's above the table. A table of named measures (no post
column) breaks down the one post its caption names. The columns say what each figure is: accounts
(not read), carried over, the appropriation so far, a change, the proposal, a share. A column whose
heading says none of these, or a row whose cells do not fit the header, is not guessed: the table
is left to the other readers, the row reported. A caption that says the table is money carried over
("Overførte beløp fra 2023 til 2024") names its one column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from reconcile.letters.document import TextLine
from reconcile.letters.statements import Kind, Status
from reconcile.letters.table_cells import (
    ACCOUNTS_COLUMN,
    CHANGE_COLUMN,
    POST_NUMBER_CELL,
    SUM_ROW,
    ENACTED_COLUMN,
    TableReading,
    row_statements,
)
from reconcile.posts import Post

_I = re.IGNORECASE
_KAP_CELL = re.compile(r"^kap(?:ittel|\.)?$", _I)
_POST_CELL = re.compile(r"^post$", _I)
# The name column of a breakdown: "Tiltak", "Mottaker", "Ordning", "Formål".
_LABEL_CELL = re.compile(r"^(?:tiltak|mottakar|mottaker|ordning|formål|føremål|prosjekt|organisasjon)$", _I)
_FIGURE = re.compile(r"^-?\d{1,3}(?:[ \u00a0\u202f]\d{3})*(?:,\d+)?$")
_KAP_NUMBER = re.compile(r"^0?(?P<kap>\d{1,4})$")
_SUM_KAP = re.compile(r"^sum\s+kap(?:ittel|\.)?\s*0*(?P<kap>\d{1,4})\b", _I)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")

_CARRIED = re.compile(r"\boverført|\boverførte", _I)
_PROPOSAL = re.compile(r"\bforslag|\bframlegg", _I)
_GRANT = re.compile(r"\btilskot|\btilskudd|\btildel", _I)


@dataclass
class CellTable(TableReading):
    kap: int | None = None  # the kapittel a "Sum kap." line under the rows names


@dataclass
class _Row:
    post: Post | int | None  # a post number alone where the kapittel is named under the rows or above
    figures: list[tuple[str, TextLine]]


def starts_cell_table(text: str) -> bool:
    """Whether the line could be a header's first cell ("Kap.", "Post", "Tiltak"), before any caption is read."""
    first = text.strip()
    return bool(_KAP_CELL.match(first) or _POST_CELL.match(first) or _LABEL_CELL.match(first))


def read_cell_table(lines, index: int, *, unit: Decimal | None, heading_kap: int | None,
                    caption_post: Post | None, carried_over: bool = False) -> CellTable | None:
    """The table whose header's first cell stands at `index`; None where no such table starts there."""
    if not starts_cell_table(lines[index].text):
        return None
    cells = _cells(lines, index)
    header = []
    for text, _, _ in cells:
        if _FIGURE.match(text) or _KAP_NUMBER.match(text) or len(text) > 60 or (
                text.endswith(".") and not _KAP_CELL.match(text)):
            break
        header.append(text)
    if len(header) < 3:
        return None
    if _KAP_CELL.match(header[0]) and _POST_CELL.match(header[1]):
        layout, keys = "kap_post", 3
    elif _POST_CELL.match(header[0]):
        layout, keys = "post", 2
    elif _LABEL_CELL.match(header[0]) and caption_post is not None:
        layout, keys = "label", 1
        header = header[:-1]  # the last cell before the first figure is the first row's name
    else:
        return None
    columns = [_column(name, layout) for name in header[keys:]]
    if carried_over and len(columns) == 1 and columns[0] is False:
        # "Tabell 8.1 Overførte beløp …" over "Post / Ordning / Budsjett minus forbruk": the caption says it.
        columns = [(Kind.CARRIED_OVER, Status.ENACTED)]
    if not columns or any(column is False for column in columns) or all(column is None for column in columns):
        return None
    table = CellTable()
    rows = _rows(cells[len(header):], layout, len(columns), table, caption_post)
    if rows is None:
        return None
    body, end = rows
    kap = table.kap if table.kap is not None else heading_kap
    for row in body:
        post = row.post
        if isinstance(post, int):
            if kap is None:
                table.notes.append((row.figures[0][1], f"tabellrad for post {post:02d} uten kapittel: ikke brukt"))
                continue
            post = Post(kap, post)
        table.statements.extend(row_statements(post, row.figures, columns, unit))
    table.consumed = max(end - index, 1)
    return table


def _cells(lines, index: int) -> list[tuple[str, TextLine, int]]:
    """The non-empty lines from `index` on, each with its position (a table ends where its cells stop)."""
    cells = []
    for position in range(index, min(len(lines), index + 400)):
        text = lines[position].text.strip()
        if text:
            cells.append((text, lines[position], position))
    return cells


def _column(name: str, layout: str) -> tuple[Kind, Status | None] | None | bool:
    """The kind of a value column; None for accounts (not read); False where the heading says nothing."""
    if ACCOUNTS_COLUMN.search(name):
        return None
    if _CARRIED.search(name):
        return Kind.CARRIED_OVER, Status.ENACTED
    if CHANGE_COLUMN.search(name):
        return Kind.CHANGE, None
    if ENACTED_COLUMN.search(name):
        return (Kind.BREAKDOWN_PART if layout == "label" else Kind.PREVIOUS_TOTAL), Status.ENACTED
    if _PROPOSAL.search(name):
        return (Kind.BREAKDOWN_PART if layout == "label" else Kind.TABLE_TOTAL), None
    if layout == "label" and _GRANT.search(name) and _YEAR.search(name):
        return Kind.BREAKDOWN_PART, Status.ENACTED
    return False


def _rows(cells, layout: str, width: int, table: CellTable, caption_post: Post | None):
    """The body rows and the line position after the table; None where the first row does not fit."""
    rows: list[_Row] = []
    position = 0
    end = cells[0][2] if cells else 0
    while position < len(cells):
        text, line, _ = cells[position]
        sum_kap = _SUM_KAP.match(text)
        if sum_kap or SUM_ROW.match(text):
            if sum_kap:
                table.kap = int(sum_kap.group("kap"))
            figures = _figures_after(cells, position + 1)[:width]
            position += 1 + len(figures)
            end = cells[position - 1][2] + 1
            continue
        if layout == "kap_post":
            kap, post = _KAP_NUMBER.match(text), cells[position + 1][0] if position + 1 < len(cells) else ""
            post = POST_NUMBER_CELL.match(post)
            if not (kap and post and position + 2 < len(cells)) or _FIGURE.match(cells[position + 2][0]):
                break
            key, start = Post(int(kap.group("kap")), int(post.group("post"))), position + 3
        elif layout == "post":
            post = POST_NUMBER_CELL.match(text)
            if not (post and position + 1 < len(cells)) or _FIGURE.match(cells[position + 1][0]):
                break
            key, start = int(post.group("post")), position + 2  # its kapittel: under the rows or above
        else:
            if _FIGURE.match(text) or len(text) > 80 or text.endswith("."):
                break
            key, start = caption_post, position + 1
        figures = _figures_after(cells, start)
        if layout != "label":
            figures = figures[:width]  # a post number is a figure too: the next row's first cell
        if len(figures) != width:
            if not rows and not figures:
                return None
            table.notes.append((line, f"raden «{text}» har {len(figures)} tall for {width} kolonner: kan ikke plasseres sikkert"))
        else:
            rows.append(_Row(key, figures))
        position = start + len(figures)
        end = cells[position - 1][2] + 1
    if not rows:
        return None
    return rows, end


def _figures_after(cells, start: int) -> list[tuple[str, TextLine]]:
    figures = []
    for text, line, _ in cells[start:]:
        if not _FIGURE.match(text):
            break
        figures.append((text, line))
    return figures


__all__ = ["CellTable", "read_cell_table"]
