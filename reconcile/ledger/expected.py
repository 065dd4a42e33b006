"""The amounts a workbook should hold, keyed by post, role and letter: the ledger seen from a sheet.

Keys are 'post|role|letter' ('671/71|total|7'); a role with no letter uses the latest ('|latest').
Roles: allocation, carried_over, total (after a letter), change (what a letter says it adds to this
year's allocation; for the first letter that names a post and states no change, its base
allocation), net_change (the allocation after the letter less before it: equal to the stated change
where the letters agree with themselves; for the first letter, its base allocation), booked (change
plus any carry-over the letter brings: what a transaction list books under that letter; for the
first letter, the base allocation it books).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reconcile.amounts import ZERO, Amount
from reconcile.ledger.build import letter_change
from reconcile.ledger.model import Figure, Ledger
from reconcile.letters.statements import Kind, LetterSet, Statement
from reconcile.posts import Post

LATEST = "latest"
ROLES = ("allocation", "carried_over", "total", "change", "net_change", "booked")


@dataclass(frozen=True, slots=True)
class ExpectedValue:
    key: str
    post: Post
    role: str
    letter: int  # the letter the figure is as of
    amount: Amount
    sources: tuple[Statement, ...]
    basis: str

    @property
    def main_source(self) -> Statement | None:
        return self.sources[0] if self.sources else None


def as_known_after(letter_set: LetterSet, number: int) -> LetterSet:
    """The letters up to and including letter `number`: a ledger built from them holds nothing a
    later letter said (no later correction, no later letter's audit findings)."""
    return replace(
        letter_set,
        letters=tuple(letter for letter in letter_set.letters if letter.number <= number),
        statements=tuple(statement for statement in letter_set.statements if (statement.letter or 0) <= number),
        issues=tuple(issue for issue in letter_set.issues if (issue.letter or 0) <= number),
    )


def make_key(post: Post | str, role: str, letter: int | str) -> str:
    return f"{post}|{role}|{letter}"


def expected_values(ledger: Ledger, letter_set: LetterSet) -> dict[str, ExpectedValue]:
    values: dict[str, ExpectedValue] = {}
    by_post_letter: dict[tuple[Post, int], list[Statement]] = {}
    for statement in letter_set.statements:
        by_post_letter.setdefault((statement.post, statement.letter or 0), []).append(statement)
    latest = max(ledger.letters) if ledger.letters else 0
    for post in ledger.posts:
        previous: Figure | None = None
        for number in ledger.letters:
            figure = ledger.expected(post, as_of=number)
            if figure is None:
                continue
            carried = figure.carried_over if figure.carried_over is not None else Amount(ZERO)
            for role, amount in (("allocation", figure.allocation), ("carried_over", carried), ("total", figure.total)):
                if amount is not None:
                    _put(values, ExpectedValue(make_key(post, role, number), post, role, number, amount, figure.sources, figure.basis))
            net = _net_change(previous, figure)
            if net is not None:
                _put(values, ExpectedValue(make_key(post, "net_change", number), post, "net_change", number, net,
                                           figure.sources, figure.basis))
            statements = by_post_letter.get((post, number), [])
            change, sources = _change(previous, figure, statements)
            if change is not None:
                _put(values, ExpectedValue(make_key(post, "change", number), post, "change", number, change,
                                           tuple(sources) or figure.sources, figure.basis))
                # A transaction list books the whole base under the first letter, a change under the rest.
                booked, booked_sources = change, sources
                if previous is None and figure.allocation is not None:
                    booked, booked_sources = figure.allocation, list(figure.sources[:1])
                carried_now = [s for s in statements if s.kind == Kind.CARRIED_OVER]
                for statement in carried_now:
                    booked = booked + statement.amount
                _put(values, ExpectedValue(make_key(post, "booked", number), post, "booked", number, booked,
                                           tuple(booked_sources) + tuple(carried_now) or figure.sources, figure.basis))
            previous = figure
        final = ledger.expected(post, as_of=latest)
        if final is not None:
            for role in ("allocation", "carried_over", "total"):
                key = make_key(post, role, latest)
                if key in values:
                    value = values[key]
                    _put(values, ExpectedValue(make_key(post, role, LATEST), post, role, latest, value.amount, value.sources, value.basis))
    return values


def _change(previous: Figure | None, figure: Figure, statements: list[Statement]) -> tuple[Amount | None, list[Statement]]:
    stated, sources, _ = letter_change(statements)
    if stated is not None:
        return stated, sources
    if previous is None:
        return figure.allocation, list(figure.sources[:1])
    if figure.allocation is not None and previous.allocation is not None:
        difference = figure.allocation.value - previous.allocation.value
        return Amount(difference, figure.allocation.precision + previous.allocation.precision), list(figure.sources[:1])
    return Amount(ZERO), []


def _net_change(previous: Figure | None, figure: Figure) -> Amount | None:
    """This year's allocation after the letter less before it: the change that keeps totals adding up."""
    if figure.allocation is None:
        return None
    if previous is None or previous.allocation is None:
        return figure.allocation
    return Amount(figure.allocation.value - previous.allocation.value,
                  figure.allocation.precision + previous.allocation.precision)


def _put(values: dict[str, ExpectedValue], value: ExpectedValue) -> None:
    values[value.key] = value
