"""What a letter says about a budget post: small immutable records that carry their source."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from reconcile.amounts import Amount
from reconcile.posts import Post
from reconcile.sources import LetterSource


class Kind(StrEnum):
    TABLE_TOTAL = "table_total"  # a row of a "Kap./post Postnavn Sum" table
    CHANGE = "change"  # the post's net change in this letter (signed)
    CHANGE_PART = "change_part"  # one component of a change whose total is also stated
    NEW_TOTAL = "new_total"  # "Samlet bevilgning … etter dette er X"
    CORRECTED_TOTAL = "corrected_total"  # "korrigerer … bevilgningen på posten til X"
    STATED_TOTAL = "stated_total"  # "IMDis andel utgjør derfor X"
    PREVIOUS_TOTAL = "previous_total"  # "I tildelingsbrevet fremgikk det at … utgjorde X"
    CORRECTION = "correction"  # "ved en inkurie stilt X til disposisjon" (signed)
    CARRIED_OVER = "carried_over"  # unused appropriation from last year
    CARRY_OVER_LIMIT = "carry_over_limit"  # "kan ikke overstige 5 pst. av den samlede bevilgningen"
    BREAKDOWN_PART = "breakdown_part"  # a share of a stated amount ("Følgende fordeling", "fordeles jevnt")
    PROPOSAL = "proposal"  # proposed, subject to parliament's decision
    ENACTED = "enacted"  # appropriated after parliament's decision
    EARMARK = "earmark"  # an amount set aside on the post for a purpose
    RATE = "rate"  # a grant rate ("27 450 kroner … for hver deltaker"); `previous` holds the old rate


class Status(StrEnum):
    """Where in the budget process a statement stands: the ledger books only what was decided."""

    PROPOSED = "proposed"  # a proposition (Prop. S, St.prp.) or "foreslås" in any text
    RECOMMENDED = "recommended"  # a committee's recommendation (Innst. S)
    ENACTED = "enacted"  # Stortingets vedtak
    ALLOCATED = "allocated"  # an allocation letter or its supplement puts the money at the agency's disposal


BOOKED_STATUSES = (Status.ENACTED, Status.ALLOCATED)


@dataclass(frozen=True, slots=True)
class Statement:
    id: str  # unique in a run: "L3.17" = letter 3, 17th statement
    post: Post
    kind: Kind
    amount: Amount | None  # None only for a carry-over limit, which states `percent`
    source: LetterSource
    part_of: str | None = None  # the id of the total this is a part of
    label: str | None = None  # recipient, purpose or grant name
    previous: Amount | None = None  # a rate's earlier value
    ref: str | None = None  # assignment number ("2023-29") that ties proposals to enactments
    percent: Decimal | None = None
    table: str | None = None  # the id of the table a table_total row belongs to
    status: Status = Status.ALLOCATED

    @property
    def letter(self) -> int | None:
        return self.source.letter

    def to_dict(self) -> dict:
        data = {
            "id": self.id,
            "post": str(self.post),
            "kap": self.post.kap,
            "post_no": self.post.post,
            "kind": str(self.kind),
            "amount": json_number(self.amount.value) if self.amount else None,
            "precision": json_number(self.amount.precision) if self.amount else None,
            "letter": self.source.letter,
            "document": self.source.document,
            "page": self.source.page,
            "line": self.source.line,
            "quote": self.source.quote,
        }
        if self.status != Status.ALLOCATED:
            data["status"] = str(self.status)
        for key in ("part_of", "label", "ref", "table"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        if self.previous is not None:
            data["previous"] = json_number(self.previous.value)
        if self.percent is not None:
            data["percent"] = json_number(self.percent)
        return data


@dataclass(frozen=True, slots=True)
class Letter:
    document: str
    number: int  # 0 = the allocation letter itself, N = "Tillegg nr. N"
    title: str
    first_line: int
    last_line: int
    date: date | None = None
    date_source: str | None = None  # where the date was read
    ministry: str | None = None
    revised: bool = False
    supersedes: tuple[int, ...] = ()  # letters whose sums this letter replaces
    subject_to_parliament: bool = False  # the whole letter "tas forbehold om Stortingets budsjettvedtak"

    def to_dict(self) -> dict:
        return {
            "document": self.document,
            "number": self.number,
            "date": self.date.isoformat() if self.date else None,
            "title": self.title,
            "ministry": self.ministry,
            "revised": self.revised,
            "supersedes": list(self.supersedes),
        }


@dataclass(frozen=True, slots=True)
class ExtractionIssue:
    """Something in a letter that could not be made into a statement, kept as data."""

    document: str
    letter: int | None
    line: int
    message: str
    quote: str = ""
    severity: str = "warning"

    def to_dict(self) -> dict:
        return {
            "document": self.document,
            "letter": self.letter,
            "line": self.line,
            "severity": self.severity,
            "message": self.message,
            "quote": self.quote,
        }


@dataclass(frozen=True, slots=True)
class LetterSet:
    """Everything read from the letter files of one run."""

    letters: tuple[Letter, ...]
    statements: tuple[Statement, ...]
    issues: tuple[ExtractionIssue, ...] = ()
    documents: tuple[tuple[str, str], ...] = field(default=())  # (path, sha256)

    def letter(self, number: int) -> Letter | None:
        for letter in self.letters:
            if letter.number == number:
                return letter
        return None

    def to_dict(self) -> dict:
        return {
            "letters": [letter.to_dict() for letter in self.letters],
            "statements": [statement.to_dict() for statement in self.statements],
            "issues": [issue.to_dict() for issue in self.issues],
        }


def json_number(value: Decimal) -> int | Decimal:
    """Kroner for JSON: an integer where whole, else the exact Decimal (see reconcile.jsonout)."""
    if value == value.to_integral_value():
        return int(value)
    return value
