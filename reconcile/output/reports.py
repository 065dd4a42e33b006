"""Machine-readable reports of the same findings: JSON and JUnit XML."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from reconcile.jsonout import dumps
from reconcile.output.translations import in_language
from reconcile.output.wording import amount_text, cause_name, words


def json_report(results, letter_set, ledger=None, lang: str = "nb") -> str:
    """The findings as data; their notes and details worded in `lang` like the rest of the run."""
    letters = [
        {"document": letter.document, "number": letter.number, "date": letter.date.isoformat() if letter.date else None,
         "sha256": dict((p.split("/")[-1], d) for p, d in letter_set.documents).get(letter.document)}
        for letter in letter_set.letters
    ]
    data = {
        "workbooks": [
            {
                "path": result.path,
                "sha256": result.sha256,
                "output": result.output,
                "letters": letters,
                "summary": result.summary(),
                "findings": [_worded(finding.to_dict(), lang) for finding in result.findings],
                "issues": [in_language(issue, lang) for issue in result.issues],
                "layout": [in_language(note, lang) for note in result.layout_notes],
            }
            for result in results
        ]
    }
    if ledger is not None:
        data["letter_audit"] = [_worded(finding.to_dict(), lang) for finding in ledger.audit if finding.severity != "ok"]
    return dumps(data)


def junit_report(results, lang: str = "nb") -> str:
    w = words(lang)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>"]
    for result in results:
        failures = sum(1 for f in result.findings if f.failing)
        lines.append(f"  <testsuite name={quoteattr(result.path)} tests=\"{len(result.findings)}\" failures=\"{failures}\">")
        for finding in result.findings:
            where = (f"{finding.sheet}!{finding.cell}" if finding.sheet and finding.cell
                     else (finding.sheet or w["messages"]["junit_workbook"]))
            role = w["roles"].get(finding.role, finding.role)
            name = f"{finding.post or role} {role} {where}" if finding.post else f"{role} {where}"
            lines.append(f"    <testcase classname={quoteattr(result.path)} name={quoteattr(name)}>")
            if finding.failing:
                message = w["messages"]["junit_failure"].format(
                    status=w[finding.status], expected=amount_text(finding.expected), actual=amount_text(finding.actual))
                if finding.cause:
                    if cause_name(finding, w):
                        message += f" ({cause_name(finding, w)})"
                elif finding.cause_detail:
                    message += f" ({in_language(finding.cause_detail, lang)})"
                quote = (finding.source or {}).get("quote", "")
                lines.append(f"      <failure message={quoteattr(message)}>{_escape(f'«{quote}»' if quote else '')}</failure>")
            lines.append("    </testcase>")
        lines.append("  </testsuite>")
    lines.append("</testsuites>")
    return "\n".join(lines) + "\n"


def letters_report(data: dict, lang: str = "nb") -> dict:
    """`reconcile letters --json`: the letters' notes, the audit and the ledger's basis worded in `lang`."""
    for record in (*data.get("issues", ()), *data.get("audit", ()), *data.get("expected", {}).values()):
        _worded(record, lang)
    return data


def _worded(record: dict, lang: str) -> dict:
    for key in ("cause_detail", "basis", "message"):
        if isinstance(record.get(key), str):
            record[key] = in_language(record[key], lang)
    return record


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
