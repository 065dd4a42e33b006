"""A finding per checked cell or missing post: the data every report renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from reconcile.letters.statements import json_number

MATCH, MISMATCH, EXPLAINED, MISSING, UNEXPECTED, WITHIN = "match", "mismatch", "explained", "missing", "unexpected", "within_tolerance"
# A sheet that may hold posts and could not be read: nothing in it was checked, so it fails the run.
UNREADABLE = "unreadable"
FAILING = (MISMATCH, MISSING, UNEXPECTED, UNREADABLE)


@dataclass(frozen=True, slots=True)
class Finding:
    sheet: str | None
    cell: str | None
    post: str
    role: str
    letter: int | None
    actual: Decimal | None
    expected: Decimal | None
    status: str
    cause: str | None = None
    cause_detail: str = ""
    source: dict | None = None  # document, letter, page, line, quote
    basis: str = ""
    explanation: str = ""

    @property
    def difference(self) -> Decimal | None:
        if self.actual is None or self.expected is None:
            return None
        return self.actual - self.expected

    @property
    def failing(self) -> bool:
        return self.status in FAILING

    def to_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "cell": self.cell,
            "post": self.post,
            "role": self.role,
            "letter": self.letter,
            "actual": json_number(self.actual) if self.actual is not None else None,
            "expected": json_number(self.expected) if self.expected is not None else None,
            "difference": json_number(self.difference) if self.difference is not None else None,
            "status": self.status,
            "cause": self.cause,
            "cause_detail": self.cause_detail,
            "source": self.source,
            "explanation": self.explanation or None,
        }


@dataclass(frozen=True)
class WorkbookResult:
    path: str
    sha256: str
    output: str | None
    findings: tuple[Finding, ...]
    issues: tuple[str, ...] = field(default=())
    layout_notes: tuple[str, ...] = field(default=())

    def summary(self) -> dict:
        counts = {"checked": 0, "match": 0, "mismatch": 0, "explained": 0, "missing": 0, "unexpected": 0}
        for finding in self.findings:
            if finding.status == UNREADABLE:  # a sheet, not a checked cell; counted only when there is one
                counts[UNREADABLE] = counts.get(UNREADABLE, 0) + 1
                continue
            counts["checked"] += 1
            status = MATCH if finding.status == WITHIN else finding.status
            counts[status] = counts.get(status, 0) + 1
        return counts

    @property
    def failing(self) -> bool:
        return any(f.failing for f in self.findings)
