"""Turn GX's validation outcomes and the structural checks into findings with causes."""

from __future__ import annotations


from reconcile.findings.diagnose import diagnose, diagnose_entries
from reconcile.findings.model import MATCH, MISMATCH, MISSING, UNEXPECTED, UNREADABLE, WITHIN, Finding
from reconcile.ledger.expected import ExpectedValue
from reconcile.validation.mapping import Mapping
from reconcile.validation.run import AMOUNT_BOUNDS


def findings_from(mapping: Mapping, outcomes, expected: dict[str, ExpectedValue], missing: list[ExpectedValue],
                  missing_in_tables: list[tuple[str, ExpectedValue]], explanations=None) -> list[Finding]:
    failed: set[int] = set()
    unexpected: set[int] = set()
    repeated: set[int] = set()  # every row of a post that stands twice in its table
    user_rules: dict[int, list[str]] = {}
    for outcome in outcomes:
        if outcome.success:
            continue
        if outcome.meta.get("user"):
            rule = outcome.meta.get("description") or outcome.kind
            for row in outcome.failed_rows:
                user_rules.setdefault(row, []).append(f"egen forventning: {rule}")
            continue
        if outcome.meta.get("structural") == "known_posts":
            unexpected.update(outcome.failed_rows)
        elif outcome.meta.get("structural") == "unique_posts":
            repeated.update(outcome.failed_rows)
        elif outcome.meta.get(AMOUNT_BOUNDS):
            failed.update(outcome.failed_rows)
        elif outcome.meta.get("structural") == "numeric":
            failed.update(outcome.failed_rows)
    actual_by_key = {cell.key: cell.actual for cell in mapping.cells if cell.actual is not None}
    known_posts = {value.post for value in expected.values()}
    findings: list[Finding] = []
    for cell in mapping.cells:
        due = expected.get(cell.key)
        if cell.row in unexpected or due is None:
            detail = ("tildelingsbrevene oppgir ikke noe slikt beløp for posten" if cell.post in known_posts
                      else "posten finnes ikke i tildelingsbrevene")
            findings.append(Finding(cell.sheet, cell.cell, str(cell.post), cell.role, cell.letter, cell.actual, None,
                                    UNEXPECTED, "unexpected", detail))
            continue
        source = _source(due)
        if cell.row in repeated and cell.duplicate:  # the first of the rows is checked as usual
            findings.append(Finding(cell.sheet, cell.cell, str(cell.post), cell.role, cell.letter, cell.actual,
                                    due.amount.value, MISMATCH, "duplicate", "posten står flere ganger i tabellen",
                                    source, due.basis))
            continue
        if cell.row in failed or cell.actual is None:
            where = cell.cell
            if cell.actual is None:
                cause, detail = None, "cellen er tom"
            else:
                cause, detail, entry = diagnose_entries(cell.actual, due.amount.value, cell.entries)
                if cause is not None:
                    where = entry
                else:
                    cause, detail = diagnose(cell.actual, due, expected, actual_by_key, cell.slack)
            findings.append(Finding(cell.sheet, where, str(cell.post), cell.role, cell.letter, cell.actual,
                                    due.amount.value, MISMATCH, cause, _join(detail, cell.note), source, due.basis))
            continue
        if cell.row in user_rules:
            findings.append(Finding(cell.sheet, cell.cell, str(cell.post), cell.role, cell.letter, cell.actual,
                                    due.amount.value, MISMATCH, None, _join(*user_rules[cell.row], cell.note), source, due.basis))
            continue
        status = MATCH if cell.actual == due.amount.value else WITHIN
        findings.append(Finding(cell.sheet, cell.cell, str(cell.post), cell.role, cell.letter, cell.actual,
                                due.amount.value, status, None, cell.note, source, due.basis))
    for check in mapping.sums:
        if check.rows == 0 and check.actual == 0:
            continue  # the sum of an empty column: nothing was checked
        status = MATCH if check.actual == check.expected else MISMATCH
        findings.append(Finding(check.sheet, check.cell, "", "sum", None, check.actual, check.expected, status,
                                "sum" if status == MISMATCH else None,
                                f"«{check.label}» mot summen av {check.rows} rader"))
    for value in missing:
        findings.append(Finding(None, None, str(value.post), value.role, None, None, value.amount.value, MISSING,
                                "missing", "posten mangler i arbeidsboka", _source(value), value.basis))
    for sheet, value in missing_in_tables:
        findings.append(Finding(sheet, None, str(value.post), value.role, value.letter, None, value.amount.value, MISSING,
                                "missing", f"posten står i tabellen i tillegg nr. {value.letter}, men mangler på arket",
                                _source(value), value.basis))
    if explanations:
        findings = [explanations.apply(finding) for finding in findings]
    return findings


def unreadable_findings(read) -> list[Finding]:
    """A finding per sheet that may hold posts and was not read (`WorkbookRead.unread`): the sheet
    and the reason. Nothing on it was checked, so the run does not pass."""
    return [Finding(issue.sheet, None, "", "sheet", None, None, None, UNREADABLE, "unreadable", issue.message)
            for issue in read.unread]


def _source(value: ExpectedValue) -> dict | None:
    statement = value.main_source
    if statement is None:
        return None
    return statement.source.to_dict()


def _join(*parts: str) -> str:
    return "; ".join(part for part in parts if part)
