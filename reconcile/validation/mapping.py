"""From the workbook's tables to the values the suite checks: each amount cell gets a key.

A column's role says what it holds ("Tillegg nr. 3" is letter 3's change, "Samlet tildeling" the
total); where the letters allow two readings (a "Sum" may or may not include last year's
carry-over) the reading that matches more cells is taken and said. A transaction list is summed per
post and letter first. Structural checks that need no expectation (sum rows, blank cells where an
amount is due) are made here too; a post twice in its table is flagged here (which row is the repeat)
and checked by the suite's uniqueness expectation.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from reconcile.amounts import ZERO
from reconcile.ledger.expected import LATEST, ExpectedValue, make_key
from reconcile.posts import Post
from reconcile.validation.roles import FigureColumn, Reading, agrees, header_reading, read_figures, reading_note
from reconcile.validation.run import ValueRow
from reconcile.workbook.cells import amount_from_cell
from reconcile.workbook.content import is_number
from reconcile.workbook.records import FIGURES, LETTER_ROLES, PostRows

ROLE_TEXT = {
    "allocation": "årets tildeling",
    "carried_over": "overført fra i fjor",
    "total": "samlet tildeling",
    "change": "endring",
    "net_change": "netto endring",
    "booked": "bokført",
    "sum": "sumrad",
}


@dataclass(frozen=True, slots=True)
class CheckedCell:
    row: int  # the frame row
    key: str
    post: Post
    role: str
    letter: int | None  # None: as of the latest letter
    sheet: str
    cell: str
    actual: Decimal | None
    slack: Decimal  # the cell's own rounding (unit) plus the user's tolerance
    duplicate: bool = False
    note: str = ""  # e.g. "sum av 4 posteringer"
    entries: Sequence[tuple[str, Decimal]] = ()  # a transaction group's entries: (cell, amount), see Entries
    table: int = 0  # index of the table in the workbook: a post is unique within its table


@dataclass(frozen=True, slots=True)
class SumCheck:
    sheet: str
    cell: str
    label: str
    actual: Decimal
    expected: Decimal
    rows: int


@dataclass
class Mapping:
    cells: list[CheckedCell] = field(default_factory=list)
    sums: list[SumCheck] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seen_posts: set[Post] = field(default_factory=set)
    # Columns whose role the letters decided, by (table index, column index): what --explain-layout shows.
    figures: dict[tuple[int, int], FigureColumn] = field(default_factory=dict)
    explain: bool = False  # also say how many rows agree with each column the header gave its role

    def value_rows(self) -> list[ValueRow]:
        return [ValueRow(c.row, c.key, str(c.post), c.actual, f"{c.table}|{c.key}") for c in self.cells]


def map_workbook(read, expected: dict[str, ExpectedValue], letters: tuple[int, ...], tolerance: Decimal,
                 tolerance_by_post: dict[str, Decimal] | None = None, *, explain: bool = False) -> Mapping:
    mapping = Mapping(explain=explain)
    tolerance_by_post = tolerance_by_post or {}
    first_letter = letters[0] if letters else 1
    for table_index, table in enumerate(read.tables):
        if table.layout == "transactions" or table.column("amount") is not None:
            _map_transactions(mapping, table, table_index, expected, tolerance, tolerance_by_post)
            continue
        post_rows = list(table.rows)
        for column in table.columns:
            reading = _reading(mapping, (table_index, column.index), column, table, post_rows, expected, letters,
                               first_letter)
            if reading is None:
                continue
            role, letter, unit = reading
            seen: set[Post] = set()
            for post_row in post_rows:
                mapping.seen_posts.add(post_row.post)
                value = post_row.cells.get(column.index)
                if value is not None and value.formula_without_value:
                    continue  # reported by the reader; never read as 0
                key = make_key(post_row.post, role, letter if letter is not None else LATEST)
                due = expected.get(key)
                amount = _amount_in(value, unit, column.unit)
                if amount is None:
                    if due is None or due.amount.value == 0:
                        continue
                    actual, slack = None, Decimal(0)
                else:
                    actual, slack = amount.value, amount.precision
                slack += tolerance_by_post.get(str(post_row.post), tolerance)
                mapping.cells.append(CheckedCell(
                    len(mapping.cells), key, post_row.post, role, None if letter == LATEST else letter,
                    table.sheet, f"{column.letter}{post_row.row}", actual, slack, duplicate=post_row.post in seen,
                    table=table_index))
                seen.add(post_row.post)
            _sum_checks(mapping, table, column, unit)
    return mapping


def _header_says(header, role: str, letter) -> bool:
    """The header names the role (and the letter, if any) itself: a note would only repeat it."""
    text = " ".join(str(header or "").casefold().split())
    if ROLE_TEXT[role] not in text:
        return False
    return letter in (None, LATEST) or str(letter) in text


def _amount_in(value, unit: Decimal, read_unit: Decimal):
    """A cell's amount in `unit` (the reader made it in `read_unit`, the column's stated unit)."""
    if value is None or value.raw is None or value.raw == "":
        return None
    if unit == read_unit and value.amount is not None:
        return value.amount
    return amount_from_cell(value.raw, unit)[0]  # a column the reader gave no unit (role unknown)


def _reading(mapping: Mapping, where: tuple[int, int], column, table, post_rows, expected, letters, first_letter):
    """(role, letter, unit) the column is checked as, or None if it is not checked.

    A column of figures (a table found by its values), or one whose header names no letter or no
    role the letters know, is read by agreement with the letters (validation/roles.py); so is a
    column whose header's reading most of its rows disagree with ("Tildeling" holding the total).
    """
    candidates = [] if column.role == FIGURES else _candidates(column, table, first_letter)
    if candidates:
        role, letter = _choose(candidates, post_rows, column, expected)
        agreeing, filled = _agreement((role, letter), post_rows, column, expected)
        if agreeing * 2 > filled or filled < 2 or column.assigned_by == "layout file":  # the user's word wins
            if (len(candidates) > 1 and (column.role in ("total", "total_after") or (role, letter) != candidates[0])
                    and not _header_says(column.header, role, letter)):
                mapping.notes.append(f"{table.sheet}!{column.letter} «{column.header}»: lest som {ROLE_TEXT[role]}"
                                     + (f" etter tillegg nr. {letter}" if letter not in (None, LATEST) else ""))
            if mapping.explain:
                mapping.figures[where] = header_reading(column, table, expected, letters,
                                                        Reading(role, letter if letter is not None else LATEST, column.unit))
            return role, letter, column.unit
    elif column.role not in (FIGURES, "unknown", *LETTER_ROLES):
        return None
    elif column.role == "unknown" and column.assigned_by == "layout file":  # the user said: not a figure to check
        return None
    elif column.role == "unknown" and not any(is_number(row.cells[column.index].raw) for row in post_rows[:50]
                                              if column.index in row.cells):
        return None
    found = read_figures(column, table, expected, letters)
    if found.reading is None and candidates:
        return role, letter, column.unit  # the header's reading, though the values disagree: flagged
    mapping.figures[where] = found
    mapping.notes.append(reading_note(found))
    if found.reading is None:
        return None
    return found.reading.role, found.reading.letter, found.reading.unit


def _agreement(candidate, rows, column, expected) -> tuple[int, int]:
    """(rows that agree with the reading within the cell's rounding, rows with an amount)."""
    role, letter = candidate
    agreeing = filled = 0
    for row in rows:
        value = row.cells.get(column.index)
        if value is None or value.amount is None:
            continue
        filled += 1
        agreeing += agrees(value.amount, expected.get(make_key(row.post, role, letter)))
    return agreeing, filled


def _candidates(column, table, first_letter) -> list[tuple[str, int | str | None]]:
    number = column.letter_no if column.letter_no is not None else table.letter_no
    latest = number if number is not None else LATEST
    role = column.role
    if role == "total":
        return [("total", latest), ("allocation", latest)]
    if role == "allocation":
        return [("allocation", latest)]
    if role == "carried_over":
        return [("carried_over", latest)]
    if role == "change" and number is not None:
        return [("change", number), ("net_change", number)]
    if role == "total_after" and number is not None:
        return [("total", number), ("allocation", number)]
    if role == "original":
        return [("net_change", first_letter)]
    return []


def _choose(candidates, rows, column, expected):
    # Within the cell's own rounding: a sheet in mill. kr matches no reading to the krone.
    return max(candidates, key=lambda candidate: _agreement(candidate, rows, column, expected)[0])


def _sum_checks(mapping: Mapping, table, column, unit: Decimal) -> None:
    for total_row in table.total_rows:
        value = _amount_in(total_row.cells.get(column.index), unit, column.unit)
        if value is None:
            continue
        rows = [r for r in table.rows if total_row.kap is None or r.post.kap == total_row.kap]
        rows = [r for r in rows if r.row < total_row.row]
        amounts = [amount.value for r in rows
                   if (amount := _amount_in(r.cells.get(column.index), unit, column.unit)) is not None]
        mapping.sums.append(SumCheck(table.sheet, f"{column.letter}{total_row.row}", total_row.label,
                                     value.value, sum(amounts, ZERO), len(amounts)))


def _map_transactions(mapping: Mapping, table, table_index: int, expected, tolerance, tolerance_by_post) -> None:
    """A transaction list is checked as sums: per post and letter, and per post where entries name no letter."""
    amount_column = table.column("amount")
    if amount_column is None:
        return
    groups: dict[tuple[Post, int | None], _Group] = {}
    for post, letter, number, amount in _entries(table, amount_column):
        group = groups.get((post, letter))
        if group is None:
            group = groups[(post, letter)] = _Group()
            mapping.seen_posts.add(post)
        group.numbers.append(number)
        group.amounts.append(amount)
    per_post: dict[Post, list[_Group]] = defaultdict(list)

    def add_sum(post: Post, role: str, letter: int | None, parts: list[_Group], note: str) -> None:
        entries = Entries(amount_column.letter, parts)
        total, precision = entries.sums()
        slack = precision + tolerance_by_post.get(str(post), tolerance)
        mapping.cells.append(CheckedCell(len(mapping.cells), make_key(post, role, LATEST if letter is None else letter),
                                         post, role, letter, table.sheet, entries.cell(0), total, slack, note=note,
                                         entries=entries, table=table_index))

    for (post, letter), group in sorted(groups.items(), key=lambda item: (item[0][0], item[0][1] or 0)):
        per_post[post].append(group)
        if letter is not None:
            add_sum(post, "booked", letter, [group], f"sum av {len(group.numbers)} posteringer for tillegg nr. {letter}")
    for post, parts in per_post.items():
        # Where every entry names its letter, the per-letter sums say all a total would, and a total
        # would only repeat the letters' own inconsistencies (reported in the letter audit).
        if (post, None) in groups:
            count = sum(len(part.numbers) for part in parts)
            add_sum(post, "total", None, parts, f"sum av alle {count} posteringer på posten")


# A whole number of kroner read from a float or int cell (unit 1): kept as an int, exactly the
# Decimal that amount_from_cell would make (Decimal(repr(3183.0)) normalised is Decimal(3183)).
_WHOLE_LIMIT = 10**15


def _entries(table, column):
    """(post, letter, row, amount) for each row with an amount in `column`, in row order. The
    amount is an Amount, or an int for a whole number of kroner in a column of unit 1 (the
    common case in a transaction list of a million rows: no Amount or Decimal made per row)."""
    rows = table.rows
    if not isinstance(rows, PostRows):
        for row in rows:
            value = row.cells.get(column.index)
            if value is not None and value.amount is not None:
                yield row.post, row.letter_no, row.row, value.amount
        return
    unit = column.unit
    whole = unit == 1
    for post, letter, number, raw in zip(rows.posts, rows.letter_nos, rows.numbers, rows.column(column.index), strict=True):
        kind = raw.__class__
        if whole and (kind is float or kind is int) and -_WHOLE_LIMIT < raw < _WHOLE_LIMIT and raw == int(raw):
            yield post, letter, number, int(raw)
        elif raw is None or (kind is str and raw == ""):  # a bad cell, or blank
            continue
        else:
            amount, _ = amount_from_cell(raw, unit)
            if amount is not None:
                yield post, letter, number, amount


class _Group:
    """The entries of one post and letter: row numbers and amounts (int: whole kroner, exact)."""

    __slots__ = ("numbers", "amounts")

    def __init__(self) -> None:
        self.numbers: array[int] = array("q")
        self.amounts: list = []


class Entries(Sequence):
    """A transaction sum's entries as (cell, amount) pairs, in order, made when read (to diagnose a
    sum that differs): a sum over a million rows keeps row numbers, not a million cell names."""

    __slots__ = ("_letter", "_parts")

    def __init__(self, letter: str, parts: list[_Group]):
        self._letter = letter
        self._parts = parts

    def sums(self) -> tuple[Decimal, Decimal]:
        """(total, precision) of the entries, added in order as Decimals (ints exactly)."""
        amounts = [amount for part in self._parts for amount in part.amounts]
        if all(amount.__class__ is int for amount in amounts):
            return Decimal(sum(amounts)), ZERO
        total = sum((Decimal(a) if a.__class__ is int else a.value for a in amounts), ZERO)
        precision = sum((ZERO if a.__class__ is int else a.precision for a in amounts), ZERO)
        return total, precision

    def cell(self, position: int) -> str:
        for part in self._parts:
            if position < len(part.numbers):
                return f"{self._letter}{part.numbers[position]}"
            position -= len(part.numbers)
        raise IndexError("entry index out of range")

    def __len__(self) -> int:
        return sum(len(part.numbers) for part in self._parts)

    def __iter__(self):
        letter = self._letter
        for part in self._parts:
            for number, amount in zip(part.numbers, part.amounts, strict=True):
                yield f"{letter}{number}", Decimal(amount) if amount.__class__ is int else amount.value

    def __getitem__(self, position):
        if isinstance(position, slice):
            return tuple(self)[position]
        if position < 0:
            position += len(self)
        for part in self._parts:
            if 0 <= position < len(part.numbers):
                amount = part.amounts[position]
                return f"{self._letter}{part.numbers[position]}", Decimal(amount) if amount.__class__ is int else amount.value
            position -= len(part.numbers)
        raise IndexError("entry index out of range")

    def __eq__(self, other) -> bool:
        if isinstance(other, (Entries, tuple)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Entries({len(self)} entries)"


def missing_posts(mapping: Mapping, expected: dict[str, ExpectedValue]) -> list[ExpectedValue]:
    """Posts the letters give an amount that no table of the workbook holds."""
    missing = []
    for value in expected.values():
        if value.role == "total" and value.key.endswith(f"|{LATEST}") and value.post not in mapping.seen_posts:
            missing.append(value)
    return missing
