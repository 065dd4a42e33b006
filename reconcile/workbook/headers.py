"""Header rows: finding them, joining multi-row and merged headers, and giving columns their roles.

A header row is a row where at least two cells match the layouts' vocabulary and one of them names
the post key ("Kap./post", "Kap", "Post"); in a sheet's first rows a header without a key column
also counts, the key column then being found from the values below it. Rows directly above that
hold group labels ("Tillegg nr. 3" over "Endring" / "Sum etter") and rows directly below that hold
sub-headers join the header block. A group label covers the columns of its merged range, or, where
there is no merge, the columns to its right that have a sub-header and no label of their own.

Each layout (templates: layout-*.toml) then reads the joined headers; the layout whose required
roles are all there and that gives the most columns a role wins. A layout file's explicit roles
win over all of this.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from reconcile.sources import CellSource
from reconcile.workbook.cells import cell_ref, cell_text, column_letter
from reconcile.workbook.keys import read_key
from reconcile.workbook.layout import SheetRule
from reconcile.workbook.records import AMOUNT_ROLES, KEY_ROLES, LETTER_ROLES, SINGLE_ROLES, Column
from reconcile.workbook.vocabulary import LETTER_AMOUNT, LayoutSpec, Vocabulary, normalise

MAX_GROUP_ROWS_ABOVE = 2
MAX_SUB_ROWS_BELOW = 2
MAX_HEADER_TEXT = 120  # longer text is a note, not a header
ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """What a single row looks like as a header: the roles its cells could have."""

    row: int
    roles: dict[int, frozenset[str]]  # column -> roles some layout gives its text

    @property
    def score(self) -> int:
        return len(self.roles)

    @property
    def has_key(self) -> bool:
        return any(roles & KEY_ROLES for roles in self.roles.values())

    @property
    def amount_columns(self) -> int:
        return sum(1 for roles in self.roles.values() if roles & (AMOUNT_ROLES | LETTER_ROLES | {LETTER_AMOUNT}))


def match_header(row: int, values: list, vocabulary: Vocabulary, rule: SheetRule, *, full: bool) -> HeaderMatch | None:
    """The header reading of a row, or None if it cannot be a header row.

    With `full` False (past the sheet's first rows) only a row naming the post key is considered,
    which keeps the cost per row low on long sheets.
    """
    texts = [
        (column, normalise(value))
        for column, value in enumerate(values)
        if isinstance(value, str) and value.strip() and len(value) <= MAX_HEADER_TEXT
    ]
    if len(texts) < 2:
        return None
    if not full and not any(
        _key_text(text, vocabulary) or (text in rule.headers and rule.headers[text].role in KEY_ROLES)
        for _, text in texts
    ):
        return None
    roles: dict[int, frozenset[str]] = {}
    for column, text in texts:
        found = vocabulary.any_role(text) - {"unknown"}
        explicit = rule.column_rule(column_letter(column), (text,))
        if explicit is not None:
            found = {explicit.role}
        if found:
            roles[column] = frozenset(found)
    match = HeaderMatch(row, roles)
    if match.score < 2:
        return None
    if match.has_key or (full and match.amount_columns >= 2):
        return match
    return None


def _key_text(text: str, vocabulary: Vocabulary) -> bool:
    return any(entry.pattern.search(text) for entry in vocabulary.key_patterns)


# --- the header block ----------------------------------------------------------------------


@dataclass(slots=True)
class HeaderCell:
    text: str  # as written
    ref: str  # the cell that holds the text (a merged range's top-left cell)


@dataclass(slots=True)
class HeaderBlock:
    """Header rows (top to bottom) with each cell's effective text after merges and group labels."""

    rows: list[int]
    cells: list[dict[int, HeaderCell]]  # per header row: column -> cell
    span: tuple[int, int]  # first and last column (0-based, inclusive)

    def parts(self, column: int) -> list[HeaderCell]:
        """The header texts of a column, top to bottom, repeated texts once."""
        result: list[HeaderCell] = []
        for row_cells in self.cells:
            cell = row_cells.get(column)
            if cell is None or not cell.text.strip():
                continue
            if result and normalise(result[-1].text) == normalise(cell.text):
                continue
            result.append(cell)
        return result


def is_group_row(values: list, main_values: list, merged: tuple, row: int) -> bool:
    """Can this row, directly above a header row, be a row of group labels over it?

    Group labels are text only, and stand over columns that have headers of their own beyond the
    first (key) column: "Tillegg nr. 3" over "Endring" / "Sum etter". A title ("Budsjett 2023") sits
    alone in the first column, or spans the whole table.
    """
    filled = [(column, value) for column, value in enumerate(values) if value != ""]
    if not filled or any(not isinstance(value, str) for _, value in filled):
        return False
    header_columns = [column for column, value in enumerate(main_values) if value != ""]
    if not header_columns:
        return False
    first, last = header_columns[0], header_columns[-1]
    width = last - first + 1
    useful = 0
    for column, value in filled:
        if len(value) > MAX_HEADER_TEXT:
            return False
        span = _merged_span(merged, row, column)
        covers = (span[1] - span[0] + 1) if span else 1
        if column <= first and len(filled) == 1:
            return False  # a title in the first column
        if span and covers >= width and width > 2:
            return False  # a title over the whole table
        if first < column <= last or (span and span[0] <= last and span[1] > first):
            useful += 1
    return useful > 0


def is_sub_row(values: list, merged: tuple, row: int, vocabulary: Vocabulary, key_columns: set[int]) -> bool:
    """Can this row, directly below a header row, be a row of sub-headers ("Endring", "Sum etter")?"""
    filled = [(column, value) for column, value in enumerate(values) if value != ""]
    if not filled:
        return False
    for column, value in filled:
        if not isinstance(value, str) or len(value) > MAX_HEADER_TEXT:
            return False
        if column in key_columns and (read_key(value) is not None or vocabulary.is_total_label(normalise(value))):
            return False
    return True


def build_block(
    rows: list[tuple[int, list]], merged: tuple[tuple[int, int, int, int], ...]
) -> HeaderBlock:
    """Effective header texts: merged ranges spread over their cells, group labels over sub-columns."""
    numbers = [number for number, _ in rows]
    index_of = {number: index for index, number in enumerate(numbers)}
    cells: list[dict[int, HeaderCell]] = []
    for number, values in rows:
        cells.append(
            {
                column: HeaderCell(cell_text(value), cell_ref(number, column))
                for column, value in enumerate(values)
                if value != "" and cell_text(value).strip()
            }
        )
    # Merged ranges: the top-left cell's text over every header cell of the range.
    for r0, c0, r1, c1 in merged:
        top, bottom = r0 + 1, r1 + 1
        if bottom < numbers[0] or top > numbers[-1]:
            continue
        source = cells[index_of[top]].get(c0) if top in index_of else None
        if source is None:
            continue
        for number in range(max(top, numbers[0]), min(bottom, numbers[-1]) + 1):
            for column in range(c0, c1 + 1):
                cells[index_of[number]].setdefault(column, source)
    # Group labels without a merge: over the columns to the right that have a sub-header.
    for upper in range(len(cells) - 1):
        lower = cells[upper + 1]
        for column in sorted(cells[upper]):
            label = cells[upper][column]
            if column not in lower or _merged_span(merged, numbers[upper] - 1, column):
                continue
            right = column + 1
            while right not in cells[upper] and right in lower:
                cells[upper][right] = label
                right += 1
    columns = [column for row_cells in cells for column in row_cells]
    span = (min(columns), max(columns)) if columns else (0, -1)
    return HeaderBlock(numbers, cells, span)


def _merged_span(merged, row0: int, column: int) -> tuple[int, int] | None:
    """The columns of the merged range that starts at (row0, column), 0-based; None if none."""
    for r0, c0, r1, c1 in merged:
        if r0 <= row0 <= r1 and c0 == column:
            return (c0, c1)
    return None


# --- roles ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Assignment:
    """A layout's reading of the header block."""

    spec: LayoutSpec
    roles: dict[int, tuple[str, int | None, str]]  # column -> (role, letter_no, assigned_by)
    score: int = 0
    applicable: bool = False
    notes: list[str] = field(default_factory=list)


def assign_roles(
    block: HeaderBlock,
    spec: LayoutSpec,
    vocabulary: Vocabulary,
    rule: SheetRule,
    sheet_letter: int | None,
    fixed: dict[int, tuple[str, int | None, str]] | None = None,
) -> Assignment:
    roles: dict[int, tuple[str, int | None, str]] = {}
    for column in range(block.span[0], block.span[1] + 1):
        if fixed and column in fixed:
            roles[column] = fixed[column]
            continue
        parts = block.parts(column)
        joined = normalise(" ".join(part.text for part in parts))
        last = normalise(parts[-1].text) if parts else ""
        texts = tuple(dict.fromkeys(t for t in (joined, last, *(normalise(p.text) for p in parts)) if t))
        explicit = rule.column_rule(column_letter(column), texts)
        if explicit is not None:
            letter = explicit.letter
            if letter is None and explicit.role in LETTER_ROLES:
                letter = vocabulary.letter_number(joined)
                if letter is None and explicit.role == "original":
                    letter = 0
            roles[column] = (explicit.role, letter, "layout file")
            continue
        role = spec.role_of(joined, last) if joined else None
        if role is None:
            roles[column] = ("unknown", None, "vocabulary")
            continue
        letter = None
        if role == LETTER_AMOUNT:
            # A supplement's own table lists what the agency disposes of after it: a total.
            role = "original" if sheet_letter == 0 else "total_after"
            letter = sheet_letter
        elif role in LETTER_ROLES:
            letter = vocabulary.letter_number(joined)
            if role == "original" and letter is None:
                letter = 0
            if letter is None and spec.needs_sheet_letter:
                letter = sheet_letter
        roles[column] = (role, letter, "vocabulary")
    present = {role for role, _, _ in roles.values()}
    if spec.name != "letter_sheet" or sheet_letter is not None:
        applicable = all(group & (present | _pseudo(present)) for group in spec.requires)
    else:
        applicable = False
    score = sum(1 for role, _, _ in roles.values() if role != "unknown")
    return Assignment(spec, roles, score, applicable)


def _pseudo(present: set[str]) -> set[str]:
    # letter_amount was resolved to original/change; requirements may name it.
    return {LETTER_AMOUNT} if present & {"original", "change", "total_after"} else set()


def choose_layout(
    block: HeaderBlock,
    vocabulary: Vocabulary,
    rule: SheetRule,
    sheet_letter: int | None,
    fixed: dict[int, tuple[str, int | None, str]] | None = None,
) -> Assignment | None:
    """The best layout for the header block, or None if no layout fits. `fixed` roles (a key
    column found from the values) are taken as given."""
    if rule.layout is not None:
        spec = vocabulary.layout(rule.layout)
        if spec is not None:
            assignment = assign_roles(block, spec, vocabulary, rule, sheet_letter, fixed)
            assignment.applicable = True
            return assignment
    best: Assignment | None = None
    for spec in vocabulary.layouts:
        assignment = assign_roles(block, spec, vocabulary, rule, sheet_letter, fixed)
        if not assignment.applicable:
            continue
        if best is None or assignment.score > best.score:
            best = assignment
    return best


def infer_key_columns(lookahead: list[tuple[int, list]], span: tuple[int, int]) -> dict[int, str]:
    """Key columns found from the values of the first data rows, when the header names none."""
    full: dict[int, int] = {}
    kap: dict[int, int] = {}
    post_no: dict[int, int] = {}
    for _, values in lookahead:
        for column, value in enumerate(values):
            if value == "" or column > span[1] + 1:
                continue
            key = read_key(value)
            if key is None:
                continue
            if key.post is not None:
                full[column] = full.get(column, 0) + 1
            elif key.kap is not None and isinstance(value, (int, float)):
                kap[column] = kap.get(column, 0) + 1
            elif key.post_no is not None:
                post_no[column] = post_no.get(column, 0) + 1
    if full:
        column = max(full, key=lambda c: (full[c], -c))
        if full[column] >= max(1, len(lookahead) // 3):
            return {column: "post"}
    for column in sorted(kap):
        if column + 1 in post_no:
            return {column: "kap", column + 1: "post_no"}
    return {}


def unit_in(texts: list[tuple[str, str]], vocabulary: Vocabulary) -> tuple[Decimal, str] | None:
    """The first (text, ref) that states a unit: (multiplier, ref)."""
    for text, ref in texts:
        unit = vocabulary.unit(normalise(text))
        if unit is not None:
            return unit, ref
    return None


def build_columns(
    block: HeaderBlock,
    assignment: Assignment,
    vocabulary: Vocabulary,
    rule: SheetRule,
    file: str,
    sheet: str,
    table_unit: tuple[Decimal, CellSource | None],
) -> tuple[Column, ...]:
    columns = []
    for column in range(block.span[0], block.span[1] + 1):
        parts = block.parts(column)
        role, letter_no, assigned_by = assignment.roles.get(column, ("unknown", None, "vocabulary"))
        unit, unit_source = table_unit
        explicit = rule.column_rule(column_letter(column), tuple(normalise(p.text) for p in parts))
        own = unit_in([(part.text, part.ref) for part in parts], vocabulary)
        if explicit is not None and explicit.unit is not None:
            unit, unit_source = explicit.unit, None
        elif own is not None:
            unit, unit_source = own[0], CellSource(file, sheet, own[1])
        columns.append(
            Column(
                index=column,
                letter=column_letter(column),
                header=" / ".join(part.text.strip() for part in parts),
                role=role,
                letter_no=letter_no,
                unit=unit,
                unit_source=unit_source,
                assigned_by=assigned_by,
                unit_fixed=(explicit is not None and explicit.unit is not None) or (rule.unit is not None and own is None),
            )
        )
    return tuple(columns)


def duplicate_roles(columns: tuple[Column, ...]) -> list[tuple[str, int | None, list[Column]]]:
    """Roles that more than one column claims (per letter number for letter roles)."""
    seen: dict[tuple[str, int | None], list[Column]] = {}
    for column in columns:
        if column.role not in SINGLE_ROLES:
            continue
        key = (column.role, column.letter_no if column.role in LETTER_ROLES else None)
        seen.setdefault(key, []).append(column)
    return [(role, letter, found) for (role, letter), found in seen.items() if len(found) > 1]


def unit_label(unit: Decimal) -> str:
    if unit == 1_000_000:
        return "mill. kr"
    if unit == 1000:
        return "1 000 kr"
    if unit == ONE:
        return "kroner"
    return f"{unit} kr"
