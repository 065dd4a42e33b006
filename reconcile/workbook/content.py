"""Post tables found by what their cells hold, not by their headers.

A table starts where rows read as budget posts: a column of whole keys in any written form
(`671/71`, `671.71`, `0671.71`, `671 71`, `Kap. 671 post 71`), or a kapittel column (3–4 digits, on
every row or only on a group's first row) with a post column (1–2 digits) to its right. Whatever
the headers say, or if there are none: the header is the text row just above the first post row
(and a row of group labels above that), when there is one. Every other column whose cells are
numbers, or text that reads as an amount, is a column of *figures*: what they are (a total, a
letter's change, an account) is not for this stage to say. The validation stage compares them with
the letters (reconcile/validation/roles.py). This module knows nothing of the letters.
"""

from __future__ import annotations

from reconcile.amounts import parse_amount
from reconcile.workbook.cells import is_blank
from reconcile.workbook.keys import read_key
from reconcile.workbook.records import FIGURES

__all__ = ["FIGURES", "figure_columns", "find_key_columns", "header_like", "key_kind", "row_has_key"]
KEYED_SHARE = 0.6  # of the sampled rows that must read as posts for a column to be the key
MAX_KEY_GAP = 3  # columns between a kapittel column and its post column
MAX_HEADER_TEXT = 120


def key_kind(value: object) -> str | None:
    """'post', 'kap' or 'post_no' for a cell that reads as one, else None."""
    if value == "" or value is None:
        return None
    key = read_key(value)
    if key is None:
        return None
    if key.post is not None:
        return "post"
    if key.kap is not None:
        return "kap"
    return "post_no"


def row_has_key(values: list) -> bool:
    """Cheap first look: does some cell read as a whole post, or a kapittel with a post number to
    its right?"""
    kap_at = None
    for column, value in enumerate(values):
        if value == "":
            continue
        kind = key_kind(value)
        if kind == "post" and isinstance(value, str):
            return True
        if kind == "post" and column < 4:  # 671.71 as a number: only near the left edge
            return True
        if kind == "kap":
            kap_at = column
        elif kind == "post_no" and kap_at is not None and column - kap_at <= MAX_KEY_GAP:
            return True
    return False


def find_key_columns(rows: list[tuple[int, list]]) -> dict[int, str]:
    """The key column(s) of these data rows (the first row a post row): {column: role}, the
    leftmost reading that most rows share; {} if the rows do not read as posts."""
    rows = [row for row in rows if not is_blank(row[1])]
    if not rows:
        return {}
    first = rows[0][1]
    width = max(len(values) for _, values in rows)
    kinds: list[list[str | None]] = [
        [key_kind(values[column]) if column < len(values) else None for _, values in rows] for column in range(width)
    ]
    needed = max(1, int(len(rows) * KEYED_SHARE + 0.999))
    for column in range(width):
        column_kinds = kinds[column]
        if column_kinds[0] == "post" and column_kinds.count("post") >= needed:
            return {column: "post"}
        if column_kinds[0] != "kap":
            continue
        # A kapittel here on the first row; on every row, or only on a group's first (blank below).
        if any(kind not in ("kap", None) for kind in column_kinds):
            continue
        if any(kind is None and _filled(values, column) for (_, values), kind in zip(rows, column_kinds)):
            continue
        for post_column in range(column + 1, min(width, column + MAX_KEY_GAP + 2)):
            post_kinds = kinds[post_column]
            if post_kinds[0] == "post_no" and post_kinds.count("post_no") >= needed:
                return {column: "kap", post_column: "post_no"}
            if _numeric(first, post_column):
                break  # a number between them: not a name, so not this pair
    return {}


def _filled(values: list, column: int) -> bool:
    return column < len(values) and values[column] != ""


def _numeric(values: list, column: int) -> bool:
    return column < len(values) and is_number(values[column])


def is_number(value: object) -> bool:
    """A number, or text that reads as an amount ('1 234 kr', '−1 308', '(12,5)')."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return value == value  # not NaN
    if isinstance(value, str):
        text = value.strip()
        return bool(text) and len(text) <= 40 and any(ch.isdigit() for ch in text) and parse_amount(text) is not None
    return False


def figure_columns(rows: list[tuple[int, list]], keys: dict[int, str]) -> list[int]:
    """Columns right of the key whose filled cells in these rows are mostly numbers."""
    width = max((len(values) for _, values in rows), default=0)
    found = []
    for column in range(min(keys), width):
        if column in keys:
            continue
        numbers = texts = 0
        for _, values in rows:
            if column >= len(values) or values[column] == "":
                continue
            if is_number(values[column]):
                numbers += 1
            else:
                texts += 1
        if numbers and numbers >= texts:
            found.append(column)
    return found


def header_like(values: list) -> bool:
    """A row that can be a table's header: text (or a year: "2023" over a column), at least two
    cells, none an amount or a key."""
    filled = [value for value in values if value != ""]
    if len(filled) < 2:
        return False
    for value in filled:
        if _year(value):
            continue
        if not isinstance(value, str) or len(value) > MAX_HEADER_TEXT:
            return False
        if is_number(value) or key_kind(value) == "post":
            return False
    return True


def _year(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == int(value) and 1990 <= value <= 2100
