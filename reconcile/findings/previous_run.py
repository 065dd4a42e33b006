"""Explanations an officer wrote in the 'Forklaring' column of a previous annotated copy."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reconcile.amounts import decimal_from_float, parse_amount
from reconcile.errors import InputError
from reconcile.findings.explanations import Explanation, Explanations
from reconcile.output.wording import TEXT, role_code


def explanations_from_workbook(path: str | Path) -> Explanations:
    from python_calamine import CalamineWorkbook

    from reconcile.workbook.container import inspect

    # The same guards as for a workbook to check (zip bombs, external entities, damaged archives).
    try:
        inspect(Path(path))
    except InputError as error:
        raise InputError(f"cannot read the previous annotated copy: {error.message}", path) from error
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own error types for unreadable files
        raise InputError(f"cannot read the previous annotated copy: {error}", path) from error
    for words in TEXT.values():
        if words["summary_sheet"] in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(words["summary_sheet"]).to_python()
            return Explanations(tuple(_entries(rows, words)))
    raise InputError("no 'Avstemming' sheet: not an annotated copy made by reconcile", path)


def _entries(rows, words) -> list[Explanation]:
    if not rows:
        return []
    header = [str(cell).strip() for cell in rows[0]]
    columns = {name: header.index(name) for name in header if name}
    post_col, role_col, letter_col = columns.get(words["headers"][2]), columns.get(words["headers"][3]), columns.get(words["headers"][4])
    difference_col, explanation_col = columns.get(words["headers"][7]), columns.get(words["headers"][12])
    if None in (post_col, difference_col, explanation_col):
        return []
    entries = []
    for row in rows[1:]:
        if len(row) <= max(post_col, difference_col, explanation_col):
            continue
        reason = str(row[explanation_col] or "").strip()
        difference = _decimal(row[difference_col])
        if not reason or difference is None or not row[post_col]:
            continue
        letter = row[letter_col] if letter_col is not None else None
        entries.append(Explanation(
            post=str(row[post_col]).strip(),
            role=role_code(str(row[role_col])) if role_col is not None else None,
            difference=difference,
            reason=reason,
            letter=int(letter) if isinstance(letter, (int, float)) and letter == letter else None,
        ))
    return entries


def _decimal(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return decimal_from_float(value)
    amount = parse_amount(str(value)) if value not in (None, "") else None
    return amount.value if amount else None
