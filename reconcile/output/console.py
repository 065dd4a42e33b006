"""A short table per workbook for the terminal: counts by status, then every discrepancy."""

from __future__ import annotations

from reconcile.output.translations import in_language
from reconcile.output.wording import amount_text, cause_name, words
from reconcile.workbook.container import in_one_line


def console_report(result, lang: str = "nb") -> str:
    w = words(lang)
    c = w["console"]
    summary = result.summary()
    lines = [f"{result.path}"]
    lines.append("  " + "  ".join(f"{w[key]}: {count}" for key, count in summary.items()))
    failing = [f for f in result.findings if f.failing or f.status == "explained"]
    if failing:
        places = [in_one_line(f"{f.sheet}!{f.cell}" if f.sheet and f.cell else (f.sheet or "–")) for f in failing]
        width = max(18, *map(len, places))  # the cell address is never cut
        roles = [w["roles"].get(f.role, f.role) for f in failing]
        role_width = max(20, *map(len, roles))  # nor the role ("this year's allocation")
        # Thousands are split by spaces, so two amounts side by side need two: widen, never cut.
        amounts = [(amount_text(f.actual), amount_text(f.expected), amount_text(f.difference)) for f in failing]
        actual_w, expected_w, difference_w = (max(minimum, len(title), *(len(row[i]) for row in amounts))
                                              for i, (minimum, title) in enumerate(
                                                  ((16, w["actual"]), (16, w["expected"]), (14, w["difference"]))))
        lines.append(f"  {c['cell']:<{width}} {c['post']:<7} {c['role']:<{role_width}}  {w['actual']:>{actual_w}}  "
                     f"{w['expected']:>{expected_w}}  {w['difference']:>{difference_w}}  {c['status']}")
        for f, where, role, (actual, expected, difference) in zip(failing, places, roles, amounts):
            lines.append(f"  {where:<{width}} {f.post:<7} {role:<{role_width}}  {actual:>{actual_w}}  "
                         f"{expected:>{expected_w}}  {difference:>{difference_w}}  {w[f.status]}{_cause(f, w)}")
    for note in result.layout_notes:
        lines.append(f"  {c['reading']}: {in_language(note, lang)}")
    for issue in result.issues:
        lines.append(f"  {c['note']}: {in_one_line(in_language(str(issue), lang))}")
    if result.output:
        lines.append(f"  {c['copy']}: {result.output}")
    return "\n".join(lines)


def _cause(finding, w) -> str:
    """' – utdatert (tilsvarer beløpet etter tillegg nr. 3)': a stale figure names its letter here too,
    and a sheet not read its reason (even where the cause's name only repeats the status)."""
    cause = cause_name(finding, w)
    if finding.cause in ("stale", "unreadable") and finding.cause_detail:
        detail = in_language(finding.cause_detail, w["lang"])
        return f" – {cause} ({detail})" if cause else f" – {detail}"
    return f" – {cause}" if cause else ""
