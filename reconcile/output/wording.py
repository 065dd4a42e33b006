"""What the finance officer reads: Norwegian (bokmål) by default, English with --lang en."""

from __future__ import annotations

from reconcile.amounts import format_nok

TEXT = {
    "nb": {
        "lang": "nb",
        "match": "Stemmer",
        "within_tolerance": "Innenfor toleranse",
        "mismatch": "Avvik",
        "explained": "Forklart avvik",
        "missing": "Mangler",
        "unexpected": "Ukjent post",
        "unreadable": "Ikke lest",
        "expected": "Forventet",
        "actual": "I arbeidsboka",
        "difference": "Differanse",
        "cause": "Mulig årsak",
        "source": "Kilde",
        "letter": "tillegg nr.",
        "allocation_letter": "tildelingsbrevet",
        "line": "linje",
        "page": "side",
        "summary_sheet": "Avstemming",
        "audit_sheet": "Brevkontroll",
        "headers": ["Ark", "Celle", "Post", "Rolle", "Tillegg", "I arbeidsboka", "Forventet", "Differanse", "Status",
                    "Årsak", "Kilde", "Sitat", "Forklaring"],
        "audit_headers": ["Tillegg", "Post", "Alvorlighet", "Kontroll", "Oppgitt", "Beregnet", "Differanse", "Melding",
                          "Kilder"],
        "legend": "Fargeforklaring",
        "totals": "Oppsummering",
        "inputs": "Inndata",
        "tool": "Verktøy",
        "time": "Tidspunkt",
        "severity": {"error": "Feil", "warning": "Advarsel", "ok": "Stemmer"},
        "roles": {"allocation": "årets tildeling", "carried_over": "overført fra i fjor", "total": "samlet tildeling",
                  "change": "endring", "net_change": "netto endring", "booked": "bokført", "sum": "sumrad",
                  "sheet": "hele arket"},
        "causes": {"stale": "utdatert", "unit": "feil enhet", "transposition": "ombyttede sifre", "sign": "feil fortegn",
                   "rounding": "avrunding", "swapped": "byttet med annen post", "missing": "mangler",
                   "unexpected": "ukjent post", "duplicate": "dobbeltført", "sum": "sum stemmer ikke",
                   "unreadable": "arket kunne ikke leses"},
        "reconciliation": "Avstemming mot tildelingsbrev",
        "checked": "Kontrollert",
        "console": {"cell": "Celle", "post": "Post", "role": "Rolle", "status": "Status / årsak",
                    "reading": "tolkning", "note": "merknad", "copy": "Kommentert kopi"},
        "messages": {
            "error": "reconcile: feil: {message}",
            "internal_error": "reconcile: intern feil: {kind}: {message} (kjør med --debug for å se hele sporet)",
            "aborted": "reconcile: avbrutt",
            "interrupted": "reconcile: avbrutt av brukeren",
            "skipped_copy": "reconcile: merknad: {path}: en kommentert kopi skrevet av reconcile: ikke kontrollert "
                            "(oppgi den alene for å kontrollere den)",
            "quiet_difference": ", differanse {amount}",
            "junit_failure": "{status}: forventet {expected}, fant {actual}",
            "junit_workbook": "arbeidsbok",
            "undated": "udatert",
            "letter_heading": "{name} ({date}) – «{title}» [{document}]",
            "letter_heading_untitled": "{name} ({date}) [{document}]",
            "statements_header": ["Brev", "Linje", "Post", "Type", "Beløp", "Sitat"],
            "percent": "{percent} pst.",
            "statements_total": "{statements} fra {letters}",
            "extraction_note": "merknad: {name}, l. {line}: {message}",
            "audit_counts": "Brevkontroll: {error}, {warning}, {ok}",
            "audit_letter": "{name}",
            "audit_labels": {"error": "FEIL", "warning": "ADVARSEL", "ok": "ok"},
            "audit_source": "{name}, l. {line}: «{quote}»",
            "ledger_heading": "Forventet beløp per post ({when})",
            "after_last": "etter siste brev",
            "after_letter": "etter {name}",
            "ledger_header": ["Post", "Årets tildeling", "Overført", "Samlet", "Kilde"],
            "ledger_basis": "{name}: {basis}",
            "suite_written": "{path}: {count} fra {letters}",
            "template_written": "{path}: {count}, {letters}",
            "progress_letters": "leser tildelingsbrevene",
            "progress_suite": "bygger forventningene (Great Expectations)",
            "progress_read": "leser {name}",
            "progress_check": "kontrollerer {name}",
            "progress_write": "skriver {name}",
            "explanation": "Forklaring",
        },
        "counted": {"error": ("{n} feil", "{n} feil"), "warning": ("{n} advarsel", "{n} advarsler"),
                    "ok": ("{n} kontroll stemmer", "{n} kontroller stemmer"),
                    "statement": ("{n} opplysning", "{n} opplysninger"), "letter": ("{n} brev", "{n} brev"),
                    "expectation": ("{n} forventning", "{n} forventninger"), "post": ("{n} post", "{n} poster")},
        "kinds": {"table_total": "tabellsum", "change": "endring", "change_part": "delendring", "new_total": "ny sum",
                  "corrected_total": "korrigert sum", "stated_total": "oppgitt sum", "previous_total": "tidligere sum",
                  "correction": "korreksjon", "carried_over": "overført", "carry_over_limit": "overføringsgrense",
                  "breakdown_part": "fordeling", "proposal": "forslag", "enacted": "vedtatt", "earmark": "øremerket",
                  "rate": "sats"},
        "checks": {
            "chain": "forrige beløp + endringer = nytt beløp",
            "parts_vs_total": "delbeløp = samlet endring",
            "breakdown_vs_total": "fordeling = beløpet som fordeles",
            "correction": "tidligere beløp + korreksjon = korrigert beløp",
            "same_letter_totals": "beløp oppgitt flere steder i samme brev",
            "enacted_vs_proposal": "vedtatt beløp = foreslått beløp",
            "enacted_vs_change": "vedtatt beløp = endringen på posten",
            "carry_over_limit": "overføring innenfor grensen",
            "proposal_pending": "forslag som ikke er vedtatt i et senere brev",
        },
    },
    "en": {
        "lang": "en",
        "match": "Match",
        "within_tolerance": "Within tolerance",
        "mismatch": "Mismatch",
        "explained": "Explained",
        "missing": "Missing",
        "unexpected": "Unknown post",
        "unreadable": "Not read",
        "expected": "Expected",
        "actual": "In workbook",
        "difference": "Difference",
        "cause": "Likely cause",
        "source": "Source",
        "letter": "supplement no.",
        "allocation_letter": "the allocation letter",
        "line": "line",
        "page": "page",
        "summary_sheet": "Reconciliation",
        "audit_sheet": "Letter audit",
        "headers": ["Sheet", "Cell", "Post", "Role", "Letter", "In workbook", "Expected", "Difference", "Status", "Cause",
                    "Source", "Quote", "Explanation"],
        "audit_headers": ["Letter", "Post", "Severity", "Check", "Stated", "Computed", "Difference", "Message", "Sources"],
        "legend": "Colour legend",
        "totals": "Summary",
        "inputs": "Inputs",
        "tool": "Tool",
        "time": "Time",
        "severity": {"error": "Error", "warning": "Warning", "ok": "Consistent"},
        "roles": {"allocation": "this year's allocation", "carried_over": "carried over", "total": "total",
                  "change": "change", "net_change": "net change", "booked": "booked", "sum": "sum row",
                  "sheet": "whole sheet"},
        "causes": {"stale": "stale", "unit": "unit", "transposition": "transposed digits", "sign": "sign",
                   "rounding": "rounding", "swapped": "swapped with another post", "missing": "missing",
                   "unexpected": "unknown post", "duplicate": "duplicate", "sum": "sum does not add up",
                   "unreadable": "the sheet could not be read"},
        "reconciliation": "Reconciliation against allocation letters",
        "checked": "Checked",
        "console": {"cell": "Cell", "post": "Post", "role": "Role", "status": "Status / cause",
                    "reading": "reading", "note": "note", "copy": "Annotated copy"},
        "messages": {
            "error": "reconcile: error: {message}",
            "internal_error": "reconcile: internal error: {kind}: {message} (run with --debug for the traceback)",
            "aborted": "reconcile: aborted",
            "interrupted": "reconcile: interrupted",
            "skipped_copy": "reconcile: note: {path}: an annotated copy written by reconcile: not checked "
                            "(name it alone to check it)",
            "quiet_difference": ", difference {amount}",
            "junit_failure": "{status}: expected {expected}, found {actual}",
            "junit_workbook": "workbook",
            "undated": "undated",
            "letter_heading": "{name} ({date}) – «{title}» [{document}]",
            "letter_heading_untitled": "{name} ({date}) [{document}]",
            "statements_header": ["Letter", "Line", "Post", "Kind", "Amount", "Quote"],
            "percent": "{percent} per cent",
            "statements_total": "{statements} from {letters}",
            "extraction_note": "note: {name}, line {line}: {message}",
            "audit_counts": "Letter audit: {error}, {warning}, {ok}",
            "audit_letter": "{name}",
            "audit_labels": {"error": "ERROR", "warning": "WARNING", "ok": "ok"},
            "audit_source": "{name}, line {line}: «{quote}»",
            "ledger_heading": "Expected amount per post ({when})",
            "after_last": "after the last letter",
            "after_letter": "after {name}",
            "ledger_header": ["Post", "This year", "Carried over", "Total", "Source"],
            "ledger_basis": "{name}: {basis}",
            "suite_written": "{path}: {count} from {letters}",
            "template_written": "{path}: {count}, {letters}",
            "progress_letters": "reading the allocation letters",
            "progress_suite": "building the expectations (Great Expectations)",
            "progress_read": "reading {name}",
            "progress_check": "checking {name}",
            "progress_write": "writing {name}",
            "explanation": "Explanation",
        },
        "counted": {"error": ("{n} error", "{n} errors"), "warning": ("{n} warning", "{n} warnings"),
                    "ok": ("{n} check agrees", "{n} checks agree"),
                    "statement": ("{n} statement", "{n} statements"), "letter": ("{n} letter", "{n} letters"),
                    "expectation": ("{n} expectation", "{n} expectations"), "post": ("{n} post", "{n} posts")},
        "kinds": {"table_total": "table total", "change": "change", "change_part": "part of change",
                  "new_total": "new total", "corrected_total": "corrected total", "stated_total": "stated total",
                  "previous_total": "previous total", "correction": "correction", "carried_over": "carried over",
                  "carry_over_limit": "carry-over limit", "breakdown_part": "breakdown part", "proposal": "proposal",
                  "enacted": "enacted", "earmark": "earmark", "rate": "rate"},
        "checks": {
            "chain": "previous amount + changes = new amount",
            "parts_vs_total": "parts = total change",
            "breakdown_vs_total": "breakdown = amount broken down",
            "correction": "earlier amount + correction = corrected amount",
            "same_letter_totals": "amount stated twice in one letter",
            "enacted_vs_proposal": "enacted amount = proposed amount",
            "enacted_vs_change": "enacted amount = the change on the post",
            "carry_over_limit": "carry-over within its limit",
            "proposal_pending": "proposal not enacted by a later letter",
        },
    },
}


def words(lang: str) -> dict:
    return TEXT.get(lang, TEXT["nb"])


def message(key: str, lang: str = "nb", **values) -> str:
    """A message of the command line in the run's language."""
    return words(lang)["messages"][key].format(**values)


def letter_name(number: int, lang: str = "nb", capital: bool = False) -> str:
    """'tillegg nr. 3', or 'tildelingsbrevet' for letter 0: the allocation letter is no supplement."""
    w = words(lang)
    name = w["allocation_letter"] if number == 0 else f"{w['letter']} {number}"
    return name[0].upper() + name[1:] if capital else name


def counted(key: str, count: int, lang: str = "nb") -> str:
    """'1 advarsel', '11 advarsler': a count with its noun in the right number."""
    one, many = words(lang)["counted"][key]
    return (one if count == 1 else many).format(n=count)


def kind_text(kind: str, lang: str = "nb") -> str:
    """A statement's kind named as the reader says it ('new_total' -> 'ny sum')."""
    return words(lang)["kinds"].get(str(kind), str(kind))


def role_code(text: str) -> str | None:
    """A role by its code ('total') or by its name in either language ('samlet tildeling', 'total');
    None for anything else."""
    wanted = text.strip().lower()
    for language in TEXT.values():
        for code, name in language["roles"].items():
            if wanted in (code, name.lower()):
                return code
    return None


def check_text(check: str, lang: str = "nb") -> str:
    """An audit check named as the reader says it; a check without a name is shown by its code."""
    return words(lang)["checks"].get(check, check)


def cause_name(finding, w: dict) -> str:
    """The cause as the reader says it; empty when it only repeats the status ('Mangler – mangler')."""
    if not finding.cause:
        return ""
    name = w["causes"].get(finding.cause, finding.cause)
    return "" if name.lower() == w[finding.status].lower() else name


def amount_text(value) -> str:
    return "–" if value is None else format_nok(value)


def source_text(source: dict | None, letter_dates: dict[int, str], lang: str = "nb") -> str:
    if not source:
        return ""
    w = words(lang)
    letter = source.get("letter")
    when = f" ({letter_dates[letter]})" if letter in letter_dates else ""
    where = f"{letter_name(letter, lang) if isinstance(letter, int) else letter}{when}"
    if source.get("page"):
        where += f", {w['page']} {source['page']}"
    where += f", {w['line']} {source.get('line')}"
    return where


def note_text(finding, letter_dates: dict[int, str], lang: str = "nb") -> str:
    """The comment on a checked cell: status, expected, difference, cause, source and quote."""
    w = words(lang)
    lines = [f"{w['reconciliation']}: {w[finding.status]}"]
    if finding.expected is not None:
        lines.append(f"{w['expected']}: {amount_text(finding.expected)}")
    if finding.actual is not None and finding.status != "match":
        lines.append(f"{w['actual']}: {amount_text(finding.actual)}")
    if finding.difference is not None and finding.difference != 0:
        lines.append(f"{w['difference']}: {amount_text(finding.difference)}")
    from reconcile.output.translations import in_language

    if cause_name(finding, w):
        detail = f" – {in_language(finding.cause_detail, lang)}" if finding.cause_detail else ""
        lines.append(f"{w['cause']}: {cause_name(finding, w)}{detail}")
    elif finding.cause_detail:
        lines.append(in_language(finding.cause_detail, lang))
    if finding.explanation:
        lines.append(f"{w['messages']['explanation']}: {finding.explanation}")
    if finding.source:
        lines.append(f"{w['source']}: {source_text(finding.source, letter_dates, lang)}")
        lines.append(f"«{finding.source.get('quote', '')}»")
    return "\n".join(lines)
