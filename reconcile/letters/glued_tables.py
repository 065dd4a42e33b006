"""Post tables whose cells were glued together when the page was flattened from HTML.

    1 000 kroner
    Kap.PostFormålS III 1997Endringer foreslått etter S IIIEndringer i denne proposisjonenStatus etter salderingen
    3260Universitetet i Oslo (jf. kap. 260)
    1Inntekter ved oppdrag302 32970 000-372 329
    49Salg av eiendom-10-10

    (i 1 000 kr)
    Kap.PostVirksomhetBeløp
    110001Landbruks- og matdepartementet1 317

The header names the value columns, each glued to the one before ("S III 1997Endringer …"). A
kapittel line is a number glued to a name; a post line ends in its figures, glued to the name and to
each other ("302 32970 000" is 302 329 and 70 000, "-" an empty cell). Where the header's last
column is the status after the changes before it, the figures must add up (302 329 + 70 000 =
372 329): a row is read only where exactly one cut of its figures does, and reported otherwise. A
row whose kapittel and post are glued ("110001") has a two-digit post. Tables of one "Kroner" column
under "Kap.PostFormål" are the decision tables' (reconcile/letters/decision_tables.py).
"""

from __future__ import annotations

import re
from decimal import Decimal

from reconcile.amounts import parse_amount
from reconcile.letters.phrases import header_unit
from reconcile.letters.statements import Kind, Status
from reconcile.letters.table_cells import SUM_ROW, TableCellStatement, TableReading
from reconcile.posts import Post

_I = re.IGNORECASE
_HEADER = re.compile(r"^\s*kap\.?\s*post\.?\s*(?P<name>formål|føremål|virksomhet|verksemd|nemning|betegnelse)(?P<columns>.+)$", _I)
_COLUMN_START = re.compile(r"(?<=\S)(?=(?:S\s?III\b|Saldert|Vedtatt|Vedteke|Endring|Status|Forslag|Beløp|Kroner|Ny\s|Nytt\s))")
_KAP_LINE = re.compile(r"^(?P<kap>\d{1,4})(?P<name>[A-ZÆØÅ][^\d]*(?:\(jf\.\s*kap\.\s*\d+\))?[^\d]*)$")
_POST_LINE = re.compile(r"^(?P<number>\d{1,6})(?P<name>[A-ZÆØÅ].*?[^\d\s-])(?P<tail>[-\d][\d \u00a0-]*)$")
_CELL = re.compile(r"-?\d{1,3}(?:[ \u00a0]\d{3})*")


def header_columns(text: str) -> list[tuple[Kind | None, Status | None]] | None:
    """The value columns a glued header names; None where the line is no such header."""
    match = _HEADER.match(text)
    if not match:
        return None
    names = [name.strip() for name in _COLUMN_START.split(match.group("columns")) if name.strip()]
    kinds = [_kind(name) for name in names]
    if not kinds or any(kind is False for kind in kinds):
        return None
    return kinds


def _kind(name: str) -> tuple[Kind | None, Status | None] | bool:
    lowered = name.lower()
    if re.match(r"s\s?iii\b|saldert|vedtatt|vedteke", lowered):
        return Kind.PREVIOUS_TOTAL, Status.ENACTED
    if lowered.startswith("endring"):
        return Kind.CHANGE, None
    if lowered.startswith(("status", "ny ", "nytt ")):
        return Kind.NEW_TOTAL, None
    if lowered.startswith(("forslag", "beløp", "kroner")):
        return Kind.TABLE_TOTAL, None
    return False


def read_glued_table(lines, index: int, *, unit: Decimal | None) -> TableReading | None:
    """The glued table whose header is at `index`; None where the decision tables should read it."""
    columns = header_columns(lines[index].text)
    if columns is None:
        return None
    following = next((line.text.strip() for line in lines[index + 1 : index + 4] if line.text.strip()), "")
    kap_and_post = re.match(r"^\d{5,6}[A-ZÆØÅ]", following) is not None
    if len(columns) < 2 and not kap_and_post:
        return None
    unit = unit or _unit_above(lines, index)
    table = TableReading()
    kap: int | None = None
    position = index + 1
    while position < len(lines):
        line = lines[position]
        text = line.text.strip()
        if not text:
            position += 1
            continue
        if SUM_ROW.match(text):
            position += 1
            continue
        post_line = _POST_LINE.match(text)
        kap_line = _KAP_LINE.match(text)
        if kap_line and not post_line:
            kap = int(kap_line.group("kap"))
            position += 1
            continue
        if not post_line:
            break
        number = post_line.group("number")
        if kap_and_post and len(number) in (5, 6):
            post = Post(int(number[:-2]), int(number[-2:]))
        elif len(number) <= 2 and kap is not None:
            post = Post(kap, int(number))
        else:
            table.notes.append((line, f"tabellraden «{text}» har ikke kapittel og post som kan leses sikkert"))
            position += 1
            continue
        cells = _cut(post_line.group("tail").strip(), columns)
        if cells is None:
            table.notes.append((line, f"tallene i «{text}» er limt sammen og kan ikke deles sikkert"))
            position += 1
            continue
        for cell, (kind, status) in zip(cells, columns):
            if cell is None or kind is None:
                continue
            amount = parse_amount(cell, context_multiplier=unit)
            if amount is not None:
                table.statements.append(TableCellStatement(kind, status, amount, post, line, text))
        position += 1
    table.consumed = max(position - index, 1)
    return table


def _cut(tail: str, columns) -> list[str | None] | None:
    """The one way to cut `tail` into a cell per column ("-" is empty) that the columns' sum allows."""
    ways = list(_cuts(tail, len(columns)))
    kinds = [kind for kind, _ in columns]
    if len(columns) >= 3 and kinds[-1] == Kind.NEW_TOTAL and kinds[0] == Kind.PREVIOUS_TOTAL:
        ways = [way for way in ways if _adds_up(way)]
    return ways[0] if len(ways) == 1 else None


def _cuts(tail: str, count: int):
    if count == 0:
        if not tail.strip():
            yield []
        return
    tail = tail.lstrip()
    if tail.startswith("-") and (len(tail) == 1 or not tail[1].isdigit() or count > 1):
        for rest in _cuts(tail[1:], count - 1):
            yield [None, *rest]  # an empty cell
    for match in _prefixes(tail):
        for rest in _cuts(tail[len(match):], count - 1):
            yield [match, *rest]


def _prefixes(tail: str) -> list[str]:
    """Every number the tail may begin with: '1 5001 600' -> '1', '1 500'."""
    match = re.match(r"-?\d{1,3}", tail)
    if not match:
        return []
    found = []
    for digits in range(1, 4):
        head = re.match(rf"-?\d{{{digits}}}", tail)
        if head is None:
            continue
        candidate = head.group(0)
        found.append(candidate)
        rest = tail[len(candidate):]
        while True:
            group = re.match(r"[ \u00a0]\d{3}", rest)
            if group is None:
                break
            candidate += group.group(0)
            rest = rest[len(group.group(0)):]
            found.append(candidate)
    return found


def _adds_up(cells: list[str | None]) -> bool:
    values = [int(re.sub(r"[ \u00a0]", "", cell)) if cell is not None else 0 for cell in cells]
    return cells[-1] is not None and sum(values[:-1]) == values[-1]


def _unit_above(lines, index: int) -> Decimal | None:
    """A unit alone on a line just above the header: "1 000 kroner", "(i 1 000 kr)"."""
    for line in reversed(lines[max(0, index - 4) : index]):
        text = line.text.strip()
        if text and len(text) < 25:
            unit = header_unit(text)
            if unit is not None:
                return unit
    return None


__all__ = ["header_columns", "read_glued_table"]
