"""The ledger as text for the console: the audit grouped by letter, errors first, then the figures."""

from __future__ import annotations

from reconcile.amounts import format_nok
from reconcile.ledger.model import SEVERITY_ORDER, Ledger
from reconcile.output.translations import in_language
from reconcile.output.wording import counted, letter_name, words


def render_ledger(ledger: Ledger, as_of: int | None = None, *, show_ok: bool = False, lang: str = "nb") -> str:
    m = words(lang)["messages"]
    labels = m["audit_labels"]
    lines = []
    findings = [f for f in ledger.audit if as_of is None or f.letter <= as_of]
    counts = {severity: sum(1 for f in findings if f.severity == severity) for severity in labels}
    lines.append(m["audit_counts"].format(**{severity: counted(severity, count, lang) for severity, count in counts.items()}))
    for letter in sorted({f.letter for f in findings}):
        shown = sorted((f for f in findings if f.letter == letter and (show_ok or f.severity != "ok")),
                       key=lambda f: (SEVERITY_ORDER[f.severity], f.post))
        if not shown:
            continue
        lines.append("")
        lines.append(m["audit_letter"].format(name=letter_name(letter, lang, capital=True)))
        for finding in shown:
            lines.append(f"  {labels[finding.severity]:<8} {in_language(finding.message, lang)}")
            for source in finding.sources[:3]:
                quote = source.source.quote
                quote = quote if len(quote) <= 110 else quote[:107] + "…"
                lines.append("           " + m["audit_source"].format(name=letter_name(source.letter, lang), line=source.source.line,
                                                                          quote=quote))
    lines.append("")
    when = m["after_last"] if as_of is None else m["after_letter"].format(name=letter_name(as_of, lang))
    lines.append(m["ledger_heading"].format(when=when))
    post, allocation, carried, total, source = m["ledger_header"]
    lines.append(f"  {post:<7} {allocation:>18} {carried:>14} {total:>18}  {source}")
    for post, figure in ledger.expected_all(as_of).items():
        allocation = format_nok(figure.allocation.value) if figure.allocation else "–"
        carried = format_nok(figure.carried_over.value) if figure.carried_over else "–"
        total = format_nok(figure.total.value) if figure.total else "–"
        basis = m["ledger_basis"].format(name=letter_name(figure.changed_in, lang), basis=in_language(figure.basis, lang))
        lines.append(f"  {str(post):<7} {allocation:>18} {carried:>14} {total:>18}  {basis}")
    return "\n".join(lines)
