"""The small figure tables under a post in propositions: a label, perhaps a year, and a figure.

      (i 1000 kr)
    Rekneskap 200689 651
    Løyving 200791 953
    Forslag til tilleggsløyving-1 000

Flattened from HTML, the year column is glued to the figure ("Løyving 200791 953" is 2007 and
91 953). A year is four digits from 1900 to 2099 and a figure's first group has at most three, so
the cut is unambiguous; a figure that would need another cut is not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reconcile.letters.statements import Kind

_ROW = re.compile(
    r"^(?P<label>[A-ZÆØÅ].*?[A-Za-zæøå)])\s*"
    r"(?P<year>(?:19|20)\d\d(?=\s*-?\d))?\s*"
    r"(?P<figure>-?\d{1,3}(?:[ \u00a0\u202f]\d{3})*)\s*$"
)
_PROPOSED_CHANGE = re.compile(r"^(?:forslag|framlegg)\b.*\b(?:tilleggsløyving|tilleggsbevilgning|omdisponering|endring|auke|økning|reduksjon)", re.I)
_APPROPRIATION = re.compile(r"^(?:løyv(?:ing|t\s+beløp)|bevilg(?:ning|et\s+beløp)|saldert\s+budsjett|vedtatt\s+budsjett)\b", re.I)
_ACCOUNTS = re.compile(r"^(?:rekneskap|regnskap)\b", re.I)


@dataclass(frozen=True, slots=True)
class FigureRow:
    label: str
    kind: Kind | None  # None for last year's accounts, which state nothing about this year's post
    figure: str


def figure_row(text: str) -> FigureRow | None:
    """'Løyving 200791 953' -> (Løyving, table total, '91 953'); None where the line is no such row."""
    match = _ROW.match(text.strip())
    if not match:
        return None
    label = match.group("label").strip()
    if _ACCOUNTS.match(label):
        kind = None
    elif _PROPOSED_CHANGE.match(label):
        kind = Kind.CHANGE
    elif _APPROPRIATION.match(label):
        kind = Kind.TABLE_TOTAL
    else:
        return None
    return FigureRow(label, kind, match.group("figure"))
