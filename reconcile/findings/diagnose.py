"""Why a cell differs from the letters: the cause the evidence supports, or none.

stale (equals the figure after an earlier letter), unit (×1 000 or ×1 000 000), transposition (two
adjacent digits swapped), sign, rounding (within a rounded unit), swapped (holds another post's
figure while that post holds this one's).
"""

from __future__ import annotations

from decimal import Decimal

from reconcile.amounts import format_nok
from reconcile.ledger.expected import ExpectedValue, make_key


def diagnose(actual: Decimal, expected: ExpectedValue, all_expected: dict[str, ExpectedValue],
             actual_by_key: dict[str, Decimal], unit_precision: Decimal = Decimal(0)) -> tuple[str | None, str]:
    # A cell rounded to its unit (0,1 mill. kr) equals another figure to within that rounding.
    target = expected.amount.value
    if target != 0 and abs(actual + target) <= unit_precision:
        return "sign", "fortegnet er snudd"
    for factor in (Decimal(1000), Decimal(1_000_000)):
        if target != 0 and (actual * factor == target or actual == target * factor):
            return "unit", f"beløpet er oppgitt i feil enhet (faktor {format_nok(factor)})"
    stale = _stale_letter(actual, expected, all_expected, unit_precision)
    if stale is not None:
        return "stale", f"tilsvarer beløpet etter tillegg nr. {stale}"
    if _transposed(actual, target):
        return "transposition", "to nabosifre er byttet om"
    if abs(actual - target) <= max(expected.amount.precision, unit_precision) and actual != target:
        return "rounding", "innenfor avrundingen av beløpet i brevet"
    swapped = _swapped_with(actual, expected, all_expected, actual_by_key, unit_precision)
    if swapped:
        return "swapped", f"beløpet hører til post {swapped}, som har dette postens beløp"
    return None, ""


def _stale_letter(actual: Decimal, expected: ExpectedValue, all_expected, slack: Decimal = Decimal(0)) -> int | None:
    """The letter after which the post held this figure (the earliest of a run of letters that left it so)."""
    found = None
    for letter in range(expected.letter - 1, 0, -1):
        earlier = all_expected.get(make_key(expected.post, expected.role, letter))
        if earlier is None:
            break
        if abs(earlier.amount.value - actual) <= slack and abs(earlier.amount.value - expected.amount.value) > slack:
            found = letter
        elif found is not None:
            break
    return found


def _transposed(actual: Decimal, target: Decimal) -> bool:
    a, b = f"{abs(actual):f}", f"{abs(target):f}"
    if len(a) != len(b) or a == b or (actual < 0) != (target < 0):
        return False
    differing = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return len(differing) == 2 and differing[1] == differing[0] + 1 and a[differing[0]] == b[differing[1]] and a[differing[1]] == b[differing[0]]


def _swapped_with(actual: Decimal, expected: ExpectedValue, all_expected, actual_by_key,
                  slack: Decimal = Decimal(0)) -> str | None:
    for key, other in all_expected.items():
        if other.post == expected.post or other.role != expected.role or other.letter != expected.letter:
            continue
        theirs = actual_by_key.get(key)
        if abs(other.amount.value - actual) <= slack and theirs is not None and abs(theirs - expected.amount.value) <= slack:
            return str(other.post)
    return None


def diagnose_entries(total: Decimal, expected: Decimal, entries) -> tuple[str | None, str, str | None]:
    """In a sum of entries, the one entry whose correction makes the sum right: cause, detail, cell."""
    for cell, amount in entries:
        if amount != 0 and total - 2 * amount == expected:
            return "sign", f"posteringen i {cell} har feil fortegn", cell
    for cell, amount in entries:
        for corrected in (amount * 1000, amount / 1000, amount * 1_000_000, amount / 1_000_000):
            if amount != 0 and total - amount + corrected == expected:
                return "unit", f"posteringen i {cell} er ført i feil enhet", cell
    for cell, amount in entries:
        if _transposed(amount, expected - (total - amount)):
            return "transposition", f"to nabosifre er byttet om i posteringen i {cell}", cell
    seen: dict[Decimal, str] = {}
    for cell, amount in entries:
        if amount in seen and total - amount == expected:
            return "duplicate", f"posteringen i {cell} er ført to ganger (også i {seen[amount]})", cell
        seen.setdefault(amount, cell)
    return None, "", None
