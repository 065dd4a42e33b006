"""Finding post tables in a sheet, one streamed pass over its rows.

Headers are looked for among a sheet's first rows (`FULL_SEARCH_ROWS`) with the whole vocabulary,
and further down only where a row names the post key, so a sheet of a million rows costs one cheap
look per row. A table runs from its header to the next header or the end of the sheet. In it:

* a row with a post key is a post row (a kapittel written only on a group's first row is filled
  down; a kapittel alone with no amounts is a heading that sets it);
* a row labelled "Sum", "Totalt", "Sum kap. 671" (or a kapittel heading with amounts) is a total
  row: not a post, kept for the check that it adds up;
* a row with amounts but neither post nor label is an unlabelled total (a transaction list: an
  entry without a post), said in an issue;
* anything else (notes, footnotes) is left out.

Where no layout's headers fit, a table is found by its post rows instead (content.py): a row whose
cells read as posts starts it, the text row above (if any) is its header, and its columns of numbers
are *figures* that the validation stage reads by agreement with the letters. A header-like row after
a table followed by posts starts the next table.
"""

from __future__ import annotations

import operator
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from reconcile.amounts import parse_amount
from reconcile.posts import Post
from reconcile.sources import CellSource
from reconcile.workbook.cells import amount_from_cell, cell_ref, cell_text, column_letter, is_blank
from reconcile.workbook.content import (
    figure_columns,
    find_key_columns,
    header_like,
    key_kind,
    row_has_key,
)
from reconcile.workbook.headers import (
    Assignment,
    HeaderBlock,
    HeaderMatch,
    build_block,
    build_columns,
    choose_layout,
    duplicate_roles,
    infer_key_columns,
    is_group_row,
    is_sub_row,
    match_header,
    unit_in,
)
from reconcile.workbook.formulas import BadCell
from reconcile.workbook.keys import read_key
from reconcile.workbook.layout import SheetRule
from reconcile.workbook.records import (
    AMOUNT_ROLES,
    CONTENT_LAYOUT,
    FIGURES,
    KEY_ROLES,
    LETTER_ROLES,
    CellValue,
    Column,
    PostRows,
    PostTable,
    ReadIssue,
    RowCells,
    TableShape,
    TotalRow,
)
from reconcile.workbook.vocabulary import Vocabulary, normalise

_KNOWN_KEYS = 65_536  # distinct row keys remembered per table


def _plain_key(values: object) -> bool:
    """May rows with these key cells be taken as the first one was? Not if a value could equal
    another of a different reading (True == 1 == 1.0, False == 0) or never equals itself (NaN)."""
    for value in values if isinstance(values, tuple) else (values,):
        if not isinstance(value, str) and (value == 0 or value == 1 or value != value):
            return False
    return True


FULL_SEARCH_ROWS = 50  # rows from the top of a sheet where any header-like row is considered
LOOKAHEAD_ROWS = 10  # data rows looked at to find an unnamed key column
PREAMBLE_ROWS = 12  # rows above a header looked at for a unit or a letter number
ONE = Decimal(1)

_ROLE_NAMES_NO = {
    "post": "kap./post",
    "kap": "kapittel",
    "post_no": "post",
    "change": "endring",
    "total_after": "sum etter brev",
    "original": "tildelingsbrev",
    "carried_over": "overført",
    "allocation": "årets tildelinger",
    "total": "sum",
    "amount": "beløp",
    "letter_ref": "brevhenvisning",
    "date": "dato",
}


@dataclass(slots=True)
class SheetContext:
    file: str
    sheet: str
    vocabulary: Vocabulary
    rule: SheetRule
    merged: tuple[tuple[int, int, int, int], ...] = ()
    hidden: bool = False
    issues: list[ReadIssue] = field(default_factory=list)
    sheet_unit: tuple[Decimal, CellSource] | None = None
    # Cells calamine reports empty that hold a formula without a stored value or an error value
    # (and, with fullCalcOnLoad, formulas whose stored value is 0), by (row, column).
    bad_cells: dict[tuple[int, int], BadCell] = field(default_factory=dict)
    used_bad_cells: set[tuple[int, int]] = field(default_factory=set)

    closest: str | None = None  # what came nearest to a post table, said if the sheet has none

    def near_miss(self, what: str) -> None:
        if self.closest is None:
            self.closest = what

    def issue(self, kind: str, message: str, cell: str | None = None, severity: str = "warning") -> None:
        self.issues.append(ReadIssue(kind, message, self.file, self.sheet, cell, severity))


class _Lookahead:
    """An iterator of rows that can show the next few without consuming them."""

    def __init__(self, rows: Iterator[tuple[int, list]]):
        self._rows = rows
        self._buffer: deque[tuple[int, list]] = deque()

    def __iter__(self):
        return self

    def __next__(self) -> tuple[int, list]:
        if self._buffer:
            return self._buffer.popleft()
        return next(self._rows)

    def peek(self, count: int) -> list[tuple[int, list]]:
        while len(self._buffer) < count:
            try:
                self._buffer.append(next(self._rows))
            except StopIteration:
                break
        return list(self._buffer)[:count]

    def skip(self, count: int) -> None:
        for _ in range(count):
            next(self, None)

    def push_back(self, row: tuple[int, list]) -> None:
        self._buffer.appendleft(row)


def scan_sheet(context: SheetContext, rows: Iterator[tuple[int, list]]) -> list[PostTable]:
    stream = _Lookahead(rows)
    recent: deque[tuple[int, list]] = deque(maxlen=PREAMBLE_ROWS)
    tables: list[PostTable] = []
    builder: _TableBuilder | None = None
    top: int | None = None
    forced = context.rule.header_rows
    split_pending = False
    for number, values in stream:
        if top is None:
            top = number
        if is_blank(values):
            continue
        if forced:
            if number < forced[0]:
                recent.append((number, values))
                continue
            header_rows = [(number, values)] + [
                row for row in stream.peek(len(forced) - 1) if row[0] <= forced[-1]
            ]
            stream.skip(len(header_rows) - 1)
            builder = _start_table(context, header_rows, None, recent, stream, forced=True)
            forced = ()
            if builder is None:
                context.issue(
                    "layout_header_unusable",
                    f"layoutfilens header_rows ({', '.join(str(n) for n, _ in header_rows)}) gir ingen "
                    "kolonne for kapittel/post eller passer ikke oppsettet; angi rollene i [sheet.columns]",
                )
                break
            continue
        if split_pending:
            split_pending = False
            if builder is not None and row_has_key(values):
                # A header-like row after a table, then posts: a second table starts here.
                _finish(builder, tables)
                builder = None
        if builder is not None and builder.take(number, values):
            if not stream._buffer:
                builder.take_run(stream)  # the rows like this one that follow, in one loop
            continue
        if not context.rule.header_rows:
            match = match_header(
                number, values, context.vocabulary, context.rule, full=number - top < FULL_SEARCH_ROWS
            )
            if match is not None:
                started = _start_table(context, [(number, values)], match, recent, stream)
                if started is not None:
                    if builder is not None:
                        _finish(builder, tables)
                    builder = started
                    recent.clear()
                    continue
        if builder is not None and builder.stray(number, values):
            continue
        if builder is None and not context.rule.header_rows and row_has_key(values):
            started = _start_content_table(context, number, values, recent, stream)
            if started is not None:
                builder = started
                recent.clear()
                builder.take(number, values)
                continue
        if builder is not None and header_like(values) and builder.heads_figures(values):
            split_pending = True
        recent.append((number, values))
    if builder is not None:
        _finish(builder, tables)
    if not tables and context.closest is not None:
        context.issue("closest_to_a_table", f"ingen posttabell; nærmest: {context.closest}", severity="info")
    return tables


def _finish(builder: _TableBuilder, tables: list[PostTable]) -> None:
    table = builder.finish()
    if table is not None:
        tables.append(table)


def _start_table(
    context: SheetContext,
    main_rows: list[tuple[int, list]],
    match: HeaderMatch | None,
    recent: deque[tuple[int, list]],
    stream: _Lookahead,
    *,
    forced: bool = False,
) -> _TableBuilder | None:
    vocabulary = context.vocabulary
    rows = list(main_rows)
    preamble = list(recent)
    below: list[tuple[int, list]] = []
    if not forced:
        number, values = rows[0]
        # Group labels directly above ("Tillegg nr. 3" over "Endring" / "Sum etter").
        for _ in range(2):
            if not preamble or preamble[-1][0] != rows[0][0] - 1:
                break
            candidate = preamble[-1]
            if not is_group_row(candidate[1], values, context.merged, candidate[0] - 1):
                break
            rows.insert(0, preamble.pop())
        # Sub-headers directly below.
        key_columns = {column for column, roles in match.roles.items() if roles & KEY_ROLES} if match else set()
        for candidate in stream.peek(2):
            last = (below or rows)[-1][0]
            if candidate[0] != last + 1 or is_blank(candidate[1]):
                break
            if not is_sub_row(candidate[1], context.merged, candidate[0] - 1, vocabulary, key_columns):
                break
            if any(isinstance(v, str) and parse_amount(v) is not None for v in candidate[1] if v != ""):
                break
            below.append(candidate)
        rows.extend(below)
        if match is not None and not match.has_key:
            # Letter labels above ("Tillegg nr. 3 (RNB)" over "Endring" / "Sum etter") and
            # "Kapittel" / "Post" only in the row below: the key is named, in a sub-header row.
            for number, values in below:
                lower = match_header(number, values, vocabulary, context.rule, full=True)
                if lower is not None and lower.has_key:
                    match = lower
                    break
    block = build_block(rows, context.merged)
    if block.span[1] < block.span[0]:
        return None
    sheet_letter = _sheet_letter(context, preamble)
    header_text = ", ".join(str(number) for number, _ in rows)
    fixed = None
    if match is not None and not match.has_key and not _explicit_key(context.rule, block):
        # No header names the key: find it in the values of the first rows below the header.
        lookahead = [row for row in stream.peek(len(below) + LOOKAHEAD_ROWS)[len(below):]]
        inferred = infer_key_columns(lookahead, block.span)
        if not inferred:
            if match.score >= 3:
                context.issue(
                    "no_key_column",
                    f"rad {header_text}: tabelloverskrift uten kolonne for kapittel/post, og ingen poster i radene under",
                    severity="info",
                )
            return None
        fixed = {column: (role, None, "values") for column, role in inferred.items()}
        block.span = (min(block.span[0], *inferred), max(block.span[1], *inferred))
    assignment = choose_layout(block, vocabulary, context.rule, sheet_letter, fixed)
    if assignment is None:
        if match is not None and match.has_key and match.score >= 3:
            context.issue(
                "no_layout",
                f"rad {header_text} ser ut som en tabelloverskrift, men passer ikke noe kjent oppsett",
                severity="info",
            )
        return None
    if not any(role in KEY_ROLES for role, _, _ in assignment.roles.values()):
        return None
    stream.skip(len(below))
    if fixed:
        letters = ", ".join(column_letter(c) for c in sorted(fixed))
        context.issue(
            "key_inferred",
            f"kolonne {letters} har ingen overskrift for kapittel/post; lest som nøkkel ut fra verdiene",
            severity="info",
        )
    table_unit = _table_unit(context, block, assignment, preamble)
    columns = build_columns(
        block, assignment, vocabulary, context.rule, context.file, context.sheet, table_unit
    )
    letter_no = sheet_letter if assignment.spec.name == "letter_sheet" else None
    _column_issues(context, columns, rows[-1][0])
    return _TableBuilder(
        context,
        layout=assignment.spec.name,
        header_rows=tuple(number for number, _ in rows),
        columns=columns,
        unit=table_unit[0],
        unit_source=table_unit[1],
        letter_no=letter_no,
    )


def _start_content_table(
    context: SheetContext, number: int, values: list, recent: deque[tuple[int, list]], stream: _Lookahead
) -> _TableBuilder | None:
    """A table found from its post rows (reconcile/workbook/content.py): the key column(s) from
    the values of this row and the next, the header (if any) the text rows just above."""
    sample = [(number, values)] + [row for row in stream.peek(LOOKAHEAD_ROWS) if not is_blank(row[1])]
    keys = find_key_columns(sample)
    if not keys:
        context.near_miss(f"rad {number} har kapittel/post, men radene under leses ikke som poster i samme kolonne")
        return None
    where = ", ".join(column_letter(c) for c in sorted(keys))
    if sum(1 for _, row in sample if _keyed(row, keys)) < min(2, len(sample)):
        context.near_miss(f"rad {number}: kapittel/post i kolonne {where}, men bare én rad med post")
        return None
    preamble = list(recent)
    header_rows: list[tuple[int, list]] = []
    if preamble and header_like(preamble[-1][1]):
        header_rows.append(preamble.pop())
        if preamble and preamble[-1][0] == header_rows[0][0] - 1 and is_group_row(
            preamble[-1][1], header_rows[0][1], context.merged, preamble[-1][0] - 1
        ):
            header_rows.insert(0, preamble.pop())
    if header_rows:  # said of this row when no layout fitted it; it is this table's header after all
        said = f"rad {header_rows[-1][0]} "
        context.issues[:] = [i for i in context.issues if not (i.kind == "no_layout" and i.message.startswith(said))]
    figures = figure_columns(sample, keys)
    last = max([*keys, *figures])
    first = min(keys)
    if header_rows:
        block = build_block(header_rows, context.merged)
        last = max(last, block.span[1])
        block.span = (first, last)
    else:
        block = HeaderBlock([], [], (first, last))
    vocabulary = context.vocabulary
    roles: dict[int, tuple[str, int | None, str]] = {}
    for column in range(first, last + 1):
        parts = block.parts(column)
        joined = normalise(" ".join(part.text for part in parts))
        explicit = context.rule.column_rule(column_letter(column), (joined,) if joined else ())
        if explicit is not None:
            roles[column] = (explicit.role, explicit.letter, "layout file")
        elif column in keys:
            roles[column] = (keys[column], None, "values")
        elif column in figures:
            roles[column] = (FIGURES, vocabulary.letter_number(joined) if joined else None, "values")
        else:
            named = vocabulary.any_role(joined) & {"name", "text", "date", "reference"} if joined else set()
            roles[column] = (min(named) if named else "text", None, "vocabulary" if named else "values")
    if not any(role == FIGURES or role in AMOUNT_ROLES for role, _, _ in roles.values()):
        context.near_miss(f"rad {number}: poster i kolonne {where}, men ingen kolonne med beløp ved siden av")
        return None
    assignment = Assignment(spec=None, roles=roles)
    table_unit = _table_unit(context, block, assignment, preamble)
    columns = build_columns(block, assignment, vocabulary, context.rule, context.file, context.sheet, table_unit)
    context.issue(
        "table_by_content",
        f"rad {number}: poster i kolonne {where}; tabellen er funnet ut fra verdiene"
        + (f" (overskrift rad {', '.join(str(n) for n, _ in header_rows)})" if header_rows else " (uten overskrift)"),
        severity="info",
    )
    return _TableBuilder(
        context,
        layout=CONTENT_LAYOUT,
        header_rows=tuple(n for n, _ in header_rows),
        columns=columns,
        unit=table_unit[0],
        unit_source=table_unit[1],
        letter_no=_numbered(_sheet_letter(context, preamble)),  # a hint for the letters' stage ("Tillegg 7")
    )


def _numbered(letter: int | None) -> int | None:
    """A supplement's number; not 0, which a title like "Oppfølging av tildelingsbrevet" gives."""
    return letter if letter else None


def _keyed(values: list, keys: dict[int, str]) -> bool:
    for column, role in keys.items():
        if column < len(values) and values[column] != "" and role in ("post", "post_no"):
            return key_kind(values[column]) == role
    return False


def _explicit_key(rule: SheetRule, block) -> bool:
    """Does the layout file give some column of the block a key role?"""
    for column in range(block.span[0], block.span[1] + 1):
        texts = tuple(normalise(part.text) for part in block.parts(column))
        explicit = rule.column_rule(column_letter(column), texts)
        if explicit is not None and explicit.role in KEY_ROLES:
            return True
    return any(entry.role in KEY_ROLES for entry in rule.columns.values())


def _sheet_letter(context: SheetContext, preamble: list[tuple[int, list]]) -> int | None:
    if context.rule.letter is not None:
        return context.rule.letter
    vocabulary = context.vocabulary
    from_name = vocabulary.letter_number(normalise(context.sheet))
    from_title = None
    for number, values in preamble:
        for column, value in enumerate(values):
            if isinstance(value, str) and value.strip():
                found = vocabulary.letter_number(normalise(value))
                if found is not None:
                    from_title = (found, cell_ref(number, column))
                    break
        if from_title:
            break
    if from_name is not None and from_title is not None and from_title[0] != from_name:
        context.issue(
            "letter_conflict",
            f"arknavnet sier brev {from_name}, tittelen sier brev {from_title[0]}; bruker tittelen",
            from_title[1],
        )
        return from_title[0]
    if from_name is not None:
        return from_name
    return from_title[0] if from_title else None


def _table_unit(context, block, assignment, preamble) -> tuple[Decimal, CellSource | None]:
    """The table's unit: the layout file, a title row above, a key/name header cell, the sheet's."""
    if context.rule.unit is not None:
        return context.rule.unit, None
    vocabulary = context.vocabulary
    texts = []
    for number, values in reversed(preamble):  # nearest the header first
        for column, value in enumerate(values):
            if isinstance(value, str) and value.strip():
                texts.append((value, cell_ref(number, column)))
    found = unit_in(texts, vocabulary)
    if found is None:
        # A unit written in the header of a non-amount column ("Kap./post (i 1 000 kr)").
        header_texts = []
        for column in range(block.span[0], block.span[1] + 1):
            role = assignment.roles.get(column, ("unknown", None, ""))[0]
            if role in KEY_ROLES or role in ("name", "unknown"):
                header_texts.extend((part.text, part.ref) for part in block.parts(column))
        found = unit_in(header_texts, vocabulary)
    if found is not None:
        source = CellSource(context.file, context.sheet, found[1])
        if context.sheet_unit is None:
            context.sheet_unit = (found[0], source)
        return found[0], source
    if context.sheet_unit is not None:
        return context.sheet_unit
    return ONE, None


def _column_issues(context: SheetContext, columns: tuple[Column, ...], header_row: int) -> None:
    for role, letter, found in duplicate_roles(columns):
        letters = " og ".join(f"{c.letter} «{c.header}»" for c in found)
        which = _ROLE_NAMES_NO.get(role, role) + (f" for brev {letter}" if letter is not None else "")
        context.issue(
            "ambiguous_role",
            f"tvetydig: kolonnene {letters} leses begge som {which} (rolle {role}); angi rollene i en layoutfil",
            f"{found[1].letter}{header_row}",
        )
    for column in columns:
        if column.role in LETTER_ROLES and column.letter_no is None:
            context.issue(
                "letter_unknown",
                f"kolonne {column.letter} «{column.header}» ({column.role}): overskriften sier ikke hvilket "
                "tillegg den gjelder; leses som det tillegget tallene stemmer med (se tolkning), eller angi "
                "letter = N i en layoutfil",
                f"{column.letter}{header_row}",
                severity="info",
            )


class _TableBuilder:
    """Collects a table's rows as the sheet streams past."""

    def __init__(self, context: SheetContext, *, layout, header_rows, columns, unit, unit_source, letter_no):
        self.context = context
        self.layout = layout
        self.header_rows = header_rows
        self.columns: tuple[Column, ...] = columns
        self.unit = unit
        self.unit_source = unit_source
        self.letter_no = letter_no
        self.post_column = self._first("post")
        self.kap_column = self._first("kap")
        self.post_no_column = self._first("post_no")
        self.letter_ref_column = self._first("letter_ref")
        amount_indexes = [c.index for c in columns if c.is_amount]
        self.amount_columns = [c for c in columns if c.is_amount]
        self.label_limit = min(amount_indexes) if amount_indexes else columns[-1].index + 1
        self.one_decimal = context.rule.one_decimal_posts or "tens"
        self.current_kap: int | None = None
        self._key_letter = column_letter(self._key_column())
        self._letter_refs: dict[object, int | None] = {}
        self._plan = tuple((column.index, column.letter, column) for column in columns)
        self._shape = TableShape(
            context.file,
            context.sheet,
            tuple(c.index for c in columns),
            tuple(c.letter for c in columns),
            tuple(c.unit if c.is_amount else None for c in columns),
        )
        self._pick = operator.itemgetter(*self._shape.indexes)
        self._single = len(self._shape.indexes) == 1  # itemgetter of one index gives the value, not a tuple
        self._width = max(self._shape.indexes) + 1
        self._amount_plan = tuple((position, column) for position, column in enumerate(columns) if column.is_amount)
        self._unknown_plan = tuple(
            (position, column.index) for position, column in enumerate(columns)
            if column.role == "unknown" and column.assigned_by != "layout file"  # set so on purpose: no note
        )
        # A row's key cells (with the kapittel a row above set) -> its post, for rows whose reading
        # has no other effect: most rows of a long table repeat a few dozen keys.
        key_indexes = tuple(c for c in (self.post_column, self.kap_column, self.post_no_column) if c is not None)
        self._key_pick = operator.itemgetter(*key_indexes) if key_indexes else None
        self._known_keys: dict[tuple, tuple[Post, int | None]] = {}
        self._known_posts: dict[Post, Post] = {}  # one Post object per post
        self._key_side_effects = False
        self._bad_rows = {row for row, _ in context.bad_cells}
        self.rows = PostRows(self._shape, self._key_letter)
        self.totals: list[TotalRow] = []
        self.first_row: int | None = None
        self.last_row: int | None = None
        self.one_decimal_keys: dict[int, list[tuple[int, object, Post]]] = {}
        self.two_decimal_columns: set[int] = set()
        self.numbers_in_unknown: Counter[int] = Counter()
        self.unlabelled: list[int] = []
        self.zero_formulas: list[BadCell] = []

    def heads_figures(self, values: list) -> bool:
        """Does this (header-like) row name a column that holds this table's amounts?"""
        return any(column.index < len(values) and values[column.index] != "" for column in self.amount_columns)

    def _first(self, role: str) -> int | None:
        for column in self.columns:
            if column.role == role:
                return column.index
        return None

    # --- rows ------------------------------------------------------------------------------

    def take(self, number: int, values: list) -> bool:
        """Take a post row, a total row or a kapittel heading; False for anything else."""
        if len(values) < self._width:
            values = values + [""] * (self._width - len(values))
        if self._key_pick is not None:
            seen = (self.current_kap, self._key_pick(values))
            try:
                known = self._known_keys.get(seen)
            except TypeError:  # an unhashable value
                known = seen = None
            if known is not None:
                post, kap_here = known
                if kap_here is not None:
                    self.current_kap = kap_here
                self._post_row(post, number, values)
                return True
        else:
            seen = None
        self._key_side_effects = False
        post, kap_here, heading = self._key(number, values)
        if post is None and kap_here is None and self.context.bad_cells:
            unread = self._bad_key(number)
            if unread is not None:
                self.context.used_bad_cells.add((unread.row, unread.column))
                self.context.issue(
                    unread.kind,
                    f"rad {number} er ikke lest som post: " + bad_cell_message(unread),
                    unread.ref,
                )
                return True
        if kap_here is not None:
            self.current_kap = kap_here
        if post is not None:
            post = self._known_posts.setdefault(post, post)
            if seen is not None and not self._key_side_effects and _plain_key(seen[1]) and len(self._known_keys) < _KNOWN_KEYS:
                self._known_keys[seen] = (post, kap_here)
            self._post_row(post, number, values)
            return True
        label, _ = self._label(values)
        normalised = normalise(label) if label else ""
        if label and self.context.vocabulary.is_total_label(normalised):
            match = self.context.vocabulary.total_kap.search(normalised)
            kap = int(match.group("kap")) if match else kap_here
            self.totals.append(TotalRow(number, label.strip(), self._cells(number, values), kap))
            self._extend(number)
            return True
        if kap_here is not None:
            if self._has_amounts(values):
                text = cell_text(heading) or label or str(kap_here)
                self.totals.append(TotalRow(number, text.strip(), self._cells(number, values), kap_here))
                self._extend(number)
            return True
        return False

    def take_run(self, stream: _Lookahead) -> None:
        """Take the post rows that follow, as `take` would, for as long as each is a row `take`
        would read from `_known_keys` with nothing to say about it (and skip blank rows); the
        first other row is put back on `stream`. A transaction list of a million rows is read
        here, one short loop per row."""
        key_pick = self._key_pick
        if key_pick is None or stream._buffer:
            return
        known = self._known_keys
        pick, single, width = self._pick, self._single, self._width
        amount_positions = tuple(position for position, _ in self._amount_plan)
        unknown_plan = self._unknown_plan
        bad_rows = self._bad_rows
        letter_column = self.letter_ref_column
        letter_refs = self._letter_refs
        rows = self.rows
        posts, numbers, letter_nos, raws = rows.posts, rows.numbers, rows.letter_nos, rows._raw
        counts = self.numbers_in_unknown
        current_kap = self.current_kap
        first_row, last_row = self.first_row, self.last_row
        try:
            for row in stream._rows:
                number, values = row
                if values.count("") == len(values):  # blank
                    continue
                if len(values) < width or number in bad_rows:
                    stream.push_back(row)
                    return
                try:
                    found = known.get((current_kap, key_pick(values)))
                except TypeError:  # an unhashable value
                    found = None
                if found is None:
                    stream.push_back(row)
                    return
                raw = pick(values)
                if single:
                    raw = (raw,)
                plain = True
                for position in amount_positions:
                    value = raw[position]
                    kind = value.__class__
                    if not ((kind is float and value - value == 0) or kind is int or value == ""):
                        plain = False  # a cell that may not be an amount: take() says so
                        break
                if not plain:
                    stream.push_back(row)
                    return
                if letter_column is None:
                    letter = None
                else:
                    value = values[letter_column]
                    if value == "":
                        letter = None
                    else:
                        try:
                            letter = letter_refs.get(value)
                        except TypeError:
                            letter = None
                        if letter is None:  # not seen yet, or unreadable (an issue): take() does it
                            stream.push_back(row)
                            return
                post, kap_here = found
                if kap_here is not None:
                    current_kap = kap_here
                for position, index in unknown_plan:
                    value = raw[position]
                    if isinstance(value, (int, float)) and not isinstance(value, bool):
                        counts[index] += 1
                posts.append(post)
                numbers.append(number)
                letter_nos.append(letter)
                raws.append(raw)
                if first_row is None:
                    first_row = number
                last_row = number
        finally:
            self.current_kap = current_kap
            self.first_row, self.last_row = first_row, last_row

    def stray(self, number: int, values: list) -> bool:
        """A row with amounts but no post or label: an unlabelled total, or a transaction without
        a post. False (not the table's) if it has no amounts or the table has no posts yet."""
        if not self.rows or not self._has_amounts(values):
            return False
        if self.layout == "transactions":
            self.context.issue(
                "amount_without_post",
                f"rad {number} har beløp, men ingen kapittel/post: ikke lest",
                cell_ref(number, self.amount_columns[0].index) if self.amount_columns else None,
            )
            return True
        label, _ = self._label(values)
        self.totals.append(TotalRow(number, label.strip(), self._cells(number, values), None))
        self.unlabelled.append(number)
        self._extend(number)
        return True

    def _extend(self, number: int) -> None:
        if self.first_row is None:
            self.first_row = number
        self.last_row = number

    def _key_column(self) -> int:
        for column in (self.post_column, self.post_no_column, self.kap_column):
            if column is not None:
                return column
        return self.columns[0].index

    def _key(self, number: int, values: list) -> tuple[Post | None, int | None, object]:
        """(post, kapittel named on this row, heading text)."""
        post = None
        kap_here = None
        post_no = None
        heading = ""
        for column in (self.post_column, self.kap_column, self.post_no_column):
            if column is None or column >= len(values) or values[column] == "":
                continue
            raw = values[column]
            key = read_key(raw, one_decimal_posts=self.one_decimal)
            if key is None:
                continue
            if key.post is not None and post is None:
                post = key.post
                if key.one_decimal:
                    self._key_side_effects = True  # each such row is listed: never taken from _known_keys
                    self.one_decimal_keys.setdefault(column, []).append((number, raw, key.post))
                elif key.two_decimals:
                    self.two_decimal_columns.add(column)
            elif key.kap is not None and kap_here is None and column != self.post_no_column:
                kap_here = key.kap
                heading = key.rest or raw
            elif key.post_no is not None and post_no is None and column != self.kap_column:
                post_no = key.post_no
        if post is None and post_no is not None:
            kap = kap_here if kap_here is not None else self.current_kap
            if kap is None:
                self.context.issue(
                    "post_without_kap",
                    f"rad {number}: post {post_no:02d} uten kapittel over seg: ikke lest",
                    cell_ref(number, self._key_column()),
                )
                return None, None, ""
            post = Post(kap, post_no)
        return post, kap_here, heading

    def _bad_key(self, number: int) -> BadCell | None:
        for column in (self.post_column, self.kap_column, self.post_no_column):
            cell = self.context.bad_cells.get((number, column)) if column is not None else None
            if cell is not None and cell.kind != "formula_zero":
                return cell
        return None

    def _label(self, values: list) -> tuple[str, int | None]:
        for column in range(min(self.label_limit, len(values))):
            value = values[column]
            if isinstance(value, str) and value.strip():
                return value, column
        return "", None

    def _has_amounts(self, values: list) -> bool:
        for column in self.amount_columns:
            if column.index < len(values):
                value = values[column.index]
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    return True
                if isinstance(value, str) and value.strip() and parse_amount(value) is not None:
                    return True
        return False

    def _post_row(self, post: Post, number: int, values: list) -> None:
        raw, special = self._raw_cells(number, values)
        self.rows.append(post, number, raw, self._letter_ref(number, values), special)
        if self.first_row is None:
            self.first_row = number
        self.last_row = number

    def _cells(self, number: int, values: list) -> RowCells:
        raw, special = self._raw_cells(number, values)
        return RowCells(self._shape, number, raw, special)

    def _raw_cells(self, number: int, values: list) -> tuple[tuple, dict | None]:
        """The row's raw values in the table's columns, and its bad cells; says which amount cells
        hold no amount. The amounts themselves are made when asked for (RowCells)."""
        width = len(values)
        if width < self._width:
            values = values + [""] * (self._width - width)
        raw = self._pick(values)
        if self._single:
            raw = (raw,)
        for position, column in self._amount_plan:
            value = raw[position]
            if value.__class__ is float and value - value == 0:  # a finite number: an amount
                continue
            if isinstance(value, str) and value == "":
                continue
            amount, problem = amount_from_cell(value, column.unit)
            if problem:
                self.context.issue(
                    "not_an_amount",
                    f"{problem} (kolonne «{column.header}»)",
                    f"{column.letter}{number}",
                )
        for position, index in self._unknown_plan:
            value = raw[position]
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                self.numbers_in_unknown[index] += 1
        special = self._special_cells(number) if number in self._bad_rows else None
        return raw, special

    def _special_cells(self, number: int) -> dict[int, CellValue] | None:
        special = None
        for index, letter, _ in self._plan:
            bad = self.context.bad_cells.get((number, index))
            if bad is None:
                continue
            self.context.used_bad_cells.add((number, index))
            if bad.kind == "formula_zero":
                self.zero_formulas.append(bad)  # judged at the end, against the column's other values
                continue
            self.context.issue(bad.kind, bad_cell_message(bad), bad.ref)
            special = special or {}
            special[index] = CellValue(
                CellSource(self.context.file, self.context.sheet, f"{letter}{number}"),
                None,
                None,
                formula_without_value=bad.kind == "formula_without_value",
                error=bad.detail if bad.kind == "error" else None,
            )
        return special

    def _letter_ref(self, number: int, values: list) -> int | None:
        column = self.letter_ref_column
        if column is None or column >= len(values) or values[column] == "":
            return None
        raw = values[column]
        try:
            found = self._letter_refs[raw]
        except KeyError:
            found = self._letter_refs[raw] = self._read_letter_ref(raw)
        except TypeError:  # an unhashable value
            found = None
        if found is not None:
            return found
        self.context.issue(
            "letter_ref_unreadable",
            f"«{cell_text(raw)}» sier ikke hvilket brev føringen hører til (tillegg nr. eller tildelingsbrev)",
            cell_ref(number, column),
        )
        return None

    def _read_letter_ref(self, raw: object) -> int | None:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            if raw == int(raw) and 0 <= raw <= 99:
                return int(raw)
        elif isinstance(raw, str):
            text = normalise(raw)
            if text.isdigit() and int(text) <= 99:
                return int(text)
            return self.context.vocabulary.letter_number(text)
        return None

    # --- the end ---------------------------------------------------------------------------

    def finish(self) -> PostTable | None:
        context = self.context
        header = ", ".join(map(str, self.header_rows)) or "(ingen)"
        if not self.rows:
            context.issue(
                "no_posts",
                f"tabelloverskrift i rad {header}, men ingen rader med kapittel/post under",
                severity="info",
            )
            return None
        self._float_issues()
        self._zero_formula_issues()
        if self.layout != "transactions":
            seen: dict[Post, int] = {}
            numbers = self.rows.numbers
            for position, post in enumerate(self.rows.posts):
                if post in seen:
                    context.issue(
                        "duplicate_post",
                        f"post {post} står to ganger i tabellen (rad {seen[post]} og {numbers[position]})",
                        self.rows.key_cell(position),
                    )
                else:
                    seen[post] = numbers[position]
        for index, count in sorted(self.numbers_in_unknown.items()):
            column = next(c for c in self.columns if c.index == index)
            context.issue(
                "unknown_column_with_numbers",
                f"kolonne {column.letter} «{column.header}» har tall i {count} postrader, men overskriften gir ingen "
                "kjent rolle: tallene sammenlignes med brevene (se tolkning), eller angi rollen i en layoutfil",
                f"{column.letter}{self.header_rows[-1] if self.header_rows else self.rows.numbers[0]}",
                severity="info",
            )
        if self.unlabelled:
            rows = ", ".join(map(str, self.unlabelled[:5])) + (" …" if len(self.unlabelled) > 5 else "")
            context.issue(
                "unlabelled_total",
                f"rad {rows} har beløp uten kapittel/post eller tekst: lest som sumrad",
                severity="info",
            )
        if self.amount_columns and self.unit_source is None and context.rule.unit is None and self.layout != CONTENT_LAYOUT:
            if all(column.unit_source is None for column in self.amount_columns):
                context.issue(
                    "unit_not_stated",
                    f"tabellen (overskrift rad {header}) oppgir ingen enhet: beløpene leses som hele kroner",
                    severity="info",
                )
        return PostTable(
            file=context.file,
            sheet=context.sheet,
            layout=self.layout,
            header_rows=self.header_rows,
            first_row=self.first_row or self.rows.numbers[0],
            last_row=self.last_row or self.rows.numbers[-1],
            columns=self.columns,
            rows=self.rows,
            total_rows=tuple(self.totals),
            unit=self.unit,
            unit_source=self.unit_source,
            letter_no=self.letter_no,
            sheet_hidden=context.hidden,
        )

    def _zero_formula_issues(self) -> None:
        """A formula's stored 0 in a workbook that asks to be recalculated may never have been
        calculated; said (as info) only where the column's post amounts are not all 0 too."""
        if not self.zero_formulas:
            return
        nonzero: dict[int, bool] = {}
        for cell in self.zero_formulas:
            if cell.column not in nonzero:
                nonzero[cell.column] = any(
                    (value := row.cells.get(cell.column)) is not None
                    and value.amount is not None
                    and value.amount.value != 0
                    for row in self.rows
                )
            if nonzero[cell.column]:
                self.context.issue(cell.kind, bad_cell_message(cell), cell.ref, severity="info")

    def _float_issues(self) -> None:
        for column, found in self.one_decimal_keys.items():
            examples = ", ".join(f"{cell_text(raw)} → {post}" for _, raw, post in found[:3])
            cells = ", ".join(cell_ref(row, column) for row, _, _ in found[:5])
            if self.context.rule.one_decimal_posts:
                continue  # the layout file decided
            if column in self.two_decimal_columns:
                self.context.issue(
                    "one_decimal_post",
                    f"{examples}: tall med én desimal lest som post med null til slutt (Excel viser 671.10 "
                    f"som 671.1; andre rader i kolonnen har tosifret post) — {cells}",
                    cell_ref(found[0][0], column),
                    severity="info",
                )
            else:
                self.context.issue(
                    "one_decimal_post",
                    f"{examples}: tvetydig tall med én desimal, lest som post med null til slutt (671.1 = "
                    f"671/10); mente dere 671/01, sett one_decimal_posts = \"units\" i en layoutfil — {cells}",
                    cell_ref(found[0][0], column),
                )


BAD_CELL_MESSAGES = {
    "formula_without_value": (
        "formel uten lagret verdi (={detail}): arbeidsboka er lagret av et program som ikke regnet ut "
        "formlene; åpne og lagre den i Excel. Ikke lest som 0"
    ),
    "error": "feilverdi {detail} i cellen: ikke lest som beløp",
    "formula_zero": (
        "formel (={detail}) med lagret verdi 0 i en arbeidsbok som ber om omregning ved åpning: "
        "verdien er kanskje aldri regnet ut; åpne og lagre den i Excel"
    ),
}


def bad_cell_message(cell: BadCell) -> str:
    return BAD_CELL_MESSAGES[cell.kind].format(detail=cell.detail)


def report_unused_bad_cells(context: SheetContext, tables: list[PostTable]) -> None:
    """Bad cells no table row took: in a table's rows (a row left out) or elsewhere (one summary)."""
    left = [
        cell
        for key, cell in sorted(context.bad_cells.items())
        if key not in context.used_bad_cells and cell.kind != "formula_zero"
    ]
    outside = []
    for cell in left:
        table = next(
            (t for t in tables if t.first_row <= cell.row <= t.last_row and any(c.index == cell.column for c in t.columns)),
            None,
        )
        if table is None:
            outside.append(cell)
        else:
            context.issue(cell.kind, f"rad {cell.row} er ikke lest: " + bad_cell_message(cell), cell.ref)
    if outside:
        first = ", ".join(cell.ref for cell in outside[:5])
        context.issue(
            "bad_cells_outside_tables",
            f"{len(outside)} celle(r) utenfor posttabellene har formel uten lagret verdi eller feilverdi "
            f"(første: {first})",
            outside[0].ref,
            severity="info",
        )
