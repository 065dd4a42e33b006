"""The ledger as text for the console: the audit grouped by letter, errors first, then the figures."""

from __future__ import annotations

from reconcile.amounts import format_nok
from reconcile.ledger.model import SEVERITY_ORDER, Ledger

_LABEL = {"error": "FEIL", "warning": "ADVARSEL", "ok": "ok"}


def render_ledger(ledger: Ledger, as_of: int | None = None, *, show_ok: bool = False) -> str:
    lines = []
    findings = [f for f in ledger.audit if as_of is None or f.letter <= as_of]
    counts = {severity: sum(1 for f in findings if f.severity == severity) for severity in _LABEL}
    lines.append(f"Brevkontroll: {counts['error']} feil, {counts['warning']} advarsler, {counts['ok']} kontroller stemmer")
    for letter in sorted({f.letter for f in findings}):
        shown = sorted((f for f in findings if f.letter == letter and (show_ok or f.severity != "ok")),
                       key=lambda f: (SEVERITY_ORDER[f.severity], f.post))
        if not shown:
            continue
        lines.append("")
        lines.append(f"Tillegg nr. {letter}")
        for finding in shown:
            lines.append(f"  {_LABEL[finding.severity]:<8} {finding.message}")
            for source in finding.sources[:3]:
                quote = source.source.quote
                quote = quote if len(quote) <= 110 else quote[:107] + "…"
                lines.append(f"           tillegg nr. {source.letter}, l. {source.source.line}: «{quote}»")
    lines.append("")
    heading = "etter siste brev" if as_of is None else f"etter tillegg nr. {as_of}"
    lines.append(f"Forventet beløp per post ({heading})")
    lines.append(f"  {'Post':<7} {'Årets tildeling':>18} {'Overført':>14} {'Samlet':>18}  Kilde")
    for post, figure in ledger.expected_all(as_of).items():
        allocation = format_nok(figure.allocation.value) if figure.allocation else "–"
        carried = format_nok(figure.carried_over.value) if figure.carried_over else "–"
        total = format_nok(figure.total.value) if figure.total else "–"
        lines.append(f"  {str(post):<7} {allocation:>18} {carried:>14} {total:>18}  tillegg nr. {figure.changed_in}: {figure.basis}")
    return "\n".join(lines)
