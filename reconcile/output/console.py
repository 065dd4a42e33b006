"""A short table per workbook for the terminal: counts by status, then every discrepancy."""

from __future__ import annotations

from reconcile.output.translations import in_language
from reconcile.output.wording import amount_text, words


def console_report(result, lang: str = "nb") -> str:
    w = words(lang)
    c = w["console"]
    summary = result.summary()
    lines = [f"{result.path}"]
    lines.append("  " + "  ".join(f"{w[key]}: {count}" for key, count in summary.items()))
    failing = [f for f in result.findings if f.failing or f.status == "explained"]
    if failing:
        places = [one_line(f"{f.sheet}!{f.cell}" if f.sheet and f.cell else (f.sheet or "–")) for f in failing]
        width = max(18, *map(len, places))  # the cell address is never cut
        lines.append(f"  {c['cell']:<{width}} {c['post']:<7} {c['role']:<20} {w['actual']:>16} {w['expected']:>16} "
                     f"{w['difference']:>14}  {c['status']}")
        for f, where in zip(failing, places):
            lines.append(f"  {where:<{width}} {f.post:<7} {w['roles'].get(f.role, f.role)[:20]:<20} {amount_text(f.actual):>16} "
                         f"{amount_text(f.expected):>16} {amount_text(f.difference):>14}  {w[f.status]}{_cause(f, w)}")
    for note in result.layout_notes:
        lines.append(f"  {c['reading']}: {in_language(note, lang)}")
    for issue in result.issues:
        lines.append(f"  {c['note']}: {one_line(in_language(str(issue), lang))}")
    if result.output:
        lines.append(f"  {c['copy']}: {result.output}")
    return "\n".join(lines)


def one_line(text: str) -> str:
    """A sheet name or note as it may stand in one console line: line breaks and controls as spaces."""
    return "".join(" " if ord(char) < 32 or char in "\u2028\u2029\x85" else char for char in text)


def _cause(finding, w) -> str:
    """' – utdatert (tilsvarer beløpet etter tillegg nr. 3)': a stale figure names its letter here too."""
    if not finding.cause:
        return ""
    cause = w["causes"].get(finding.cause, finding.cause)
    if finding.cause in ("stale", "unreadable") and finding.cause_detail:
        cause += f" ({in_language(finding.cause_detail, w['lang'])})"
    return f" – {cause}"
