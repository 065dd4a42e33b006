"""Whether a text is a parliamentary budget text rather than a letter, and where it stands.

Allocation letters and their supplements put money at an agency's disposal; the texts they rest on
(propositions, committee recommendations, Stortingets vedtak) propose, recommend or decide. Such a
text has no letter heading and no letterhead; its own title says which kind it is, and a decision
table says so in the lines that lead into it.
"""

from __future__ import annotations

import re

from reconcile.letters.document import TextLine
from reconcile.letters.statements import Status

_I = re.IGNORECASE
_LETTER = re.compile(
    r"\btildelingsbrev|\btillegg\s+nr\.?\s*\d|\bdere?s\s+ref\b|\bvår\s+ref\b|\bsupplerande\s+tildeling", _I
)
_PROPOSITION_TITLE = re.compile(r"^\s*(?:St\.\s*prp|Prop\.\s*\d+\s*S\b|Proposisjon\b)", _I)
_RECOMMENDATION_TITLE = re.compile(r"^\s*(?:Innst(?:illing|\.)|Budsjett-innst)", _I)
_DECISION = re.compile(r"^\s*Vedtak\s+(?:nr\.\s*)?\d+\s*$", _I)
# A committee's own words (a proposition cites Innst. S too, so the citation says nothing).
_COMMITTEE = re.compile(r"\bkomiteens?\b|\bkomiteen\b", _I)

# The lead-in of a decision table: "rår Stortinget til å gjøre følgende vedtak", "Dette medlem fremmer
# følgende forslag", "Forslag til vedtak", "Vedtak 491".
_LEAD_RECOMMENDED = re.compile(r"\brår\s+Stortinget\b|\bkomiteens\s+tilråding\b|\btilrådinga?\b", _I)
_LEAD_PROPOSED = re.compile(
    r"\bfremme[rs]?\b[^.]{0,40}\bforslag|\bforslag\s+til\s+vedtak|\bforeslå(?:s|r|tt)\b|\bgjer\s+framlegg"
    r"|\bframlegg\s+til\s+vedtak", _I
)
_LEAD_ENACTED = re.compile(r"^\s*Vedtak\s+(?:nr\.\s*)?\d+\b|\bStortinget\s+har\s+vedtatt\b|\bStortinget\s+vedtok\b", _I)


def budget_status(lines: tuple[TextLine, ...] | list[TextLine]) -> Status | None:
    """The status a budget text's statements have by default; None for a letter."""
    texts = [line.text for line in lines if line.text.strip()]
    if any(_DECISION.match(text) for text in texts[:12]):
        return Status.ENACTED  # a vedtak page names the proposition and Innst. it rests on above "Vedtak 491"
    for text in texts[:12]:
        # The title comes first: "St.prp nr. 1 Tillegg nr. 3 (1997-98)" is a proposition, not a supplement.
        if _PROPOSITION_TITLE.match(text):
            return Status.PROPOSED
        if _RECOMMENDATION_TITLE.match(text):
            return Status.RECOMMENDED
        if _LETTER.search(text):
            return None
    if any(_LETTER.search(text) for text in texts[:25]):
        return None
    if any(_DECISION.match(text) for text in texts):
        return Status.ENACTED
    if any(_COMMITTEE.search(text) for text in texts):
        return Status.RECOMMENDED
    return Status.PROPOSED


def lead_in_status(lead_in: list[str]) -> Status | None:
    """What the lines just above a decision table say it is, nearest line first."""
    for text in reversed(lead_in):
        if _LEAD_RECOMMENDED.search(text):
            return Status.RECOMMENDED
        if _LEAD_PROPOSED.search(text):
            return Status.PROPOSED
        if _LEAD_ENACTED.search(text):
            return Status.ENACTED
    return None
