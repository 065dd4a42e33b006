"""A short table per workbook for the terminal: counts by status, then every discrepancy."""

from __future__ import annotations

from reconcile.output.wording import amount_text, words


def console_report(result, lang: str = "nb") -> str:
    w = words(lang)
    summary = result.summary()
    lines = [f"{result.path}"]
    lines.append("  " + "  ".join(f"{w.get(k, k) if k != 'checked' else ('Kontrollert' if lang == 'nb' else 'Checked')}: {v}"
                                  for k, v in summary.items()))
    failing = [f for f in result.findings if f.failing or f.status == "explained"]
    if failing:
        lines.append(f"  {'Celle':<18} {'Post':<7} {'Rolle':<20} {'I arbeidsboka':>16} {'Forventet':>16} {'Differanse':>14}  Status / årsak")
        for f in failing:
            where = f"{f.sheet}!{f.cell}" if f.sheet and f.cell else (f.sheet or "–")
            cause = w["causes"].get(f.cause, f.cause) if f.cause else ""
            lines.append(f"  {where[:18]:<18} {f.post:<7} {w['roles'].get(f.role, f.role)[:20]:<20} {amount_text(f.actual):>16} "
                         f"{amount_text(f.expected):>16} {amount_text(f.difference):>14}  {w[f.status]}{' – ' + cause if cause else ''}")
    for note in result.layout_notes:
        lines.append(f"  tolkning: {note}")
    for issue in result.issues:
        lines.append(f"  merknad: {issue}")
    if result.output:
        lines.append(f"  Kommentert kopi: {result.output}")
    return "\n".join(lines)
