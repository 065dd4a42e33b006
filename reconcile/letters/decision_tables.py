"""Stortinget's decision tables and the proposals' "forslag til vedtak": kapittel lines, post lines, amounts.

    Kap. Post Formål: Kroner                    KapPostFormålKroner            Kap.
    20   Statsministerens kontor (jf. kap. 3020):  20Statsministerens kontor:   Post
      1 Driftsutgifter, forhøyes med 3 700 000   1Driftsutgifter61 985 000      Formål
        fra kr 43 321 000 til kr 47 021 000      mot tidligere foreslått kr …   Kroner
                                                                                710
                                                                                Nasjonalt folkehelseinstitutt
                                                                                21
                                                                                Spesielle driftsutgifter forhøyes med
                                                                                fra kr 172 763 000 til 230 763 000
                                                                                58 000 000

A row is a number with a name; it is a kapittel where the next row's number follows without an
amount, and a post where an amount (or "fra kr … til kr …") follows. Text flattened from HTML may
glue the cells together ("1Driftsutgifter61 985 000", "… kan nyttes under post 70618 776 000"); an
amount glued to other digits is read only where the digits are the post number a cross-reference
names ("post 70"), and reported otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from reconcile.amounts import Amount, parse_amount
from reconcile.letters.document import TextLine
from reconcile.letters.statements import Kind
from reconcile.letters.table_cells import SUM_ROW, TableCellStatement, TableReading
from reconcile.posts import Post

_I = re.IGNORECASE
_AMOUNT = r"-?\d{1,3}(?:[ \u00a0\u202f]\d{3})*"

# "Kap. Post Formål: Kroner", "KapPostFormålKroner", "Kap.PostFormålKroner": the compact header.
COMPACT_HEADER = re.compile(r"^\s*kap\.?\s*post\.?\s*(?:formål|føremål)", _I)
_HEADER_CELL = re.compile(r"^\s*(?:kap\.?|kapittel)\s*$", _I)
_POST_CELL = re.compile(r"^\s*post\s*$", _I)
_FROM_TO = re.compile(
    rf"^fr[aå]\s+(?:kr\.?\s*)?(?P<before>{_AMOUNT})(?:\s+til\s+(?:kr\.?\s*)?(?P<after>{_AMOUNT}))?\s*$", _I
)
_AGAINST = re.compile(
    rf"^mot\s+(?:tidligere|tidlegare)\s+(?:vedtatt|vedteke|foreslått|føreslått|bevilget|løyvd)\s+"
    rf"(?:kr\.?\s*)?(?P<amount>{_AMOUNT})\s*$",
    _I,
)
_AMOUNT_CELL = re.compile(rf"^(?P<amount>{_AMOUNT}(?:,\d+)?)(?:\s*(?:mill\.?\s*)?(?:kr\.?|kroner))?$", _I)
_BARE_NUMBER = re.compile(r"^(?P<number>\d{1,4})(?:\s*\((?:ny)\))?$", _I)
_NUMBERED = re.compile(r"^(?P<number>\d{1,4})(?:\s*\((?:ny)\))?\s*(?P<rest>[A-ZÆØÅa-zæøå(«\"].*)$")
_GLUED_AMOUNT = re.compile(r"(?P<amount>\d{1,3}(?:[ \u00a0\u202f]\d{3})*)\s*$")
_POST_GLUE = re.compile(r"\bpost(?:ane|ene)?\s*(?P<digits>\d+)$", _I)
_END = re.compile(r"^(?:vedtak\s+(?:nr\.\s*)?\d+|[IVX]+\.?$|post\s+\d+\b|kap(?:ittel|\.)\s*\d+\b|\d+(?:\.\d+)+\s)", _I)
# Value columns named in the header: "St.prp. nr. 1 | St.prp. nr. 1 med Tillegg nr. 1-11",
# "Saldert budsjett | Forslag | Endring". Plain "Kroner" columns are one value and the kapittel's sum.
_COLUMN = re.compile(r"\bprp\b|\bprop\b|\bforslag|\bsaldert|\bvedtatt|\bvedteke|\bendring|\binnst\b|\bgul\s+bok|\btillegg", _I)
_CHANGE_COLUMN = re.compile(r"\bendring", _I)
_EARLIER_COLUMN = re.compile(r"\bsaldert|\bvedtatt|\bvedteke|\bgjeldande|\bgjeldende|\bopprinnelig", _I)
_NOT_APPROPRIATION = re.compile(r"\bramme\b|\bfullmakt|\bbestilling|\btilsagn|\btilsegn", _I)
_UP = re.compile(r"[,\s]*\b(?:forhøyes|forhøgast|økes|økast|aukast|auke[sr]?|settes\s+opp)\s+med\s*$", _I)
_DOWN = re.compile(r"[,\s]*\b(?:nedsettes|nedsetjast|reduseres|reduserast|settes\s+ned)\s+med\s*$", _I)


@dataclass
class _Row:
    number: int
    line: TextLine
    name: str = ""
    amount: Amount | None = None
    is_post: bool = False
    is_kapittel: bool = False  # a kapittel line that carries the kapittel's sums
    columns_read: int = 0


def header_length(lines: tuple[TextLine, ...] | list[TextLine], index: int) -> int:
    """How many lines the decision-table header at `index` takes (0 where none starts there)."""
    text = lines[index].text.strip()
    if COMPACT_HEADER.match(text):
        return 1
    if not _HEADER_CELL.match(text):
        return 0
    following = [(position, line.text.strip()) for position, line in enumerate(lines[index + 1 : index + 5], start=1)
                 if line.text.strip()]
    if following and _POST_CELL.match(following[0][1]):
        return following[0][0] + 1
    return 0


def read_table(lines, index: int, *, unit: Decimal | None = None) -> TableReading:
    """Read the decision table whose header starts at `index`, to the first line that is not part of it."""
    table = TableReading()
    position = index + header_length(lines, index)
    header_cells = [lines[index].text]
    # The vertical header's remaining cells: "Formål", "Kroner", "Samlet ramme inklusiv merverdiavgift".
    while position < len(lines):
        text = _clean(lines[position].text)
        if text and (_BARE_NUMBER.match(text) or _NUMBERED.match(text) or _AMOUNT_CELL.match(text)):
            break
        if text:
            if len(text) > 60:
                break
            header_cells.append(text)
        position += 1
    appropriation = not any(_NOT_APPROPRIATION.search(cell) for cell in header_cells)
    reader = _Reader(table, unit, appropriation, _column_kinds(header_cells))
    while position < len(lines):
        line = lines[position]
        text = _clean(line.text)
        if text and not reader.feed(line, text):
            break
        position += 1
    reader.finish()
    table.consumed = max(position - index, 1)
    if position >= len(lines):
        _drop_cut_last_amount(table, lines)
    return table


def _drop_cut_last_amount(table: TableReading, lines) -> None:
    """A table that runs to the end of the text and ends in a figure shorter than every other one: the
    text was cut inside that figure ("310" of "310 000 000"), so it is reported, not read."""
    last_line = next((line for line in reversed(lines) if line.text.strip()), None)
    if not table.statements or table.statements[-1].line is not last_line:
        return
    last = _digit_groups(last_line.text)
    others = [groups for statement in table.statements[:-1]
              if (groups := _digit_groups(statement.line.text)) is not None]
    if last is None or not others or not all(last < groups for groups in others):
        return
    table.statements.pop()
    table.notes.append((last_line, f"teksten slutter i beløpet «{_clean(last_line.text)}», som er kortere enn "
                                   "tabellens andre beløp: det kan være avkuttet og er ikke brukt"))


def _digit_groups(text: str) -> int | None:
    """How many groups of digits a line that is one amount cell writes ("23 902 000": 3)."""
    cell = _AMOUNT_CELL.match(_clean(text))
    return len(cell.group("amount").split()) if cell else None


def _column_kinds(header_cells: list[str]) -> list[Kind]:
    """The kind of each named value column; empty where the table has one value column."""
    named = [cell for cell in header_cells[1:] if _COLUMN.search(cell)]
    if len(named) < 2:
        return []
    kinds = [Kind.CHANGE if _CHANGE_COLUMN.search(cell) else Kind.PREVIOUS_TOTAL if _EARLIER_COLUMN.search(cell)
             else Kind.TABLE_TOTAL for cell in named]
    totals = [index for index, kind in enumerate(kinds) if kind == Kind.TABLE_TOTAL]
    for index in totals[:-1]:
        kinds[index] = Kind.PREVIOUS_TOTAL  # "St.prp. nr. 1" before "St.prp. nr. 1 med Tillegg": the earlier figure
    return kinds


class _Reader:
    def __init__(self, table: TableReading, unit: Decimal | None, appropriation: bool, columns: list[Kind]):
        self.table = table
        self.unit = unit
        self.appropriation = appropriation
        self.columns = columns
        self.kap: int | None = None
        self.row: _Row | None = None
        self.last_post: Post | None = None
        self.after_sum = False

    def feed(self, line: TextLine, text: str) -> bool:
        """Take one line; False where the table has ended."""
        if SUM_ROW.match(text):
            self._close_row()
            self.after_sum = True
            return True
        from_to = _FROM_TO.match(text)
        if from_to:
            self._from_to(line, text, from_to)
            return True
        against = _AGAINST.match(text)
        if against:
            if self.last_post is not None:
                self._emit(Kind.PREVIOUS_TOTAL, self._amount(against.group("amount")), self.last_post, line, text)
            return True
        bare = _BARE_NUMBER.match(text)
        amount_cell = _AMOUNT_CELL.match(text)
        small_number = bool(bare and len(bare.group("number")) <= 2)
        if self.row is not None and self.row.name and amount_cell and not small_number:
            if self.row.is_kapittel or self._is_kapittel_with_sum(self.row):
                # "900 Nærings- og handelsdepartementet (jf. kap. 3900) 198 900 000": a kapittel and its sums.
                self.kap, self.last_post = self.row.number, None
                self.row.is_kapittel = True
                return True
            if self.row.amount is None:
                self._row_amount(line, text, amount_cell.group(0))
                return True
            if self.row.is_post and self.row.columns_read < len(self.columns) and self.last_post is not None:
                self._column_amount(line, text, amount_cell.group(0))
                return True
        if bare:
            self._close_row()
            self.row = _Row(int(bare.group("number")), line)
            return True
        if amount_cell:
            # A kapittel's or an area's subtotal, or the figure after "Sum …": about no one post.
            self._close_row()
            self.after_sum = False
            return True
        numbered = _NUMBERED.match(text)
        if numbered and not _END.match(text):
            self._close_row()
            self.row = _Row(int(numbered.group("number")), line)
            self._name_with_amount(line, numbered.group("rest"))
            return True
        if self.row is not None and not self.row.name and not _END.match(text) and not _is_prose(text):
            self.row.name = text
            return True
        if _END.match(text) or _is_prose(text) or _is_header(text):
            return False
        finished = self.row is None or self.row.is_post or self.row.amount is not None
        if finished and text.endswith(":") and len(text.split()) >= 4:
            return False  # "Dette medlem fremmer følgende forslag:": the lead-in of what follows
        if self.row is not None and self.row.amount is None and len(text) < 80:
            self.row.name = f"{self.row.name} {text}"  # a name wrapped onto the next line
            return True
        # "Utgifter:", "Administrasjon", "Rammeområde 5", "(Justis)": a label over the rows.
        self._close_row()
        return True

    def finish(self) -> None:
        self._close_row()

    # -- rows -----------------------------------------------------------------------------------

    def _name_with_amount(self, line: TextLine, rest: str) -> None:
        glued = _GLUED_AMOUNT.search(rest)
        if glued is None or glued.start() == 0:
            self.row.name = rest.strip()
            return
        before = rest[: glued.start()]
        if before[-1:].isdigit():
            post_glue = _POST_GLUE.search(before)
            if not re.search(r"\s", glued.group("amount")) and post_glue is None:
                self.row.name = rest.strip()  # "… 2014-2021": digits that end the name, not an amount
                return
            if post_glue is None or len(post_glue.group("digits")) != 2:
                self.row.name = rest.strip()
                self.table.notes.append((line, f"beløpet i «{rest.strip()}» er limt sammen med andre sifre og kan ikke leses sikkert"))
                self.row.amount = Amount(Decimal(0))  # the row is a post row whose amount is unread
                self.row.is_post = True
                return
        self.row.name = before.strip()
        self._row_amount(line, line.text.strip(), glued.group("amount"))

    @staticmethod
    def _is_kapittel_with_sum(row: _Row) -> bool:
        """Post numbers have two digits; a kapittel's own line names the income kapittel it pairs with."""
        return not row.is_post and row.amount is None and (row.number > 99 or "(jf. kap" in row.name.lower())

    def _column_amount(self, line: TextLine, quote: str, text: str) -> None:
        kind = self.columns[self.row.columns_read]
        self.row.columns_read += 1
        self._emit(kind, self._amount(text), self.last_post, line, quote)

    def _row_amount(self, line: TextLine, quote: str, text: str) -> None:
        row = self.row
        row.amount = self._amount(text)
        if not self._make_post(row, line):
            return
        if self.columns:
            row.columns_read = 1
            self._emit(self.columns[0], row.amount, self.last_post, line, quote if quote != text else f"{row.name} {text}")
            return
        name = row.name
        if _UP.search(name):
            kind, amount = Kind.CHANGE, row.amount
        elif _DOWN.search(name):
            kind, amount = Kind.CHANGE, -row.amount
        else:
            kind, amount = Kind.TABLE_TOTAL, row.amount
        self._emit(kind, amount, self.last_post, line, quote if quote != text else f"{row.name} {text}")

    def _from_to(self, line: TextLine, text: str, match: re.Match) -> None:
        row = self.row
        if row is not None and row.name and row.amount is None and not row.is_post:
            if not self._make_post(row, line):
                return
        if self.last_post is None:
            return
        self._emit(Kind.PREVIOUS_TOTAL, self._amount(match.group("before")), self.last_post, line, text)
        if match.group("after"):
            self._emit(Kind.NEW_TOTAL, self._amount(match.group("after")), self.last_post, line, text)

    def _make_post(self, row: _Row, line: TextLine) -> bool:
        if row.is_post:
            return self.last_post is not None
        row.is_post = True
        if self.kap is None or row.number > 99:
            self.table.notes.append((line, f"tabellrad {row.number} «{row.name}» uten kapittel: beløpet er ikke brukt"))
            self.last_post = None
            return False
        self.last_post = Post(self.kap, row.number)
        return True

    def _close_row(self) -> None:
        row, self.row = self.row, None
        if row is None or row.is_post or row.is_kapittel or row.amount is not None:
            return
        if row.name:
            self.kap = row.number  # a number and a name, then the next row: a kapittel line
            self.last_post = None

    def _amount(self, text: str) -> Amount:
        amount = parse_amount(text, context_multiplier=self.unit)
        if amount is None:
            amount = Amount(Decimal(re.sub(r"\D", "", text) or 0), Decimal(0), text)
        return amount

    def _emit(self, kind: Kind, amount: Amount, post: Post, line: TextLine, quote: str) -> None:
        if not self.appropriation:
            return  # a table of ordering or commitment authorities states no appropriation
        # A decision table's columns say no status: its lead-in does ("rår Stortinget til …").
        self.table.statements.append(TableCellStatement(kind, None, amount, post, line, " ".join(quote.split())))


def _is_header(text: str) -> bool:
    return bool(COMPACT_HEADER.match(text) or _HEADER_CELL.match(text))


def _clean(text: str) -> str:
    return text.strip().strip("«»\"").strip()


_SENTENCE_BREAK = re.compile(r"[a-zæøå]{3,}[.!?]\s+[A-ZÆØÅ]")
_ABBREVIATION_END = re.compile(r"(?:\bmv|\bm\.m|\bm\.v|\bo\.a|\bmm|\bo\.l|\bkap|\bnr|\bjf)\.$", _I)


def _is_prose(text: str) -> bool:
    """A sentence, not a name: "kan nyttes under kap. 502, post 70" and "… m.m." are names."""
    if len(text) <= 60:
        return False
    return bool(_SENTENCE_BREAK.search(text)) or (text.endswith(".") and not _ABBREVIATION_END.search(text))
