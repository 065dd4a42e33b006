"""How a column of figures got its role: by agreeing with the letters.

A table found from its post rows (reconcile/workbook/content.py) has columns of *figures*: numbers
beside the key whose meaning no layout gave. Each is compared, row by row, with every figure the
ledger holds for that row's post — the total, this year's allocation, the carry-over, each letter's
change, the total after each letter, the original allocation — under each unit (kroner, 1 000 kr,
mill. kr, within the cell's rounding). The reading most rows agree with wins. Where readings tie
(a post no later letter touched has the same total after letters 5, 6 and 7), the column's header
and the table's title decide: the role its words name, the letter they name, the unit they state;
failing those, the latest letter and whole kroner. A column that most rows do not agree with under
any reading (accounts, spending, forecasts, last year's budget) is not checked, and never flagged.

The rows decide the role and unit; the letter a total, allocation or carry-over is checked as of is
the one the header or title names, else the latest: a column of totals the office left as they were
after tillegg nr. 3 is out of date (each changed post flagged `stale`), not "the totals after 3". A
change belongs to one letter, and where the header names none ("Endring RNB") the rows say which.

`read_figures` returns the choice with its evidence, which `--explain-layout` prints.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from reconcile.ledger.expected import LATEST, ExpectedValue, make_key
from reconcile.workbook.cells import amount_from_cell
from reconcile.workbook.headers import unit_label
from reconcile.workbook.vocabulary import load_vocabulary, normalise

UNITS = (Decimal(1), Decimal(1000), Decimal(1_000_000))
ROLES = ("total", "allocation", "change", "net_change", "carried_over")  # preferred first on a tie
STOCK_ROLES = ("total", "allocation", "carried_over")  # figures as of a letter, not a letter's own
SAMPLE_ROWS = 5000  # rows compared; a longer table's reading is settled by then

# The ledger roles a header word points to (the packaged vocabulary's roles).
_HINTED = {
    "total": {"total"},
    "total_after": {"total", "allocation"},
    "allocation": {"allocation"},
    "carried_over": {"carried_over"},
    "change": {"change", "net_change"},
    "original": {"net_change", "change"},
}

_PHRASE = {
    "total": "samlet tildeling",
    "allocation": "årets tildeling",
    "carried_over": "overført fra i fjor",
    "change": "endringen",
    "net_change": "netto endring",
}


@dataclass(frozen=True, slots=True)
class Reading:
    role: str  # a ledger role: total, allocation, carried_over, change, net_change
    letter: int | str  # a letter number, or LATEST
    unit: Decimal


@dataclass(frozen=True, slots=True)
class FigureColumn:
    """What a column of figures was found to hold, and why: `reading` None means not checked."""

    sheet: str
    letter: str  # the column's letter: "F"
    header: str
    reading: Reading | None
    agreeing: int  # rows that agree with the reading (or with the closest one)
    compared: int  # rows with a figure and a post the letters know
    evidence: str  # Norwegian, one line
    latest: int | None = None  # the latest letter's number, which a reading "as of the latest" means

    @property
    def summary(self) -> str:
        """"samlet tildeling i kroner: 10 av 12 rader lik …" or "ikke kontrollert: …"."""
        if self.reading is None:
            return self.evidence
        return f"{_describe(self.reading.role, self.reading.letter, self.reading.unit, self.latest)}: {self.evidence}"

    @property
    def label(self) -> str:
        return f"{self.letter} «{self.header}»" if self.header else f"{self.letter} (ingen overskrift)"


def read_figures(column, table, expected: dict[str, ExpectedValue], letters: tuple[int, ...]) -> FigureColumn:
    """The reading of a column of figures that most of its rows agree with (see the module doc)."""
    rows = _rows(column, table, expected)
    latest = max(letters) if letters else 1
    candidates = [(role, letter) for role in ROLES for letter in letters]
    hints = _hints(column, table, letters)
    scored = []
    for unit in (column.unit,) if column.unit_fixed else UNITS:
        amounts = [(post, amount_from_cell(raw, unit)[0]) for post, raw in rows]
        for role, letter in candidates:
            agree = nonzero = 0
            for post, amount in amounts:
                due = expected.get(make_key(post, role, letter))
                if agrees(amount, due):
                    agree += 1
                    nonzero += due.amount.value != 0
            if agree:
                scored.append(((agree, nonzero, *_preference(role, letter, unit, hints, latest)), (role, letter, unit)))
    compared = len(rows)
    if not scored:
        return FigureColumn(table.sheet, column.letter, column.header, None, 0, compared,
                            f"ikke kontrollert: ingen av {compared} rader stemmer med noe tall i brevene")
    scored.sort(key=lambda item: item[0], reverse=True)
    (agree, nonzero, *_), (role, letter, unit) = scored[0]
    if agree * 2 <= compared or nonzero == 0:
        closest = f"{agree} av {compared} rader lik {_describe(role, letter, unit, latest)}"
        return FigureColumn(table.sheet, column.letter, column.header, None, agree, compared,
                            f"ikke kontrollert: stemmer ikke med tallene i brevene (nærmest: {closest})")
    if role in STOCK_ROLES:
        # A figure as of some letter: the one the header or title names, else the latest. A column
        # of totals left as they were after tillegg nr. 3 is out of date, not "the totals after 3".
        letter = hints.letter if hints.letter is not None else LATEST
    reading = Reading(role, letter, unit)
    agree = _agreeing(rows, reading, expected)
    evidence = f"{agree} av {compared} rader stemmer"
    rest = _others(rows, reading, expected, letters)
    if rest:
        evidence += "; " + rest
    return FigureColumn(table.sheet, column.letter, column.header, reading, agree, compared, evidence, latest)


def _agreeing(rows, reading: Reading, expected) -> int:
    agree = 0
    for post, raw in rows:
        amount = amount_from_cell(raw, reading.unit)[0]
        agree += agrees(amount, expected.get(make_key(post, reading.role, reading.letter)))
    return agree


def agrees(amount, due: ExpectedValue | None) -> bool:
    """A cell's amount equals the letters' figure, within the cell's rounding."""
    return amount is not None and due is not None and abs(amount.value - due.amount.value) <= amount.precision


def header_reading(column, table, expected, letters: tuple[int, ...], reading: Reading) -> FigureColumn:
    """The evidence for a reading the header gave (a packaged layout's column): how many rows agree."""
    rows = _rows(column, table, expected)
    agree = _agreeing(rows, reading, expected)
    evidence = f"fra overskriften; {agree} av {len(rows)} rader stemmer" if rows else "fra overskriften; ingen tall i kolonnen"
    rest = _others(rows, reading, expected, letters)
    latest = max(letters) if letters else None
    return FigureColumn(table.sheet, column.letter, column.header, reading, agree, len(rows),
                        evidence + ("; " + rest if rest else ""), latest)


def _rows(column, table, expected) -> list[tuple[object, object]]:
    """(post, raw value) of the rows with a figure in the column, for posts the letters know."""
    known = {value.post for value in expected.values()}
    found = []
    for row in table.rows:
        if len(found) >= SAMPLE_ROWS:
            break
        cell = row.cells.get(column.index)
        if cell is None or cell.raw is None or cell.raw == "" or row.post not in known:
            continue
        found.append((row.post, cell.raw))
    return found


@dataclass(frozen=True, slots=True)
class _Hints:
    roles: frozenset[str]
    letter: int | None
    unit: Decimal | None


def _hints(column, table, letters) -> _Hints:
    vocabulary = load_vocabulary()
    text = normalise(column.header or "")
    roles: set[str] = set()
    for role in vocabulary.any_role(text) if text else ():
        roles |= _HINTED.get(role, set())
    # From the header's words, not from a layout's reading of them that the values have overruled.
    letter = vocabulary.letter_number(text) if text else None
    if letter is None:
        letter = table.letter_no  # a sheet or title that names its letter
    if letter is not None and letter not in letters:
        letter = letters[0] if letter == 0 and letters else None  # the tildelingsbrev: the first letter read
    unit = None
    if column.unit_source is not None:
        unit = column.unit
    elif table.unit_source is not None:
        unit = table.unit
    return _Hints(frozenset(roles), letter, unit)


def _preference(role: str, letter: int, unit: Decimal, hints: _Hints, latest: int) -> tuple:
    """What breaks a tie between readings that as many rows agree with (higher is preferred)."""
    return (
        role in hints.roles,
        hints.letter is not None and letter == hints.letter,
        hints.unit is not None and unit == hints.unit,
        letter if hints.letter is None else -abs(letter - hints.letter),
        -ROLES.index(role),
        -UNITS.index(unit),
    )


def _describe(role: str, letter: int | str, unit: Decimal, latest: int | None = None) -> str:
    if letter == LATEST:
        when = f" etter tillegg nr. {latest} (siste brev)" if latest is not None else " etter siste brev"
    elif role in ("change", "net_change"):
        when = f" i tillegg nr. {letter}"
    else:
        when = f" etter tillegg nr. {letter}"
    return f"{_PHRASE[role]}{when} i {unit_label(unit)}"


def _others(rows, reading: Reading, expected, letters) -> str:
    """The rows that do not agree with the reading: the other letter's figure each equals, or 'differs'."""
    elsewhere: Counter[str] = Counter()
    for post, raw in rows:
        amount = amount_from_cell(raw, reading.unit)[0]
        if amount is None:
            elsewhere["er ikke et tall"] += 1
            continue
        if agrees(amount, expected.get(make_key(post, reading.role, reading.letter))):
            continue
        equal = [n for n in letters
                 if n != reading.letter and agrees(amount, expected.get(make_key(post, reading.role, n)))]
        if equal:
            first = equal[-1]  # the letter that set this figure: the first of the run that kept it
            while first - 1 in equal:
                first -= 1
            elsewhere[f"lik tallet etter tillegg nr. {first}"] += 1
        else:
            elsewhere["avviker"] += 1
    return "; ".join(f"{count} {what}" for what, count in elsewhere.items())


def reading_note(found: FigureColumn) -> str:
    """The line the report gives a column of figures."""
    return f"{found.sheet}!{found.label}: {found.summary}"
