"""The ledger's records: the expected figures of a post after each letter, and audit findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from reconcile.amounts import Amount
from reconcile.letters.statements import Statement, json_number
from reconcile.posts import Post

OK, WARNING, ERROR = "ok", "warning", "error"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, OK: 2}


@dataclass(frozen=True, slots=True)
class Figure:
    """What a post should hold after a letter: this year's allocation, carry-over and their total."""

    post: Post
    letter: int
    allocation: Amount | None
    carried_over: Amount | None
    sources: tuple[Statement, ...]
    basis: str  # how the figure was reached, in Norwegian, for the comment and the audit
    changed_in: int  # the letter that last changed the post (== letter when this letter touched it)

    @property
    def total(self) -> Amount | None:
        if self.allocation is None:
            return None
        if self.carried_over is None:
            return self.allocation
        return self.allocation + self.carried_over

    def to_dict(self) -> dict:
        def number(amount):
            return json_number(amount.value) if amount is not None else None

        return {
            "allocation": number(self.allocation),
            "carried_over": number(self.carried_over),
            "total": number(self.total),
            "letter": self.changed_in,
            "basis": self.basis,
            "sources": [statement.source.to_dict() | {"id": statement.id} for statement in self.sources],
        }


@dataclass(frozen=True, slots=True)
class AuditFinding:
    post: Post
    letter: int
    severity: str  # ok | warning | error
    check: str  # what was compared, e.g. "parts_vs_total"
    stated: Amount
    computed: Amount
    message: str
    sources: tuple[Statement, ...]

    @property
    def difference(self) -> Decimal:
        return self.stated.value - self.computed.value

    @property
    def tolerance(self) -> Decimal:
        return self.stated.precision + self.computed.precision

    def to_dict(self) -> dict:
        return {
            "post": str(self.post),
            "letter": self.letter,
            "severity": self.severity,
            "check": self.check,
            "stated": json_number(self.stated.value),
            "computed": json_number(self.computed.value),
            "difference": json_number(self.difference),
            "interval": [json_number(self.computed.low), json_number(self.computed.high)],
            "tolerance": json_number(self.tolerance),
            "message": self.message,
            "sources": [statement.source.to_dict() | {"id": statement.id} for statement in self.sources],
        }


def judge(stated: Amount, computed: Amount) -> str:
    """Exactly equal: ok; apart by no more than the stated amounts' rounding: warning; else error."""
    difference = abs(stated.value - computed.value)
    if difference == 0:
        return OK
    if difference <= stated.precision + computed.precision:
        return WARNING
    return ERROR


@dataclass(frozen=True)
class Ledger:
    posts: tuple[Post, ...]
    letters: tuple[int, ...]
    timeline: dict[Post, tuple[Figure, ...]]
    audit: tuple[AuditFinding, ...]
    notes: tuple[str, ...] = field(default=())

    def expected(self, post: Post, as_of: int | None = None) -> Figure | None:
        figures = self.timeline.get(post, ())
        chosen = None
        for figure in figures:
            if as_of is None or figure.letter <= as_of:
                chosen = figure
        return chosen

    def expected_all(self, as_of: int | None = None) -> dict[Post, Figure]:
        result = {}
        for post in self.posts:
            figure = self.expected(post, as_of)
            if figure is not None:
                result[post] = figure
        return result

    def to_dict(self, as_of: int | None = None) -> dict:
        findings = [f for f in self.audit if as_of is None or f.letter <= as_of]
        return {
            "as_of": as_of if as_of is not None else (max(self.letters) if self.letters else None),
            "expected": {str(post): figure.to_dict() for post, figure in self.expected_all(as_of).items()},
            "audit": [finding.to_dict() for finding in sorted(findings, key=_audit_order)],
        }


def _audit_order(finding: AuditFinding):
    return (finding.letter, SEVERITY_ORDER[finding.severity], finding.post)
